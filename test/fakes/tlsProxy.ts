// Stands in for a deployed function app's https front end: TLS with the loopback certificate on
// one port, forwarding every request and its streamed response (SSE included) to an http server on
// 127.0.0.1. Lets the embedded host, started with MCP_KEY, play a function app in tests. A delay
// before forwarding plays the network latency between VS Code and Azure.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { loopbackCertificate } from './loopbackCertificate';
import { badGateway, forwardToLoopback } from './loopbackForward';

export interface TlsProxyOptions {
  /** Added before each request is forwarded (read per request, so a test can change it). */
  delayMs?: () => number;
}

export interface TlsProxy {
  /** host:port, as a function app's defaultHostName would be. */
  hostName: string;
  port: number;
  close(): Promise<void>;
}

export async function startTlsProxy(
  targetPort: () => number,
  options: TlsProxyOptions = {},
): Promise<TlsProxy> {
  const { cert, key } = await loopbackCertificate();
  const server = https.createServer({ cert, key }, (req, res) => {
    const forward = () => {
      forwardToLoopback(req, res, {
        port: targetPort(),
        // As App Service's front end does, tell the app the client came over https.
        headers: { ...req.headers, 'x-forwarded-proto': 'https' },
        unreachable: badGateway('The function app is not reachable.'),
      });
    };
    const delay = options.delayMs?.() ?? 0;
    if (delay > 0) {
      // The body stays paused until forward() pipes it, as it would wait on the wire.
      req.pause();
      const timer = setTimeout(forward, delay);
      res.once('close', () => clearTimeout(timer));
    } else {
      forward();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hostName: `127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
