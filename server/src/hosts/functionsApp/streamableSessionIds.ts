// Streamable HTTP session ids as the Functions MCP extension hands them out: stateless, yet the
// first request (initialize) is answered with an `Mcp-Session-Id` that the client sends back, and
// every later request's server is rebuilt from it (Azure/azure-functions-mcp-extension:
// src/Microsoft.Azure.Functions.Extensions.Mcp/Http/StreamableHttpRequestHandler.cs). Functions
// see it as their session (Trigger/McpTriggerTransportHelper.cs reads the header). The shared
// embedded app runs the SDK transport without session ids, so this host adds them in front of it;
// the SDK's stateless transport accepts any id a client sends.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mcpRoutes } from '../../../../shared/mcpRoutes';

export const sessionIdHeader = 'mcp-session-id';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function withStreamableSessionIds(handler: Handler): Handler {
  return (req, res) => {
    if (
      req.method === 'POST' &&
      !req.headers[sessionIdHeader] &&
      pathOf(req.url) === mcpRoutes.streamableHttp
    ) {
      const sessionId = randomUUID().replace(/-/g, '');
      req.headers[sessionIdHeader] = sessionId;
      res.setHeader('Mcp-Session-Id', sessionId);
    }
    handler(req, res);
  };
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '').split('?', 1)[0] ?? '';
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
