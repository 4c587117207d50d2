import {
  ErrorCode,
  type GetPromptResult,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
} from '@modelcontextprotocol/sdk/types.js';
import { JsonRpcError, requestParams } from './jsonRpcError';
import {
  missingArgumentsMessage,
  missingRequiredArguments,
  promptArgumentStrings,
  promptResult,
  type PromptDefinition,
} from './prompt';
import {
  failedReadError,
  findResource,
  isAcceptableResourceUri,
  readResourceText,
  type ResourceDefinition,
} from './resource';
import type { ToolLogger } from './toolLogger';

// How a server answers the prompts and resources requests, word for word as the Functions MCP extension
// does, so that a client sees the same answers from the embedded host as from Azure.

export function listedPrompt(prompt: PromptDefinition): Prompt {
  return {
    name: prompt.name,
    title: prompt.title,
    description: prompt.description,
    arguments: prompt.arguments.map(({ name, description, required }) => ({ name, description, required })),
  };
}

export function listedResource(resource: ResourceDefinition<unknown>): Resource {
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

export function listedTemplate(resource: ResourceDefinition<unknown>): ResourceTemplate {
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
export function getPrompt(
  params: unknown,
  promptsByName: ReadonlyMap<string, PromptDefinition>,
): GetPromptResult {
  const { name, arguments: args } = requestParams(params);
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
export async function readResource<Dependencies extends { readonly log: ToolLogger }>(
  params: unknown,
  resources: readonly ResourceDefinition<Dependencies>[],
  deps: Dependencies,
  signal: AbortSignal,
): Promise<ReadResourceResult> {
  const { uri } = requestParams(params);
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
