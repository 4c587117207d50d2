import { extractTemplateValues, resourceUriMatcher, templateParameterNames } from './resourceUris';
import type { ToolLogger } from './toolLogger';

/**
 * A host-neutral MCP resource: a fixed URI, or a URI template such as `snippet://{name}` whose
 * `{…}` parts the request fills in. `read` returns the text; anything it throws is a failed read.
 */
export interface ResourceDefinition<Dependencies> {
  readonly uri: string;
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly mimeType: string;
  /** `_meta` in `resources/list` (the Functions trigger's `metadata`), e.g. MCP Apps' `ui.prefersBorder`. */
  readonly meta?: Readonly<Record<string, unknown>>;
  read(request: ResourceRequest, deps: Dependencies, signal: AbortSignal): Promise<string>;
}

/** The URI a client asked for and, for a template, the values of its parameters. */
export interface ResourceRequest {
  readonly uri: string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * A read that failed. Hosts answer it as the Functions MCP extension answers a function that threw:
 * JSON-RPC -32603 "An error occurred." (the C# MCP SDK sends no exception text,
 * modelcontextprotocol/csharp-sdk: src/ModelContextProtocol.Core/McpSessionHandler.cs), so the
 * reason goes to the server log instead.
 */
export class ResourceReadError extends Error {
  override readonly name = 'ResourceReadError';
}

/** The error code and message the extension answers a failed or malformed read with. */
export const failedReadError = { code: -32603, message: 'An error occurred.' } as const;

export function isUriTemplate(uri: string): boolean {
  return templateParameterNames(uri).length > 0;
}

/**
 * Whether the extension accepts the URI at all: absolute, with a scheme, and no stray braces
 * (Azure/azure-functions-mcp-extension: src/Microsoft.Azure.Functions.Extensions.Mcp/ResourceUriHelper.cs
 * `Validate`). The extension uses .NET's `Uri.TryCreate(…, Absolute)`; the WHATWG URL parser agrees
 * on the cases a client sends (a scheme is required, spaces are not allowed before it).
 */
export function isAcceptableResourceUri(uri: string): boolean {
  if (uri.trim() === '') return false;
  const template = isUriTemplate(uri);
  if (!template && /[{}]/.test(uri)) return false;
  return URL.canParse(template ? uri.replace(/\{[^{}]+\}/g, 'template') : uri);
}

/**
 * Finds the resource a URI names the way the extension's registry does: fixed URIs first, compared
 * without regard to case, then templates in registration order
 * (Azure/azure-functions-mcp-extension: src/Microsoft.Azure.Functions.Extensions.Mcp/DefaultResourceRegistry.cs).
 */
export function findResource<R extends { readonly uri: string }>(
  resources: readonly R[],
  uri: string,
): { resource: R; params: Record<string, string> } | undefined {
  const wanted = uri.toLowerCase();
  const fixed = resources.find(
    (resource) => !isUriTemplate(resource.uri) && resource.uri.toLowerCase() === wanted,
  );
  if (fixed) return { resource: fixed, params: {} };
  for (const resource of resources.filter((candidate) => isUriTemplate(candidate.uri))) {
    const params = extractTemplateValues(
      resourceUriMatcher(resource.uri),
      templateParameterNames(resource.uri),
      uri,
    );
    if (params) return { resource, params };
  }
  return undefined;
}

/**
 * Runs a resource's read for either host. A failure is logged with its reason, for the operator, and
 * rethrown as a ResourceReadError that carries no detail to the client.
 */
export async function readResourceText<Dependencies extends { readonly log: ToolLogger }>(
  resource: ResourceDefinition<Dependencies>,
  request: ResourceRequest,
  deps: Dependencies,
  signal: AbortSignal = new AbortController().signal,
): Promise<string> {
  try {
    return await resource.read(request, deps, signal);
  } catch (error) {
    deps.log.warn(
      `Reading the resource ${request.uri} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    throw new ResourceReadError(`Reading the resource ${request.uri} failed.`);
  }
}
