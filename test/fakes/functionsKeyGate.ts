// Stands in for the Azure Functions host in front of a self-hosted MCP server (the MCP custom
// handler) whose host.json says `customHandler.http.DefaultAuthorizationLevel: "function"`: every
// request must carry a key the host accepts at function level, or it is answered 401 with an empty
// body and never reaches the server. Contract, from Azure/azure-functions-host:
// - src/WebJobs.Script.WebHost/Security/Authentication/Keys/AuthenticationLevelHandler.cs: the key
//   comes from the `x-functions-key` header, else the `code` query parameter (the header wins);
// - src/WebJobs.Script.WebHost/Middleware/FunctionInvocationMiddleware.cs: an unauthorized request
//   gets an `UnauthorizedResult` (401, no body);
// - function level is met by a host function key (`functionKeys` of listHostKeys, e.g. `default`)
//   or the master key; system keys (`mcp_extension`) are not function keys.
// Everything else is forwarded unchanged to the server on 127.0.0.1 and its answer streamed back
// (Server-Sent Events included), as the host forwards to the custom handler's port.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardToLoopback } from './loopbackForward';

export interface FunctionsKeyGateOptions {
  /** The custom handler's port (read per request, so a restarted server may move). */
  targetPort: () => number;
  /** The keys the host accepts at function level now: the function keys and the master key. */
  acceptedKeys: () => readonly string[];
}

export interface FunctionsKeyGate {
  port: number;
  /** Requests answered 401, and those forwarded: what a test checks the client sent. */
  refused: number;
  forwarded: number;
  close(): Promise<void>;
}

function presentedKey(req: http.IncomingMessage): string | undefined {
  const header = req.headers['x-functions-key'];
  if (header !== undefined) return Array.isArray(header) ? header[0] : header;
  return new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('code') ?? undefined;
}

export async function startFunctionsKeyGate(options: FunctionsKeyGateOptions): Promise<FunctionsKeyGate> {
  const counts = { refused: 0, forwarded: 0 };
  const server = http.createServer((req, res) => {
    const key = presentedKey(req);
    if (!key || !options.acceptedKeys().includes(key)) {
      counts.refused++;
      req.resume();
      res.writeHead(401, { 'content-length': '0' }).end();
      return;
    }
    counts.forwarded++;
    forwardToLoopback(req, res, {
      port: options.targetPort(),
      unreachable: () => {
        // The host answers 500 when its custom handler does not (the server crashed or is starting).
        if (!res.headersSent) res.writeHead(500, { 'content-length': '0' });
        res.end();
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get refused() {
      return counts.refused;
    },
    get forwarded() {
      return counts.forwarded;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
