// One JSON-RPC message POSTed to an MCP Streamable HTTP endpoint, without a session, and the
// messages of the answer, whether the server answered with JSON or an SSE stream
// (https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http).
// Written over fetch for the two checks that must not be an SDK client: readiness (the client's
// zod schemas would load into the extension's activation bundle for one request) and the stateless
// check (the client always sends back the session id it was given, which that check must not do).

export interface McpPostAnswer {
  status: number;
  /** Whether the answer set an `Mcp-Session-Id`; the value itself is never kept. */
  gaveSessionId: boolean;
  /** The JSON-RPC messages of a JSON body, or of each `data:` event of an SSE body. */
  messages: unknown[];
  body: string;
}

export async function postMcpMessage(
  url: string,
  message: object,
  options: { signal: AbortSignal; protocolVersion?: string },
): Promise<McpPostAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(options.protocolVersion ? { 'mcp-protocol-version': options.protocolVersion } : {}),
    },
    body: JSON.stringify(message),
    signal: options.signal,
  });
  const body = await response.text();
  return {
    status: response.status,
    gaveSessionId: response.headers.has('mcp-session-id'),
    messages: jsonRpcMessages(body, response.headers.get('content-type') ?? ''),
    body,
  };
}

/** The response to request `id` among an answer's messages (an SSE stream may carry notifications first). */
export function responseTo(answer: McpPostAnswer, id: number): Record<string, unknown> | undefined {
  return answer.messages.find(
    (message): message is Record<string, unknown> =>
      typeof message === 'object' && message !== null && (message as { id?: unknown }).id === id,
  );
}

function jsonRpcMessages(body: string, contentType: string): unknown[] {
  const texts = contentType.includes('text/event-stream')
    ? body
        .split(/\r?\n\r?\n/)
        .map((event) =>
          event
            .split(/\r?\n/)
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n'),
        )
        .filter((data) => data !== '')
    : [body];
  return texts.flatMap((text) => {
    try {
      return [JSON.parse(text) as unknown];
    } catch {
      return []; // Not JSON: not a message.
    }
  });
}
