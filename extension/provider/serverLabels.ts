// The labels of the servers the extension hands VS Code's MCP client. VS Code names each provided
// server after its label (see mcpServerIds in ../vscodeMcpClient/mcpClientStarter.ts), so they stay stable.
import type { RemoteServer } from '../remote/remoteServers';

export const localServerLabel = 'Local MCP server';

export function remoteServerLabel(server: RemoteServer): string {
  return `${server.name} (Azure)`;
}
