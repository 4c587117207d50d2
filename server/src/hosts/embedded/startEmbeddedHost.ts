import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmbeddedApp } from './app';
import { mcpRoutes } from '../../../../shared/mcpRoutes';
import type { EmbeddedHostSettings } from './hostSettings';
import { mcpServerFactory } from './mcpServer';
import type { ServerTool, ToolDependencies } from '../../toolDependencies';

/** Printed once the host listens; the extension and `npm start` wait for it, so keep its wording stable. */
export const readyLinePrefix = 'Remote MCP embedded host ready:';

export interface RunningEmbeddedHost {
  /** The Streamable HTTP endpoint, e.g. http://127.0.0.1:7071/runtime/webhooks/mcp. */
  mcpUrl: string;
  port: number;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

/** Starts the embedded host; resolves once it listens, so callers can print a ready line. */
export async function startEmbeddedHost(
  settings: EmbeddedHostSettings,
  tools: readonly ServerTool[],
  deps: ToolDependencies,
): Promise<RunningEmbeddedHost> {
  const { app, closeSseSessions } = createEmbeddedApp(settings, mcpServerFactory(tools, deps), deps.log);
  const server = createServer(app);
  await listen(server, settings.host, settings.port);
  const { port } = server.address() as AddressInfo;
  const urlHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    mcpUrl: `http://${urlHost}:${port}${mcpRoutes.streamableHttp}`,
    port,
    close: async () => {
      await closeSseSessions();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would otherwise hold close() open until they time out.
        server.closeIdleConnections();
      });
    },
  };
}

export function listen(server: HttpServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(
              `Port ${port} on ${host} is already in use. Stop the program using it, or set PORT to another port.`,
            )
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
}
