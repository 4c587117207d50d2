import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import {
  ErrorCode,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { callTool } from '../../toolkit/callTool';
import { argumentsTooDeepMessage, describeValue, nestedTooDeep } from '../../toolkit/validationMessages';
import type { ServerResource, ServerTool, ToolDependencies } from '../../toolDependencies';
import { inputJsonSchema } from '../../toolkit/schemas';
import { serverInfo } from '../../serverInfo';
import type { PromptDefinition } from '../../toolkit/prompt';
import { isUriTemplate } from '../../toolkit/resource';
import { JsonRpcError, requestParams } from '../../toolkit/jsonRpcError';
import {
  getPrompt,
  listedPrompt,
  listedResource,
  listedTemplate,
  readResource,
} from '../../toolkit/promptAndResourceRequests';
import { promptCatalogue } from '../../prompts';
import { resourceCatalogue } from '../../resources';

/** The prompts and resources a server offers beside its tools; the bundled catalogue's by default. */
export interface PromptsAndResources {
  prompts: readonly PromptDefinition[];
  resources: readonly ServerResource[];
}

const bundledPromptsAndResources: PromptsAndResources = {
  prompts: promptCatalogue,
  resources: resourceCatalogue,
};

/**
 * Builds SDK servers for the catalogue. The low-level `Server` is used rather than `McpServer`
 * because validation belongs to `callTool`, which the Functions host shares: the two hosts then
 * word every error identically.
 */
export function mcpServerFactory(
  tools: readonly ServerTool[],
  deps: ToolDependencies,
  { prompts, resources }: PromptsAndResources = bundledPromptsAndResources,
): () => Server {
  const listing: Tool[] = tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: inputJsonSchema(tool),
    ...(tool.meta ? { _meta: { ...tool.meta } } : {}),
  }));
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const promptListing = prompts.map(listedPrompt);
  const resourceListing = resources.filter((resource) => !isUriTemplate(resource.uri)).map(listedResource);
  const templateListing = resources.filter((resource) => isUriTemplate(resource.uri)).map(listedTemplate);
  // The extension's prompt registry ignores case (DefaultPromptRegistry.cs); so does this one.
  const promptsByName = new Map(prompts.map((prompt) => [prompt.name.toLowerCase(), prompt]));
  // Unless given one, every SDK Server builds its own Ajv instance: a third of the host's CPU with a
  // fresh Server per stateless request. It serves only elicitation, which this server never starts.
  const jsonSchemaValidator = new AjvJsonSchemaValidator();

  return () => {
    const server = new Server(
      { name: serverInfo.name, version: serverInfo.version },
      {
        capabilities: { tools: {}, prompts: {}, resources: {} },
        instructions: serverInfo.instructions,
        jsonSchemaValidator,
      },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listing }));
    server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: promptListing }));
    server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: resourceListing }));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
      resourceTemplates: templateListing,
    }));
    // tools/call is served by the fallback handler, not setRequestHandler: the SDK parses a registered
    // method's params before any handler runs and answers a mismatch (arguments that are an array,
    // say) with -32603 Internal error and zod's issue list as the message
    // (https://github.com/modelcontextprotocol/typescript-sdk/issues/2284). Here bad params are
    // -32602 Invalid params with one sentence.
    // prompts/get and resources/read take the same path, so their errors are the extension's words.
    server.fallbackRequestHandler = async (request, extra) => {
      switch (request.method) {
        case 'tools/call': {
          const { tool, args } = toolCall(request.params, byName);
          return callTool(tool, args, deps, extra.signal);
        }
        case 'prompts/get':
          return getPrompt(request.params, promptsByName);
        case 'resources/read':
          return readResource(request.params, resources, deps, extra.signal);
        default:
          throw new JsonRpcError(ErrorCode.MethodNotFound, 'Method not found');
      }
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
  const { name, arguments: args } = requestParams(params);
  if (typeof name !== 'string') throw invalid('tools/call needs the tool\'s "name" (a string).');
  const tool = byName.get(name);
  if (!tool) throw invalid(`Unknown tool "${name}". Call tools/list to see the tools this server offers.`);
  if (nestedTooDeep(args)) throw invalid(argumentsTooDeepMessage(name));
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    throw invalid(`Invalid arguments for ${name}: arguments must be an object, not ${describeValue(args)}.`);
  }
  return { tool, args };
}
