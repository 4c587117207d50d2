import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import {
  ErrorCode,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  type GetPromptResult,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { callTool } from '../../toolkit/callTool';
import { argumentsTooDeepMessage, describeValue, nestedTooDeep } from '../../toolkit/validationMessages';
import type { ServerResource, ServerTool, ToolDependencies } from '../../toolDependencies';
import { inputJsonSchema } from '../../toolkit/schemas';
import { serverInfo } from '../../serverInfo';
import {
  missingArgumentsMessage,
  missingRequiredArguments,
  promptArgumentStrings,
  promptResult,
  type PromptDefinition,
} from '../../toolkit/prompt';
import {
  failedReadError,
  findResource,
  isAcceptableResourceUri,
  isUriTemplate,
  readResourceText,
} from '../../toolkit/resource';
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
  const { name, arguments: args } = paramsObject(params);
  if (typeof name !== 'string') throw invalid('tools/call needs the tool\'s "name" (a string).');
  const tool = byName.get(name);
  if (!tool) throw invalid(`Unknown tool "${name}". Call tools/list to see the tools this server offers.`);
  if (nestedTooDeep(args)) throw invalid(argumentsTooDeepMessage(name));
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    throw invalid(`Invalid arguments for ${name}: arguments must be an object, not ${describeValue(args)}.`);
  }
  return { tool, args };
}

function listedPrompt(prompt: PromptDefinition): Prompt {
  return {
    name: prompt.name,
    title: prompt.title,
    description: prompt.description,
    arguments: prompt.arguments.map(({ name, description, required }) => ({ name, description, required })),
  };
}

function listedResource(resource: ServerResource): Resource {
  const { uri, name, title, description, mimeType } = resource;
  return {
    uri,
    name,
    title,
    description,
    mimeType,
    ...(resource.meta ? { _meta: { ...resource.meta } } : {}),
  };
}

function listedTemplate(resource: ServerResource): ResourceTemplate {
  const { uri, name, title, description, mimeType } = resource;
  return {
    uriTemplate: uri,
    name,
    title,
    description,
    mimeType,
    ...(resource.meta ? { _meta: { ...resource.meta } } : {}),
  };
}

/**
 * prompts/get as the Functions MCP extension answers it: an unknown name, then missing required
 * arguments, are -32602 with its sentences (Azure/azure-functions-mcp-extension:
 * src/Microsoft.Azure.Functions.Extensions.Mcp/McpWebJobsBuilderExtensions.cs, Trigger/McpPromptListener.cs).
 */
function getPrompt(params: unknown, promptsByName: ReadonlyMap<string, PromptDefinition>): GetPromptResult {
  const { name, arguments: args } = paramsObject(params);
  const prompt = typeof name === 'string' ? promptsByName.get(name.toLowerCase()) : undefined;
  if (!prompt)
    throw new JsonRpcError(
      ErrorCode.InvalidParams,
      `Unknown prompt: '${typeof name === 'string' ? name : ''}'`,
    );
  const missing = missingRequiredArguments(prompt, args);
  if (missing.length > 0) throw new JsonRpcError(ErrorCode.InvalidParams, missingArgumentsMessage(missing));
  return promptResult(prompt.text(promptArgumentStrings(args)));
}

/**
 * resources/read as the extension answers it: a URI it cannot parse, or a read that fails, is -32603
 * "An error occurred."; a URI no resource matches is -32602 "Unknown resource" (McpWebJobsBuilderExtensions.cs,
 * DefaultResourceRegistry.cs). The contents carry the URI as asked and the resource's mime type
 * (Trigger/ResourceReturnValueBinder.cs).
 */
async function readResource(
  params: unknown,
  resources: readonly ServerResource[],
  deps: ToolDependencies,
  signal: AbortSignal,
): Promise<ReadResourceResult> {
  const { uri } = paramsObject(params);
  if (typeof uri !== 'string') throw new JsonRpcError(ErrorCode.InvalidParams, "Unknown resource: ''");
  if (!isAcceptableResourceUri(uri)) throw new JsonRpcError(failedReadError.code, failedReadError.message);
  const found = findResource(resources, uri);
  if (!found) throw new JsonRpcError(ErrorCode.InvalidParams, `Unknown resource: '${uri}'`);
  let text: string;
  try {
    text = await readResourceText(found.resource, { uri, params: found.params }, deps, signal);
  } catch {
    throw new JsonRpcError(failedReadError.code, failedReadError.message);
  }
  return { contents: [{ uri, mimeType: found.resource.mimeType, text }] };
}

function paramsObject(params: unknown): Record<string, unknown> {
  return typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
}

/**
 * The SDK answers a handler's error with its numeric `code` and its `message`. McpError would put
 * "MCP error -32602: " in front of the message, and the SDK client adds that prefix again.
 */
class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
