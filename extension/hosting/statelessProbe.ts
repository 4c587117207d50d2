// Whether a running MCP server answers without a session (issue 13, point 3). Functions may send each
// request to a different instance, so only a server that answers a request without the
// `Mcp-Session-Id` of an earlier one can be hosted. Each request goes out without a session id, so
// not through the SDK's client (see shared/mcpHttpPost.ts).
import { postMcpMessage, responseTo, type McpPostAnswer } from '../../shared/mcpHttpPost';

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
  if (initialize.status !== 200 || !isResult(responseTo(initialize, 1)))
    return { kind: 'notMcp', status: initialize.status, reason: reasonOf(initialize) };
  const gaveSessionId = initialize.gaveSessionId;
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, signal);
  const list = await post(url, { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }, signal);
  if (list.status === 200 && isResult(responseTo(list, 2))) return { kind: 'stateless' };
  return { kind: 'stateful', gaveSessionId, status: list.status, reason: reasonOf(list) };
}

function initializeParams() {
  return {
    protocolVersion,
    capabilities: {},
    clientInfo: { name: 'remote-mcp-stateless-check', version: '1.0.0' },
  };
}

async function post(url: string, message: object, signal: AbortSignal): Promise<McpPostAnswer> {
  try {
    return await postMcpMessage(url, message, { signal, protocolVersion });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET') throw new NotListeningError(`${url}: ${code}`);
    throw error;
  }
}

function isResult(message: unknown): boolean {
  return typeof message === 'object' && message !== null && 'result' in message;
}

function reasonOf(answer: McpPostAnswer): string {
  const error = (answer.messages[0] as { error?: { message?: unknown } } | undefined)?.error;
  const text = typeof error?.message === 'string' ? error.message : answer.body.trim();
  const short = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return short === '' ? `HTTP ${answer.status}` : `HTTP ${answer.status} "${short}"`;
}
