// What the app registered, read once at start-up into the listings the MCP server answers with and
// the lookups its calls use, the way the Functions MCP extension's registries build them
// (Azure/azure-functions-mcp-extension: src/Microsoft.Azure.Functions.Extensions.Mcp/
// DefaultToolRegistry.cs, DefaultResourceRegistry.cs, DefaultPromptRegistry.cs).
import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { BlobBinding } from './blobBindings';
import type { CoreBindingInfo, RegisteredFunction } from './coreApi';
import { AppProblem } from './loadApp';
import { resourceUriMatcher, templateParameterNames, validateResourceUri } from './resourceUris';

interface AppFunction {
  functionId: string;
  functionName: string;
  registered: RegisteredFunction;
  /** The trigger binding's name, which the RPC input data and trigger metadata are keyed by. */
  triggerName: string;
  blobInputs: (BlobBinding & { dataType: string | undefined })[];
  blobOutputs: BlobBinding[];
}

export interface AppTool extends AppFunction {
  listing: Tool;
  required: string[];
}

export interface AppResource extends AppFunction {
  uri: string;
  mimeType: string | undefined;
  /** Set for a template (`{name}` in the URI): matches request URIs and names their parameters. */
  template?: { matcher: RegExp; parameters: string[] };
}

export interface AppPrompt extends AppFunction {
  listing: Prompt;
  required: string[];
}

export interface AppCatalogue {
  /** Keyed by lower-cased tool name: the registry compares names ignoring case. */
  tools: Map<string, AppTool>;
  toolListing: Tool[];
  staticResources: Map<string, AppResource>;
  resourceTemplates: AppResource[];
  resourceListing: Resource[];
  templateListing: ResourceTemplate[];
  prompts: Map<string, AppPrompt>;
  promptListing: Prompt[];
  /** Functions with other triggers (HTTP, timer, queue ...), which only the Functions host runs. */
  notServed: { functionName: string; triggerType: string }[];
}

const mcpTriggerTypes = new Set(['mcptooltrigger', 'mcpresourcetrigger', 'mcpprompttrigger']);

export function buildCatalogue(functions: ReadonlyMap<string, RegisteredFunction>): AppCatalogue {
  const catalogue: AppCatalogue = {
    tools: new Map(),
    toolListing: [],
    staticResources: new Map(),
    resourceTemplates: [],
    resourceListing: [],
    templateListing: [],
    prompts: new Map(),
    promptListing: [],
    notServed: [],
  };
  for (const [functionId, registered] of functions) {
    const functionName = registered.metadata.name;
    const bindings = Object.entries(registered.metadata.bindings ?? {});
    const trigger = bindings.find(
      ([, binding]) => binding.direction === 'in' && /trigger$/i.test(binding.type ?? ''),
    );
    const triggerType = trigger?.[1].type?.toLowerCase() ?? '';
    if (!trigger || !mcpTriggerTypes.has(triggerType)) {
      catalogue.notServed.push({ functionName, triggerType: trigger?.[1].type ?? 'no trigger' });
      continue;
    }
    const [triggerName, triggerBinding] = trigger;
    const base: AppFunction = {
      functionId,
      functionName,
      registered,
      triggerName,
      ...blobBindings(
        functionName,
        bindings.filter(([name]) => name !== triggerName),
      ),
    };
    if (triggerType === 'mcptooltrigger') addTool(catalogue, base, triggerBinding);
    else if (triggerType === 'mcpresourcetrigger') addResource(catalogue, base, triggerBinding);
    else addPrompt(catalogue, base, triggerBinding);
  }
  return catalogue;
}

/** Only storage blob bindings run here; any other is named with the way to run it (Core Tools). */
function blobBindings(
  functionName: string,
  bindings: [string, CoreBindingInfo][],
): Pick<AppFunction, 'blobInputs' | 'blobOutputs'> {
  const result: Pick<AppFunction, 'blobInputs' | 'blobOutputs'> = { blobInputs: [], blobOutputs: [] };
  for (const [name, binding] of bindings) {
    const type = binding.type ?? 'unknown';
    const isBlob = type.toLowerCase() === 'blob' && name !== '$return' && typeof binding.path === 'string';
    if (!isBlob) {
      const what =
        name === '$return'
          ? `a "${type}" return binding`
          : `the "${type}" ${binding.direction === 'out' ? 'output' : 'input'} binding "${name}"`;
      throw new AppProblem(
        `Function "${functionName}" uses ${what}, which the embedded host does not run (it runs MCP triggers with storage blob input and output bindings). Install Azure Functions Core Tools and start the app with "func start" to use it.`,
      );
    }
    const blob: BlobBinding = {
      name,
      direction: binding.direction === 'out' ? 'out' : 'in',
      path: binding.path as string,
      connection:
        typeof binding.connection === 'string' && binding.connection
          ? binding.connection
          : 'AzureWebJobsStorage',
    };
    if (blob.direction === 'out') result.blobOutputs.push(blob);
    else
      result.blobInputs.push({
        ...blob,
        dataType: typeof binding.dataType === 'string' ? binding.dataType : undefined,
      });
  }
  return result;
}

/** A tool property as the extension deserializes `toolProperties` (InputBinding/McpToolPropertyAttribute.cs). */
interface ToolProperty {
  propertyName: string;
  propertyType: string;
  description: string | undefined;
  isRequired: boolean;
  isArray: boolean;
  enumValues: string[];
}

function addTool(catalogue: AppCatalogue, base: AppFunction, trigger: CoreBindingInfo): void {
  const toolName = stringOption(trigger, 'toolName') ?? base.functionName;
  const key = toolName.toLowerCase();
  if (catalogue.tools.has(key)) {
    throw new AppProblem(
      `Tool with name '${toolName}' is already registered (function "${base.functionName}"). Give each tool its own toolName.`,
    );
  }
  const properties = toolProperties(base.functionName, trigger.toolProperties);
  const listing: Tool = {
    name: toolName,
    ...(stringOption(trigger, 'description') !== undefined
      ? { description: stringOption(trigger, 'description') }
      : {}),
    inputSchema: inputSchema(properties),
    ...metaOf(base.functionName, trigger.metadata),
  };
  const tool: AppTool = {
    ...base,
    listing,
    required: properties.filter((p) => p.isRequired).map((p) => p.propertyName),
  };
  catalogue.tools.set(key, tool);
  catalogue.toolListing.push(listing);
}

function toolProperties(functionName: string, raw: unknown): ToolProperty[] {
  if (raw === undefined || raw === null || raw === '') return [];
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    throw new AppProblem(`Function "${functionName}": its toolProperties are not valid JSON.`);
  }
  if (!Array.isArray(parsed))
    throw new AppProblem(`Function "${functionName}": toolProperties must be an array.`);
  return parsed.map((entry: Record<string, unknown>) => {
    // McpJsonSerializerOptions reads property names ignoring case.
    const get = (name: string) =>
      Object.entries(entry ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
    const enumValues = get('enumValues');
    return {
      propertyName: typeof get('propertyName') === 'string' ? (get('propertyName') as string) : '',
      propertyType: typeof get('propertyType') === 'string' ? (get('propertyType') as string) : '',
      description: typeof get('description') === 'string' ? (get('description') as string) : undefined,
      isRequired: get('isRequired') === true,
      isArray: get('isArray') === true,
      enumValues: Array.isArray(enumValues)
        ? enumValues.filter((v): v is string => typeof v === 'string')
        : [],
    };
  });
}

/**
 * ToolInputSchema/PropertyBasedToolInputSchema.cs BuildSchemaElement: an object schema with each
 * property's type (arrays as `items`), `enum` when given, a description (empty when none) and an
 * always-present `required` list.
 */
export function inputSchema(properties: readonly ToolProperty[]): Tool['inputSchema'] {
  const usable = properties.filter((p) => p.propertyName.trim() !== '');
  const schemaProperties: Record<string, object> = {};
  for (const p of usable) {
    const typed = { type: p.propertyType, ...(p.enumValues.length > 0 ? { enum: p.enumValues } : {}) };
    schemaProperties[p.propertyName] = p.isArray
      ? { type: 'array', items: typed, description: p.description ?? '' }
      : { ...typed, description: p.description ?? '' };
  }
  const required = [...new Set(usable.filter((p) => p.isRequired).map((p) => p.propertyName))];
  return { type: 'object', properties: schemaProperties, required };
}

function addResource(catalogue: AppCatalogue, base: AppFunction, trigger: CoreBindingInfo): void {
  const uri = stringOption(trigger, 'uri') ?? '';
  const problem = validateResourceUri(uri);
  if (problem) throw new AppProblem(`Function "${base.functionName}": ${problem}`);
  const name = stringOption(trigger, 'resourceName') ?? base.functionName;
  const mimeType = stringOption(trigger, 'mimeType');
  const described = {
    name,
    ...(stringOption(trigger, 'title') !== undefined ? { title: stringOption(trigger, 'title') } : {}),
    ...(stringOption(trigger, 'description') !== undefined
      ? { description: stringOption(trigger, 'description') }
      : {}),
    ...(mimeType !== undefined ? { mimeType } : {}),
  };
  const meta = metaOf(base.functionName, trigger.metadata);
  const parameters = templateParameterNames(uri);
  if (parameters.length > 0) {
    const normalized = uri.replace(/\{[^{}]+\}/g, '{_}').toLowerCase();
    const existing = catalogue.resourceTemplates.find(
      (t) => t.uri.replace(/\{[^{}]+\}/g, '{_}').toLowerCase() === normalized,
    );
    if (existing) {
      throw new AppProblem(
        `A resource template with an equivalent URI pattern is already registered. Existing: '${existing.uri}', New: '${uri}' (function "${base.functionName}").`,
      );
    }
    catalogue.resourceTemplates.push({
      ...base,
      uri,
      mimeType,
      template: { matcher: resourceUriMatcher(uri), parameters },
    });
    catalogue.templateListing.push({ uriTemplate: uri, ...described, ...meta });
    return;
  }
  const key = uri.toLowerCase();
  if (catalogue.staticResources.has(key)) {
    throw new AppProblem(
      `Resource with URI '${uri}' is already registered (function "${base.functionName}").`,
    );
  }
  const size = typeof trigger.size === 'number' ? { size: trigger.size } : {};
  catalogue.staticResources.set(key, { ...base, uri, mimeType });
  catalogue.resourceListing.push({ uri, ...described, ...size, ...meta });
}

function addPrompt(catalogue: AppCatalogue, base: AppFunction, trigger: CoreBindingInfo): void {
  const promptName = stringOption(trigger, 'promptName') ?? base.functionName;
  const key = promptName.toLowerCase();
  if (catalogue.prompts.has(key)) {
    throw new AppProblem(
      `Prompt with name '${promptName}' is already registered (function "${base.functionName}").`,
    );
  }
  const args = promptArguments(base.functionName, trigger.promptArguments);
  const icons = jsonOption(base.functionName, trigger.icons, 'icons');
  const listing: Prompt = {
    name: promptName,
    ...(stringOption(trigger, 'title') !== undefined ? { title: stringOption(trigger, 'title') } : {}),
    ...(stringOption(trigger, 'description') !== undefined
      ? { description: stringOption(trigger, 'description') }
      : {}),
    ...(args !== undefined ? { arguments: args } : {}),
    ...(Array.isArray(icons) ? { icons: icons as Prompt['icons'] } : {}),
    ...metaOf(base.functionName, trigger.metadata),
  };
  const prompt: AppPrompt = {
    ...base,
    listing,
    required: (args ?? []).filter((a) => a.required === true).map((a) => a.name),
  };
  catalogue.prompts.set(key, prompt);
  catalogue.promptListing.push(listing);
}

/** Trigger/McpPromptTriggerBinding.cs ParsePromptArguments; PromptArgument drops null members on the wire. */
function promptArguments(functionName: string, raw: unknown): NonNullable<Prompt['arguments']> | undefined {
  const parsed = jsonOption(functionName, raw, 'promptArguments');
  if (parsed === undefined) return undefined;
  if (!Array.isArray(parsed))
    throw new AppProblem(`Function "${functionName}": promptArguments must be an array.`);
  return parsed.map((entry: Record<string, unknown>) => ({
    name: typeof entry?.name === 'string' ? entry.name : '',
    ...(typeof entry?.title === 'string' ? { title: entry.title } : {}),
    ...(typeof entry?.description === 'string' ? { description: entry.description } : {}),
    ...(typeof entry?.required === 'boolean' ? { required: entry.required } : {}),
  }));
}

/** MetadataParser.cs: a JSON object becomes `_meta`; an empty one is left out; any other JSON fails indexing. */
function metaOf(functionName: string, raw: unknown): { _meta?: Record<string, unknown> } {
  const parsed = jsonOption(functionName, raw, 'metadata');
  if (parsed === undefined) return {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AppProblem(
      `Function "${functionName}": metadata must be a JSON object, e.g. '{"ui":{"resourceUri":"ui://..."}}'.`,
    );
  }
  return Object.keys(parsed).length > 0 ? { _meta: parsed as Record<string, unknown> } : {};
}

function jsonOption(functionName: string, raw: unknown, option: string): unknown {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return raw;
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new AppProblem(`Function "${functionName}": "${option}" is not valid JSON.`);
  }
}

function stringOption(binding: CoreBindingInfo, key: string): string | undefined {
  const value = binding[key];
  return typeof value === 'string' ? value : undefined;
}
