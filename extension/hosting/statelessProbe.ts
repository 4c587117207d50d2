// Whether a running MCP server answers without a session (issue 13, point 3). Functions may send each
// request to a different instance, so only a server that answers a request without the
// `Mcp-Session-Id` of an earlier one can be hosted. Hand-written over fetch because the SDK's client
// always sends back the session id it was given, which is exactly what this check must not do.
// Wire format: https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#streamable-http

export type ProbeOutcome =
  | { kind: 'stateless' }
  | {
      kind: 'stateful';
      /** Whether initialize set an `Mcp-Session-Id`; the value itself is never kept. */
      gaveSessionId: boolean;
      status: number;
      /** The server's own words for the refusal (JSON-RPC error message or body), shortened. */
      reason: string;
    }
  /** Something answers, but not MCP Streamable HTTP at this URL. */
  | { kind: 'notMcp'; status: number; reason: string };

/** Nothing listens yet (connection refused): the caller waits and asks again. */
export class NotListeningError extends Error {
  override readonly name = 'NotListeningError';
}

const protocolVersion = '2025-06-18';

/** `initialize` without a session, then `notifications/initialized` and `tools/list`, each without one. */
export async function probeStatelessness(url: string, signal: AbortSignal): Promise<ProbeOutcome> {
  const initialize = await post(
    url,
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: initializeParams() },
    signal,
  );
  if (initialize.status !== 200 || !isResult(initialize.message))
    return { kind: 'notMcp', status: initialize.status, reason: reasonOf(initialize) };
  const gaveSessionId = initialize.sessionId;
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, signal);
  const list = await post(url, { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }, signal);
  if (list.status === 200 && isResult(list.message)) return { kind: 'stateless' };
  return { kind: 'stateful', gaveSessionId, status: list.status, reason: reasonOf(list) };
}

function initializeParams() {
  return {
    protocolVersion,
    capabilities: {},
    clientInfo: { name: 'remote-mcp-stateless-check', version: '1.0.0' },
  };
}

interface Answer {
  status: number;
  sessionId: boolean;
  message: unknown;
  body: string;
}

async function post(url: string, message: object, signal: AbortSignal): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': protocolVersion,
      },
      body: JSON.stringify(message),
      signal,
    });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET') throw new NotListeningError(`${url}: ${code}`);
    throw error;
  }
  const body = await response.text();
  return {
    status: response.status,
    sessionId: response.headers.has('mcp-session-id'),
    message: jsonRpcMessage(body, response.headers.get('content-type') ?? ''),
    body,
  };
}

/** The JSON-RPC message of a JSON body, or of the first `data:` event of an SSE body. */
function jsonRpcMessage(body: string, contentType: string): unknown {
  const text = contentType.includes('text/event-stream')
    ? body
        .split(/\r?\n\r?\n/)
        .map((event) =>
          event
            .split(/\r?\n/)
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n'),
        )
        .find((data) => data !== '')
    : body;
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function isResult(message: unknown): boolean {
  return typeof message === 'object' && message !== null && 'result' in message;
}

function reasonOf(answer: Answer): string {
  const error = (answer.message as { error?: { message?: unknown } } | undefined)?.error;
  const text = typeof error?.message === 'string' ? error.message : answer.body.trim();
  const short = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return short === '' ? `HTTP ${answer.status}` : `HTTP ${answer.status} "${short}"`;
}
