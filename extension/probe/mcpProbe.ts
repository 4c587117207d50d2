// Bundled on its own (dist/mcpProbe.js) and loaded on first use, so the MCP SDK client is not
// part of what VS Code loads to activate the extension.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface ProbeResult {
  serverName: string | undefined;
  protocolVersion: string | undefined;
  tools: { name: string; description: string }[];
  latencyMs: number;
}

/** `initialize` then `tools/list`, as VS Code's own client would, with a time limit on the whole. */
export async function probeMcpServer(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<ProbeResult> {
  const started = Date.now();
  const client = new Client({ name: 'remote-mcp-functions-probe', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const { tools } = await client.listTools(undefined, { timeout: timeoutMs });
    return {
      serverName: client.getServerVersion()?.name,
      protocolVersion: transport.protocolVersion,
      tools: tools.map((tool) => ({ name: tool.name, description: tool.description ?? '' })),
      latencyMs: Date.now() - started,
    };
  } finally {
    await client.close().catch(() => undefined);
  }
}
