// Readiness of an MCP server as a client sees it: one `initialize` over Streamable HTTP, without a
// session, as the spec's lifecycle starts (https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle).
// A TCP answer is not enough: an Express app listens before its routes are wired, and a server on
// the wrong path answers 404.
import type { InitializeRequest, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { postMcpMessage, responseTo } from '../mcpHttpPost';

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
    const answer = await postMcpMessage(url, request, { signal: AbortSignal.timeout(timeoutMs) });
    if (answer.status !== 200)
      return { answered: false, status: answer.status, detail: `HTTP ${answer.status}` };
    const result = (responseTo(answer, request.id) as InitializeResponse | undefined)?.result;
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
  result?: { protocolVersion?: unknown; serverInfo?: { name?: unknown } };
}
