import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { callTool } from '../../toolkit/callTool';
import type { ToolDependencies } from '../../toolkit/dependencies';
import { inputJsonSchema } from '../../toolkit/schemas';
import type { ToolDefinition } from '../../toolkit/tool';
import { serverInfo } from '../../serverInfo';

/**
 * Builds SDK servers for the catalogue. The low-level `Server` is used rather than `McpServer`
 * because validation belongs to `callTool`, which the Functions host shares: the two hosts then
 * word every error identically.
 */
export function mcpServerFactory(tools: readonly ToolDefinition[], deps: ToolDependencies): () => Server {
  const listing: Tool[] = tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: inputJsonSchema(tool),
  }));
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  // Unless given one, every SDK Server builds its own Ajv instance: a third of the host's CPU with a
  // fresh Server per stateless request. It serves only elicitation, which this server never starts.
  const jsonSchemaValidator = new AjvJsonSchemaValidator();

  return () => {
    const server = new Server(
      { name: serverInfo.name, version: serverInfo.version },
      { capabilities: { tools: {} }, instructions: serverInfo.instructions, jsonSchemaValidator },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listing }));
    server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
      const tool = byName.get(request.params.name);
      if (!tool) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `Unknown tool "${request.params.name}". Call tools/list to see the tools this server offers.`,
        );
      }
      return callTool(tool, request.params.arguments, deps, extra.signal);
    });
    return server;
  };
}
