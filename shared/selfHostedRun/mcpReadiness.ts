// Readiness of an MCP server as a client sees it: one `initialize` over Streamable HTTP, without a
// session, as the spec's lifecycle starts (https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle).
// A TCP answer is not enough: an Express app listens before its routes are wired, and a server on
// the wrong path answers 404. The request is written here rather than through the SDK's Client,
// whose zod schemas would load into the extension's activation bundle for one request.
import type { InitializeRequest, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';

/** The SDK's latest protocol version: a type error here when the SDK moves on is a reminder to follow. */
const protocolVersion: typeof LATEST_PROTOCOL_VERSION = '2025-11-25';

export type InitializeOutcome =
  { answered: true; serverName?: string } | { answered: false; status?: number; detail: string };

/**
 * POSTs a JSON-RPC `initialize` to `url`. A 200 whose body (JSON, or the SSE event that carries the
 * response: https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http)
 * holds a result with a protocol version counts as ready.
 */
export async function mcpInitialize(url: string, timeoutMs: number): Promise<InitializeOutcome> {
  const request: InitializeRequest & { jsonrpc: '2.0'; id: number } = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion,
      capabilities: {},
      clientInfo: { name: 'remote-mcp-readiness', version: '1.0.0' },
    },
  };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    if (response.status !== 200)
      return { answered: false, status: response.status, detail: `HTTP ${response.status}` };
    const message = responseMessage(body, response.headers.get('content-type') ?? '');
    const result = message?.result;
    if (typeof result?.protocolVersion !== 'string')
      return { answered: false, status: 200, detail: 'the answer to initialize carries no result' };
    const name = result.serverInfo?.name;
    return { answered: true, ...(typeof name === 'string' ? { serverName: name } : {}) };
  } catch (error) {
    return { answered: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/** True once `initialize` is answered: the shape `waitForReady` polls. */
export async function answersMcpInitialize(url: string, timeoutMs: number): Promise<boolean> {
  return (await mcpInitialize(url, timeoutMs)).answered;
}

interface InitializeResponse {
  id?: unknown;
  result?: { protocolVersion?: unknown; serverInfo?: { name?: unknown } };
}

function responseMessage(body: string, contentType: string): InitializeResponse | undefined {
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
  for (const text of texts) {
    try {
      const message = JSON.parse(text) as InitializeResponse;
      if (message && typeof message === 'object' && message.id === 1) return message;
    } catch {
      // Not JSON: not the response.
    }
  }
  return undefined;
}
