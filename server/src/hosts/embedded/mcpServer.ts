import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { ErrorCode, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { callTool } from '../../toolkit/callTool';
import { argumentsTooDeepMessage, describeValue, nestedTooDeep } from '../../toolkit/validationMessages';
import type { ServerTool, ToolDependencies } from '../../toolDependencies';
import { inputJsonSchema } from '../../toolkit/schemas';
import { serverInfo } from '../../serverInfo';

/**
 * Builds SDK servers for the catalogue. The low-level `Server` is used rather than `McpServer`
 * because validation belongs to `callTool`, which the Functions host shares: the two hosts then
 * word every error identically.
 */
export function mcpServerFactory(tools: readonly ServerTool[], deps: ToolDependencies): () => Server {
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
    // tools/call is served by the fallback handler, not setRequestHandler: the SDK parses a registered
    // method's params before any handler runs and answers a mismatch (arguments that are an array,
    // say) with -32603 Internal error and zod's issue list as the message
    // (https://github.com/modelcontextprotocol/typescript-sdk/issues/2284). Here bad params are
    // -32602 Invalid params with one sentence.
    server.fallbackRequestHandler = async (request, extra) => {
      if (request.method !== 'tools/call')
        throw new JsonRpcError(ErrorCode.MethodNotFound, 'Method not found');
      const { tool, args } = toolCall(request.params, byName);
      return callTool(tool, args, deps, extra.signal);
    };
    return server;
  };
}

/** The tool and arguments a tools/call names, or -32602 Invalid params saying what is wrong. */
function toolCall(
  params: unknown,
  byName: ReadonlyMap<string, ServerTool>,
): { tool: ServerTool; args: unknown } {
  const invalid = (message: string) => new JsonRpcError(ErrorCode.InvalidParams, message);
  const { name, arguments: args } = (typeof params === 'object' && params !== null ? params : {}) as {
    name?: unknown;
    arguments?: unknown;
  };
  if (typeof name !== 'string') throw invalid('tools/call needs the tool\'s "name" (a string).');
  const tool = byName.get(name);
  if (!tool) throw invalid(`Unknown tool "${name}". Call tools/list to see the tools this server offers.`);
  if (nestedTooDeep(args)) throw invalid(argumentsTooDeepMessage(name));
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    throw invalid(`Invalid arguments for ${name}: arguments must be an object, not ${describeValue(args)}.`);
  }
  return { tool, args };
}

/**
 * The SDK answers a handler's error with its numeric `code` and its `message`. McpError would put
 * "MCP error -32602: " in front of the message, and the SDK client adds that prefix again.
 */
export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
