import {
  InvocationContext,
  McpToolResponse,
  PromptInvocationContext,
  trigger,
  type McpPromptFunctionOptions,
  type McpPromptTrigger,
  type McpResourceFunctionOptions,
  type McpResourceTrigger,
  type McpToolFunctionOptions,
} from '@azure/functions';
import type { McpToolRegistrar } from '../../server/src/hosts/functions/registerTools';
import { dotnetArgumentStrings } from '../../server/src/hosts/functionsApp/invocationRequests';
import type { McpPromptRegistrar } from '../../server/src/hosts/functions/registerPrompts';
import type { McpResourceRegistrar } from '../../server/src/hosts/functions/registerResources';
import { findResource, isAcceptableResourceUri, isUriTemplate } from '../../server/src/toolkit/resource';

/**
 * A JSON-RPC error as the Functions MCP extension answers it: `McpProtocolException` keeps its code and
 * message; any other exception becomes -32603 "An error occurred."
 * (modelcontextprotocol/csharp-sdk: src/ModelContextProtocol.Core/McpSessionHandler.cs).
 */
export class ExtensionError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const anErrorOccurred = () => new ExtensionError(-32603, 'An error occurred.');

interface RecordedPrompt {
  trigger: McpPromptTrigger;
  options: McpPromptFunctionOptions;
}

interface RecordedResource {
  functionName: string;
  uri: string;
  trigger: McpResourceTrigger;
  options: McpResourceFunctionOptions;
}

/**
 * Records what the Functions host registers, in place of `app`, so registrations can be invoked the way
 * the Functions MCP extension invokes them. Prompt and resource options go through `@azure/functions`'
 * own trigger converters, so the recorder sees what the extension receives.
 */
export class RecordingRegistrar implements McpToolRegistrar, McpPromptRegistrar, McpResourceRegistrar {
  readonly registrations = new Map<string, McpToolFunctionOptions>();
  readonly prompts = new Map<string, RecordedPrompt>();
  readonly resources: RecordedResource[] = [];

  mcpTool(name: string, options: McpToolFunctionOptions): void {
    this.registrations.set(name, options);
  }

  mcpPrompt(name: string, options: McpPromptFunctionOptions): void {
    this.prompts.set(name, { trigger: trigger.mcpPrompt(options), options });
  }

  mcpResource(name: string, options: McpResourceFunctionOptions): void {
    const converted = trigger.mcpResource(options);
    this.resources.push({ functionName: name, uri: converted.uri, trigger: converted, options });
  }

  /**
   * Invokes a registered tool the way the Functions MCP extension does: the arguments arrive in
   * the trigger metadata as `mcptoolargs`. Returns the result in MCP wire shape for comparison.
   */
  async invoke(name: string, args: unknown): Promise<Record<string, unknown>> {
    const options = this.registrations.get(name);
    if (!options) throw new Error(`No Functions registration for ${name}`);
    // The trigger input is the invocation with the arguments as sent; mcptoolargs holds them as text
    // (McpToolTriggerBinding.cs), which is all a binding expression needs.
    const context = new InvocationContext({
      functionName: name,
      invocationId: 'test-invocation',
      triggerMetadata: {
        mcptoolargs: isRecord(args) ? dotnetArgumentStrings(args) : undefined,
      },
    });
    const response: unknown = await options.handler({ name, arguments: args }, context);
    if (!(response instanceof McpToolResponse)) throw new Error(`${name} did not return an McpToolResponse`);
    return {
      content: response.content.map((block) => block.toJSON()),
      ...(response.structuredContent !== undefined ? { structuredContent: response.structuredContent } : {}),
      ...(response.isError ? { isError: true } : {}),
    };
  }

  /** tools/list's names and `_meta`, as the extension lists each trigger's `metadata` (DefaultToolRegistry.cs). */
  listToolMeta(): Record<string, unknown> {
    const listed: Record<string, unknown> = {};
    for (const options of this.registrations.values()) {
      if (options.metadata) listed[options.toolName] = JSON.parse(options.metadata) as unknown;
    }
    return listed;
  }

  /** prompts/list as the extension builds it from the triggers (DefaultPromptRegistry.cs `ListPromptsAsync`). */
  listPrompts(): { prompts: Record<string, unknown>[] } {
    return {
      prompts: [...this.prompts.values()].map(({ trigger: t }) => ({
        name: t.promptName,
        ...definedOnly({ title: t.title, description: t.description }),
        // The C# SDK leaves out null properties when it serialises (McpJsonUtilities.DefaultOptions).
        arguments: promptArguments(t).map((argument) => definedOnly(argument)),
        ...metaOf(t.metadata),
      })),
    };
  }

  /**
   * prompts/get as the extension runs it: the name looked up without regard to case, then required arguments
   * checked (McpWebJobsBuilderExtensions.cs, Trigger/McpPromptListener.cs); the handler gets the library's
   * PromptInvocationContext; its string return becomes one user message (SimplePromptReturnValueBinder.cs).
   */
  async getPrompt(name: string, args: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
    const recorded = [...this.prompts.entries()].find(
      ([, { trigger: t }]) => t.promptName.toLowerCase() === name.toLowerCase(),
    );
    if (!recorded) throw new ExtensionError(-32602, `Unknown prompt: '${name}'`);
    const [functionName, { trigger: t, options }] = recorded;
    const missing = promptArguments(t)
      .filter((argument) => argument.required === true)
      .filter((argument) => args?.[argument.name] === undefined || args[argument.name] === null)
      .map((argument) => argument.name);
    if (missing.length > 0) {
      throw new ExtensionError(
        -32602,
        `One or more required prompt arguments are missing values. Please provide: ${missing.join(', ')}`,
      );
    }
    // The trigger value is the extension's PromptInvocationContext as JSON (Trigger/McpPromptTriggerBinding.cs);
    // the Node library wraps it (@azure/functions src/InvocationModel.ts).
    const input = new PromptInvocationContext({ name: t.promptName, arguments: args ?? {} });
    const context = new InvocationContext({
      functionName,
      invocationId: 'test-invocation',
      triggerMetadata: { mcppromptargs: input.arguments },
    });
    let value: unknown;
    try {
      value = await options.handler(input, context);
    } catch {
      throw anErrorOccurred();
    }
    if (value === undefined || value === null) return { messages: [] };
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return { messages: [{ role: 'user', content: { type: 'text', text } }] };
  }

  /** resources/list: the fixed URIs only (DefaultResourceRegistry.cs `ListResourcesAsync`). */
  listResources(): { resources: Record<string, unknown>[] } {
    return {
      resources: this.resources
        .filter(({ uri }) => !isUriTemplate(uri))
        .map(({ trigger: t }) => ({
          uri: t.uri,
          name: t.resourceName,
          ...definedOnly({ title: t.title, description: t.description, mimeType: t.mimeType, size: t.size }),
          ...metaOf(t.metadata),
        })),
    };
  }

  /** resources/templates/list (DefaultResourceRegistry.cs `ListResourceTemplatesAsync`). */
  listResourceTemplates(): { resourceTemplates: Record<string, unknown>[] } {
    return {
      resourceTemplates: this.resources
        .filter(({ uri }) => isUriTemplate(uri))
        .map(({ trigger: t }) => ({
          uriTemplate: t.uri,
          name: t.resourceName,
          ...definedOnly({ title: t.title, description: t.description, mimeType: t.mimeType }),
          ...metaOf(t.metadata),
        })),
    };
  }

  /**
   * resources/read as the extension runs it: the URI validated (an exception: -32603), looked up (none:
   * -32602 Unknown resource), the function invoked with the ResourceInvocationContext as its trigger value and
   * the URI and template values in its trigger metadata (Trigger/McpResourceTriggerBinding.cs), and a string
   * return sent as text with the URI asked for and the trigger's mimeType (Trigger/ResourceReturnValueBinder.cs).
   */
  async readResource(uri: string): Promise<Record<string, unknown>> {
    if (!isAcceptableResourceUri(uri)) throw anErrorOccurred();
    const found = findResource(this.resources, uri);
    if (!found) throw new ExtensionError(-32602, `Unknown resource: '${uri}'`);
    const { resource, params } = found;
    const context = new InvocationContext({
      functionName: resource.functionName,
      invocationId: 'test-invocation',
      triggerMetadata: { mcpresourceuri: uri, mcpresourcecontext: { uri }, ...params },
    });
    let value: unknown;
    try {
      value = await resource.options.handler({ uri }, context);
    } catch {
      throw anErrorOccurred();
    }
    if (value === undefined || value === null) return { contents: [] };
    if (typeof value !== 'string') throw anErrorOccurred();
    if (looksLikeResourceEnvelope(value)) {
      throw new Error(
        'The registration returned an McpResourceResult envelope, which this recorder does not decode.',
      );
    }
    return { contents: [{ uri, ...definedOnly({ mimeType: resource.trigger.mimeType }), text: value }] };
  }
}

type ListedPromptArgument = {
  name: string;
  description?: string | null;
  required?: boolean;
};

/** The arguments as the library serialised them for the extension (toMcpPromptTriggerOptionsToRpc.ts). */
function promptArguments(t: McpPromptTrigger): ListedPromptArgument[] {
  return JSON.parse(t.promptArguments ?? '[]') as ListedPromptArgument[];
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== null),
  ) as Partial<T>;
}

function metaOf(metadata: string | undefined): { _meta?: unknown } {
  return metadata ? { _meta: JSON.parse(metadata) as unknown } : {};
}

/**
 * The extension first tries a string as the worker SDK's McpResourceResult envelope, `{"content": "…"}`
 * (ResourceReturnValueBinder.cs `TryDeserializeWorkerResult`); the recorder refuses such a return rather
 * than guess at the C# deserialiser.
 */
function looksLikeResourceEnvelope(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as unknown;
    return (
      typeof parsed === 'object' &&
      parsed !== null &&
      Object.keys(parsed).some((key) => key.toLowerCase() === 'content')
    );
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
