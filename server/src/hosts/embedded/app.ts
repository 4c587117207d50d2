import express, { type ErrorRequestHandler, type Express } from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  allowedHostsGuard,
  allowedOriginsGuard,
  functionKeyGuard,
  invalidUtf8ErrorType,
  invalidUtf8Guard,
  sendJsonRpcError,
} from './requestGuards';
import type { EmbeddedHostSettings } from './hostSettings';
import { entraBearerGuard, protectedResourceMetadataHandler, protectedResourcePaths } from './entraAuth';
import type { ToolLogger } from '../../toolkit/toolLogger';
import { mcpRoutes } from '../../../../shared/mcpRoutes';

export interface EmbeddedApp {
  app: Express;
  /** Ends every open SSE stream, so a shutdown does not wait on long-lived connections. */
  closeSseSessions: () => Promise<void>;
}

export function createEmbeddedApp(
  settings: Pick<
    EmbeddedHostSettings,
    'key' | 'extraAllowedHosts' | 'extraAllowedOrigins' | 'maxBodyBytes' | 'auth'
  >,
  createServer: () => Server,
  log: ToolLogger,
): EmbeddedApp {
  const app = express();
  app.disable('x-powered-by');
  app.use(allowedHostsGuard(settings.extraAllowedHosts), allowedOriginsGuard(settings.extraAllowedOrigins));

  app.get(mcpRoutes.hostStatus, (_req, res) => {
    res.json({ state: 'Running', host: 'embedded' });
  });

  if (settings.auth) {
    // Protected Resource Metadata, open to all: it is how a client learns where to sign in.
    const prm = protectedResourceMetadataHandler(settings.auth);
    app.get(protectedResourcePaths.pathSuffixed, prm);
    app.get(protectedResourcePaths.root, prm);
  }

  const mcp = express.Router();
  // Only the MCP routes (the prefix covers /sse and /message): other paths still answer 404, not 401.
  if (settings.auth) mcp.use(mcpRoutes.streamableHttp, entraBearerGuard(settings.auth, log));
  else if (settings.key) mcp.use(functionKeyGuard(settings.key));
  const json = express.json({ limit: settings.maxBodyBytes, verify: invalidUtf8Guard });

  // Streamable HTTP, stateless as in the Functions MCP extension: every POST gets a fresh server.
  mcp.post(mcpRoutes.streamableHttp, json, async (req, res) => {
    const server = createServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  mcp.all(mcpRoutes.streamableHttp, (_req, res) => {
    res.setHeader('Allow', 'POST');
    sendJsonRpcError(res, 405, 'Method not allowed: this stateless endpoint accepts only POST.');
  });

  // The legacy SSE transport, for clients that have not moved to Streamable HTTP yet.
  const sseSessions = new Map<string, { transport: SSEServerTransport; server: Server }>();
  mcp.get(mcpRoutes.sse, async (req, res) => {
    // A key given as ?code= must come back on the message endpoint, or the client's POSTs would be refused.
    const code = typeof req.query.code === 'string' ? `?code=${encodeURIComponent(req.query.code)}` : '';
    const transport = new SSEServerTransport(`${mcpRoutes.sseMessage}${code}`, res);
    const server = createServer();
    sseSessions.set(transport.sessionId, { transport, server });
    res.on('close', () => {
      sseSessions.delete(transport.sessionId);
      void server.close();
    });
    await server.connect(transport);
  });
  mcp.post(mcpRoutes.sseMessage, json, async (req, res) => {
    const sessionId = typeof req.query.sessionId === 'string' ? req.query.sessionId : '';
    const session = sseSessions.get(sessionId);
    if (!session) {
      sendJsonRpcError(
        res,
        404,
        `No SSE session "${sessionId}". Open ${mcpRoutes.sse} again to start a new one.`,
      );
      return;
    }
    await session.transport.handlePostMessage(req, res, req.body);
  });
  app.use(mcp);

  app.use((req, res) => {
    sendJsonRpcError(
      res,
      404,
      `Nothing is served at ${req.path}. The MCP endpoint is ${mcpRoutes.streamableHttp}.`,
    );
  });
  app.use(errorHandler(settings.maxBodyBytes, log));

  return {
    app,
    closeSseSessions: async () => {
      await Promise.all([...sseSessions.values()].map(({ transport }) => transport.close()));
      sseSessions.clear();
    },
  };
}

/** Express's default handler would print a stack trace to the client; these answers name the problem instead. */
function errorHandler(maxBodyBytes: number, log: ToolLogger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const type = (error as { type?: unknown }).type;
    if (res.headersSent) {
      res.end();
      return;
    }
    if (type === 'entity.too.large') {
      sendJsonRpcError(
        res,
        413,
        `The request body is larger than the limit of ${maxBodyBytes} bytes (MCP_MAX_BODY_BYTES).`,
        -32600,
      );
    } else if (type === invalidUtf8ErrorType) {
      // Not UTF-8 is not JSON text (RFC 8259, section 8.1), so this is JSON-RPC's "Parse error".
      sendJsonRpcError(res, 400, (error as Error).message, -32700);
    } else if (type === 'entity.parse.failed') {
      sendJsonRpcError(res, 400, 'The request body is not valid JSON.', -32700);
    } else {
      log.error(`Request failed: ${error instanceof Error ? error.message : String(error)}`);
      sendJsonRpcError(
        res,
        500,
        'The MCP host failed to handle the request. Its log has the details.',
        -32603,
      );
    }
  };
}
