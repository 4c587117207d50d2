// The RPC InvocationRequest a Node function receives for an MCP call: the trigger's input and the
// trigger metadata, built as the Functions MCP extension binds them and the Functions host sends
// them to the worker.
// - Binding data: Azure/azure-functions-mcp-extension src/Microsoft.Azure.Functions.Extensions.Mcp/
//   Trigger/McpToolTriggerBinding.cs, McpResourceTriggerBinding.cs, McpPromptTriggerBinding.cs,
//   Abstractions/ToolInvocationContext.cs, ResourceInvocationContext.cs, PromptInvocationContext.cs,
//   Abstractions/Transport.cs and Trigger/McpTriggerTransportHelper.cs.
// - The trigger parameter of a non-.NET function is a string (the host's default binding type), so
//   the invocation context reaches the worker as System.Text.Json text with the extension's
//   property names; every other binding-data value goes through the host's
//   GrpcMessageConversionExtensions.ToRpc (Azure/azure-functions-host), where objects are
//   serialized by Newtonsoft.Json (PascalCase member names, nulls kept) and strings stay strings.
import { randomBytes, randomUUID } from 'node:crypto';
import type { RpcInvocationRequest, RpcTypedData } from './coreApi';

/** What the MCP request carried, as the extension reads it from the HTTP context. */
export interface McpRequestInfo {
  /** `http-streamable` or `http-sse` (Http/StreamableHttpRequestHandler.cs, SseRequestHandler.cs). */
  transportName: string;
  headers: Record<string, string>;
  /** The `Mcp-Session-Id` header, which McpTriggerTransportHelper.cs takes as the transport's session. */
  transportSessionId: string | undefined;
  /** That, or else the server's own session (the legacy SSE session). */
  sessionId: string | undefined;
  clientInfo: { name: string; version: string; title?: string } | undefined;
}

export type McpArguments = Record<string, unknown> | undefined;

export interface TriggerInvocation {
  request: RpcInvocationRequest;
  /** Binding data for blob path expressions, keys lower-cased (the WebJobs SDK compares ignoring case). */
  bindingData: Map<string, unknown>;
}

/** Trigger/McpToolTriggerBinding.cs BindAsync. */
export function toolInvocation(
  functionName: string,
  functionId: string,
  triggerName: string,
  toolName: string,
  args: McpArguments,
  info: McpRequestInfo,
): TriggerInvocation {
  const argStrings = args === undefined ? undefined : dotnetArgumentStrings(args);
  return triggerInvocation(functionName, functionId, triggerName, info, {
    contextName: 'mcptoolcontext',
    context: { name: toolName, arguments: args },
    extra: argStrings === undefined ? [] : [['mcptoolargs', argStrings]],
  });
}

/** Trigger/McpPromptTriggerBinding.cs BindAsync. */
export function promptInvocation(
  functionName: string,
  functionId: string,
  triggerName: string,
  promptName: string,
  args: McpArguments,
  info: McpRequestInfo,
): TriggerInvocation {
  const argStrings = args === undefined ? undefined : dotnetArgumentStrings(args);
  return triggerInvocation(functionName, functionId, triggerName, info, {
    contextName: 'mcppromptcontext',
    context: { name: promptName, arguments: args },
    extra: argStrings === undefined ? [] : [['mcppromptargs', argStrings]],
  });
}

/** Trigger/McpResourceTriggerBinding.cs BindAsync: the URI, and each template value under its own name. */
export function resourceInvocation(
  functionName: string,
  functionId: string,
  triggerName: string,
  uri: string,
  templateValues: Record<string, string> | undefined,
  info: McpRequestInfo,
): TriggerInvocation {
  return triggerInvocation(functionName, functionId, triggerName, info, {
    contextName: 'mcpresourcecontext',
    context: { uri },
    extra: [['mcpresourceuri', uri], ...Object.entries(templateValues ?? {})],
  });
}

interface TriggerShape {
  contextName: string;
  /** The context's own members: name + arguments (tools, prompts) or uri (resources). */
  context: { name?: string; arguments?: McpArguments; uri?: string };
  extra: [string, unknown][];
}

function triggerInvocation(
  functionName: string,
  functionId: string,
  triggerName: string,
  info: McpRequestInfo,
  shape: TriggerShape,
): TriggerInvocation {
  const transport = {
    name: info.transportName,
    ...(info.transportSessionId !== undefined ? { sessionId: info.transportSessionId } : {}),
    properties: { headers: info.headers },
  };
  // System.Text.Json with the extension's JsonPropertyName names, nulls left out (McpJsonSerializerOptions.cs).
  const contextJson = JSON.stringify({
    ...(shape.context.uri !== undefined ? { uri: shape.context.uri } : {}),
    ...(shape.context.name !== undefined ? { name: shape.context.name } : {}),
    ...(shape.context.arguments !== undefined ? { arguments: shape.context.arguments } : {}),
    ...(info.sessionId !== undefined ? { sessionid: info.sessionId } : {}),
    ...(info.clientInfo ? { clientinfo: info.clientInfo } : {}),
    transport,
  });
  // The same object as Newtonsoft writes it: PascalCase members, nulls kept; a JsonElement
  // argument shows only its ValueKind, the one public property Newtonsoft finds on it.
  const newtonsoftContext = {
    ...(shape.context.uri !== undefined ? { Uri: shape.context.uri } : {}),
    ...(shape.context.name !== undefined
      ? {
          Name: shape.context.name,
          Arguments: shape.context.arguments === undefined ? null : valueKinds(shape.context.arguments),
        }
      : {}),
    SessionId: info.sessionId ?? null,
    ClientInfo: info.clientInfo
      ? {
          Name: info.clientInfo.name,
          Title: info.clientInfo.title ?? null,
          Version: info.clientInfo.version,
          Description: null,
          Icons: null,
          WebsiteUrl: null,
        }
      : null,
    Transport: {
      Name: transport.name,
      SessionId: info.transportSessionId ?? null,
      Properties: { headers: info.headers },
    },
  };

  const metadata: Record<string, RpcTypedData> = {
    [shape.contextName]: { json: JSON.stringify(newtonsoftContext) },
    [triggerName]: { string: contextJson },
  };
  const bindingData = new Map<string, unknown>([
    [shape.contextName, newtonsoftContext],
    [triggerName.toLowerCase(), contextJson],
  ]);
  if (info.sessionId !== undefined) {
    metadata.mcpsessionid = { string: info.sessionId };
    bindingData.set('mcpsessionid', info.sessionId);
  }
  for (const [name, value] of shape.extra) {
    metadata[name] = typeof value === 'string' ? { string: value } : { json: JSON.stringify(value) };
    bindingData.set(name.toLowerCase(), value);
  }
  // The WebJobs SDK adds `sys` to every triggered function's binding data.
  const sys = { MethodName: functionName, UtcNow: new Date().toISOString(), RandGuid: randomUUID() };
  metadata.sys = { json: JSON.stringify(sys) };
  bindingData.set('sys', sys);

  return {
    request: {
      invocationId: randomUUID(),
      functionId,
      inputData: [{ name: triggerName, data: { string: contextJson } }],
      triggerMetadata: metadata,
      // The host always sends a W3C trace context; the library exposes it as context.traceContext.
      traceContext: {
        traceParent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`,
        traceState: '',
        attributes: {},
      },
    },
    bindingData,
  };
}

/**
 * `arguments.ToDictionary(kvp => kvp.Key, kvp => kvp.Value.ToString())`: .NET's JsonElement.ToString
 * gives a string's value, the raw JSON of numbers, objects and arrays, "True"/"False", and "" for null.
 */
export function dotnetArgumentStrings(args: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(args)) {
    result[key] =
      value === null || value === undefined
        ? ''
        : typeof value === 'string'
          ? value
          : typeof value === 'boolean'
            ? value
              ? 'True'
              : 'False'
            : JSON.stringify(value);
  }
  return result;
}

/** System.Text.Json's JsonValueKind numbers: Object 1, Array 2, String 3, Number 4, True 5, False 6, Null 7. */
function valueKinds(args: Record<string, unknown> | undefined): Record<string, { ValueKind: number }> | null {
  if (!args) return null;
  const kind = (value: unknown): number =>
    value === null
      ? 7
      : Array.isArray(value)
        ? 2
        : typeof value === 'object'
          ? 1
          : typeof value === 'string'
            ? 3
            : typeof value === 'number'
              ? 4
              : value === true
                ? 5
                : 6;
  return Object.fromEntries(Object.entries(args).map(([key, value]) => [key, { ValueKind: kind(value) }]));
}
