// The MCP SDK server for a user's Functions app: the listings are built once at start-up, and each
// call runs the app's function and answers as the Functions MCP extension does
// (Azure/azure-functions-mcp-extension: src/Microsoft.Azure.Functions.Extensions.Mcp/
// McpWebJobsBuilderExtensions.cs for lookups and unknown names, Trigger/McpToolListener.cs,
// McpResourceListener.cs and McpPromptListener.cs for validation and failures). Failures are worded
// as the MCP C# SDK words them (modelcontextprotocol/csharp-sdk: src/ModelContextProtocol.Core/
// Server/McpServerImpl.cs CreateToolCallErrorResult for tools; McpSessionHandler.cs, which answers
// any other exception with -32603 "An error occurred.").
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import {
  ErrorCode,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type ServerCapabilities,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { JsonRpcError } from '../embedded/mcpServer';
import { BindingError } from './blobBindings';
import type { AppCatalogue, AppPrompt, AppResource, AppTool } from './appCatalogue';
import type { FunctionInvoker, HostLog } from './functionInvoker';
import {
  promptInvocation,
  resourceInvocation,
  toolInvocation,
  type McpArguments,
  type McpRequestInfo,
  type TriggerInvocation,
} from './invocationRequests';
import type { McpServerOptions } from './loadApp';
import {
  ResultConversionError,
  toCallToolResult,
  toGetPromptResult,
  toReadResourceResult,
} from './mcpResults';
import { extractTemplateValues, validateResourceUri } from './resourceUris';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export function appServerFactory(
  catalogue: AppCatalogue,
  options: McpServerOptions,
  invoker: FunctionInvoker,
  log: HostLog,
): () => Server {
  const capabilities: ServerCapabilities = {
    ...(catalogue.tools.size > 0 ? { tools: {} } : {}),
    ...(catalogue.staticResources.size + catalogue.resourceTemplates.length > 0 ? { resources: {} } : {}),
    ...(catalogue.prompts.size > 0 ? { prompts: {} } : {}),
  };
  // One validator for every per-request Server: building Ajv per request costs a third of the CPU.
  const jsonSchemaValidator = new AjvJsonSchemaValidator();
  const calls = new AppCalls(catalogue, invoker, log);

  return () => {
    const server = new Server(
      { name: options.serverName, version: options.serverVersion },
      {
        capabilities,
        jsonSchemaValidator,
        ...(options.instructions !== undefined ? { instructions: options.instructions } : {}),
      },
    );
    if (capabilities.tools)
      server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: catalogue.toolListing }));
    if (capabilities.resources) {
      server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: catalogue.resourceListing }));
      server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
        resourceTemplates: catalogue.templateListing,
      }));
    }
    if (capabilities.prompts)
      server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: catalogue.promptListing }));
    // Calls go through the fallback handler: a registered handler's params are parsed by the SDK
    // first, and a mismatch would be answered in the SDK's words, not the extension's.
    server.fallbackRequestHandler = async (request, extra) => {
      const info = requestInfo(server, extra);
      const params = (
        typeof request.params === 'object' && request.params !== null ? request.params : {}
      ) as Record<string, unknown>;
      if (request.method === 'tools/call' && capabilities.tools) return calls.callTool(params, info);
      if (request.method === 'resources/read' && capabilities.resources)
        return calls.readResource(params, info);
      if (request.method === 'prompts/get' && capabilities.prompts) return calls.getPrompt(params, info);
      throw new JsonRpcError(ErrorCode.MethodNotFound, 'Method not found');
    };
    return server;
  };
}

class AppCalls {
  constructor(
    private readonly catalogue: AppCatalogue,
    private readonly invoker: FunctionInvoker,
    private readonly log: HostLog,
  ) {}

  async callTool(params: Record<string, unknown>, info: McpRequestInfo): Promise<CallToolResult> {
    const name = typeof params.name === 'string' ? params.name : '';
    const tool = this.catalogue.tools.get(name.toLowerCase());
    if (!tool) throw new JsonRpcError(ErrorCode.InvalidParams, `Unknown tool: '${name}'`);
    const args = argumentsOf(params, name);
    // ToolInputSchema/ToolInputSchema.cs Validate: required properties must be present and not null.
    const missing = tool.required.filter(
      (property) => args?.[property] === undefined || args[property] === null,
    );
    if (missing.length > 0) {
      throw new JsonRpcError(
        ErrorCode.InvalidParams,
        `One or more required tool properties are missing values. Please provide: ${missing.join(', ')}`,
      );
    }
    try {
      const invocation = toolInvocation(
        tool.functionName,
        tool.functionId,
        tool.triggerName,
        tool.listing.name,
        args,
        info,
      );
      const response = await this.invoker.invoke(tool, invocation);
      return toCallToolResult(response.returnValue);
    } catch (error) {
      this.logFailure(tool, error);
      // The requested name, as sent: McpServerImpl.cs uses request.Params.Name.
      return { isError: true, content: [{ type: 'text', text: `An error occurred invoking '${name}'.` }] };
    }
  }

  async readResource(params: Record<string, unknown>, info: McpRequestInfo) {
    const uri = params.uri;
    // DefaultResourceRegistry.TryGetResource validates first; its ArgumentException is not an MCP error.
    if (typeof uri !== 'string' || validateResourceUri(uri) !== undefined) {
      throw new JsonRpcError(ErrorCode.InternalError, 'An error occurred.');
    }
    const resource = this.findResource(uri);
    if (!resource) throw new JsonRpcError(ErrorCode.InvalidParams, `Unknown resource: '${uri}'`);
    const templateValues = resource.template
      ? extractTemplateValues(resource.template.matcher, resource.template.parameters, uri)
      : undefined;
    return this.run(
      resource,
      resourceInvocation(
        resource.functionName,
        resource.functionId,
        resource.triggerName,
        uri,
        templateValues,
        info,
      ),
      (response) =>
        toReadResourceResult(response.returnValue, uri, { uri: resource.uri, mimeType: resource.mimeType }),
    );
  }

  async getPrompt(params: Record<string, unknown>, info: McpRequestInfo) {
    const name = typeof params.name === 'string' ? params.name : '';
    const prompt = this.catalogue.prompts.get(name.toLowerCase());
    if (!prompt) throw new JsonRpcError(ErrorCode.InvalidParams, `Unknown prompt: '${name}'`);
    const args = argumentsOf(params, name);
    // Trigger/McpPromptListener.cs ValidateRequiredArguments.
    const missing = prompt.required.filter(
      (argument) => args?.[argument] === undefined || args[argument] === null,
    );
    if (missing.length > 0) {
      throw new JsonRpcError(
        ErrorCode.InvalidParams,
        `One or more required prompt arguments are missing values. Please provide: ${missing.join(', ')}`,
      );
    }
    return this.run(
      prompt,
      promptInvocation(
        prompt.functionName,
        prompt.functionId,
        prompt.triggerName,
        prompt.listing.name,
        args,
        info,
      ),
      (response) => toGetPromptResult(response.returnValue),
    );
  }

  /** Static URIs first, then templates in registration order, both ignoring case (DefaultResourceRegistry.cs). */
  private findResource(uri: string): AppResource | undefined {
    return (
      this.catalogue.staticResources.get(uri.toLowerCase()) ??
      this.catalogue.resourceTemplates.find((template) => template.template?.matcher.test(uri))
    );
  }

  private async run<T>(
    fn: AppResource | AppPrompt,
    invocation: TriggerInvocation,
    convert: (response: Awaited<ReturnType<FunctionInvoker['invoke']>>) => T,
  ): Promise<T> {
    try {
      return convert(await this.invoker.invoke(fn, invocation));
    } catch (error) {
      this.logFailure(fn, error);
      throw new JsonRpcError(ErrorCode.InternalError, 'An error occurred.');
    }
  }

  /** The client sees the extension's terse wording; the log says what went wrong, as func's does. */
  private logFailure(fn: AppTool | AppResource | AppPrompt, error: unknown): void {
    this.log.error(
      `[${fn.functionName}] Executed 'Functions.${fn.functionName}' (Failed): ${failureDetail(error)}`,
    );
  }
}

/**
 * The error and the stack frames of the user's code: frames of this host and of @azure/functions
 * say nothing the user can act on. Binding and conversion errors are ours, so their message is all.
 */
export function failureDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof BindingError || error instanceof ResultConversionError) return error.message;
  const frames = (error.stack ?? '')
    .split('\n')
    .slice(1)
    .filter(
      (line) =>
        /^\s+at /.test(line) && !/node_modules[\\/]|functionsApp\.js|node:internal|<anonymous>/.test(line),
    );
  return [`${error.name}: ${error.message}`, ...frames].join('\n');
}

/** Tool and prompt arguments: an object, or absent. Anything else is refused as invalid params. */
function argumentsOf(params: Record<string, unknown>, name: string): McpArguments {
  const args = params.arguments;
  if (args === undefined || args === null) return undefined;
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw new JsonRpcError(
      ErrorCode.InvalidParams,
      `Invalid arguments for '${name}': "arguments" must be an object.`,
    );
  }
  return args as Record<string, unknown>;
}

/**
 * What Trigger/McpTriggerTransportHelper.cs reads from the HTTP context. The legacy SSE transport
 * is the one with a session id of its own; the stateless Streamable HTTP one has none.
 */
function requestInfo(server: Server, extra: Extra): McpRequestInfo {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(extra.requestInfo?.headers ?? {})) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(',') : value;
  }
  const transportSessionId = headers['mcp-session-id'];
  const client = server.getClientVersion();
  return {
    transportName: extra.sessionId !== undefined ? 'http-sse' : 'http-streamable',
    headers,
    transportSessionId,
    sessionId: transportSessionId ?? extra.sessionId,
    clientInfo: client
      ? { name: client.name, version: client.version, ...(client.title ? { title: client.title } : {}) }
      : undefined,
  };
}
