/**
 * The routes of the Azure Functions MCP extension
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-mcp) and the Functions host's
 * status route. The embedded host serves the same ones, so clients cannot tell the two hosts apart,
 * and the extension and `npm start` build their URLs from them.
 */
export const mcpRoutes = {
  streamableHttp: '/runtime/webhooks/mcp',
  sse: '/runtime/webhooks/mcp/sse',
  sseMessage: '/runtime/webhooks/mcp/message',
  hostStatus: '/admin/host/status',
} as const;
