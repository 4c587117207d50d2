import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';

export type TransportKind = 'streamable-http' | 'sse';

/** Connects the SDK's own client, as any MCP client would, over the chosen transport. */
export async function connectClient(
  mcpUrl: string,
  kind: TransportKind,
  headers: Record<string, string> = {},
): Promise<Client> {
  const client = new Client({ name: 'remote-mcp-tests', version: '1.0.0' });
  const transport =
    kind === 'streamable-http'
      ? new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers } })
      : new SSEClientTransport(sseUrl(mcpUrl), {
          requestInit: { headers },
          // The SSE stream is opened with fetch too; without this the key would reach only the POSTs.
          eventSourceInit: {
            fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, ...headers } }),
          },
        });
  await client.connect(transport);
  return client;
}

/** The text of a tool result's first content block, for readable assertions. */
export function firstText(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content[0]?.type === 'text' ? (content[0].text ?? '') : '';
}

/** The legacy SSE endpoint sits below the Streamable HTTP one; a query string (?code=) stays on it. */
function sseUrl(mcpUrl: string): URL {
  const url = new URL(mcpUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/sse`;
  return url;
}
