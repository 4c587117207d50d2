// Turns a function's RPC return value into the MCP result the Functions MCP extension would send.
// The path in Azure: the Functions host converts the worker's TypedData to a .NET value
// (Azure/azure-functions-host: src/WebJobs.Script.Grpc/MessageExtensions/GrpcMessageConversionExtensions.cs
// ToObject), then the extension's return value binder builds the result (Azure/azure-functions-mcp-extension:
// src/Microsoft.Azure.Functions.Extensions.Mcp/Trigger/*ReturnValueBinder.cs), which the MCP C# SDK
// serializes. A binder that rejects the value fails the invocation, like a thrown error.
import type { CallToolResult, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { RpcTypedData } from './coreApi';

/** The value cannot become a result: the invocation fails, and the message goes to the log. */
export class ResultConversionError extends Error {
  override readonly name = 'ResultConversionError';
}

/** A .NET value as ToObject yields it; `json` holds what Newtonsoft's DeserializeObject returned. */
export type HostValue =
  | { kind: 'null' }
  | { kind: 'string'; value: string }
  | { kind: 'json'; value: unknown }
  | { kind: 'bytes'; value: Uint8Array }
  | { kind: 'long'; value: number }
  | { kind: 'double'; value: number };

export function toHostValue(data: RpcTypedData | null | undefined): HostValue {
  if (!data) return { kind: 'null' };
  if (typeof data.string === 'string') return { kind: 'string', value: data.string };
  if (typeof data.json === 'string') {
    const value: unknown = JSON.parse(data.json);
    return value === null ? { kind: 'null' } : { kind: 'json', value };
  }
  if (data.bytes) return { kind: 'bytes', value: data.bytes };
  if (data.stream) return { kind: 'bytes', value: data.stream };
  if (typeof data.int === 'number') return { kind: 'long', value: data.int };
  if (typeof data.double === 'number') return { kind: 'double', value: data.double };
  return { kind: 'null' };
}

/** .NET `value.ToString()`, which the extension's Simple*ReturnValueBinder.cs use for text. */
export function dotnetToString(value: HostValue): string {
  switch (value.kind) {
    case 'null':
      return '';
    case 'string':
      return value.value;
    case 'bytes':
      return 'System.Byte[]';
    case 'long':
    case 'double':
      return String(value.value);
    case 'json':
      if (typeof value.value === 'boolean') return value.value ? 'True' : 'False';
      if (typeof value.value === 'string' || typeof value.value === 'number') return String(value.value);
      // JToken.ToString() is indented with two spaces.
      return JSON.stringify(value.value, null, 2);
  }
}

/** .NET type names, for the extension's "Unsupported return type" wording. */
function dotnetTypeName(value: HostValue): string {
  switch (value.kind) {
    case 'string':
      return 'String';
    case 'bytes':
      return 'Byte[]';
    case 'long':
      return 'Int64';
    case 'double':
      return 'Double';
    case 'json':
      if (Array.isArray(value.value)) return 'JArray';
      if (typeof value.value === 'object') return 'JObject';
      return typeof value.value === 'boolean'
        ? 'Boolean'
        : typeof value.value === 'number'
          ? 'Int64'
          : 'String';
    default:
      return 'Object';
  }
}

type ContentBlock = CallToolResult['content'][number];

/**
 * Trigger/ToolReturnValueBinder.cs (the Node library sets `useResultSchema`, so this binder, not
 * SimpleToolReturnValueBinder.cs, is used): the value is McpToolResult JSON (Trigger/McpToolResult.cs)
 * whose `type` is `call_tool_result`, `multi_content_result` or one content block's type, and whose
 * `content` and `structuredContent` are JSON text. No value gives an empty result (Trigger/McpToolListener.cs).
 */
export function toCallToolResult(returned: RpcTypedData | null | undefined): CallToolResult {
  const value = toHostValue(returned);
  if (value.kind === 'null') return { content: [] };
  if (value.kind !== 'string') throw new ResultConversionError("Expected JSON string. (Parameter 'value')");
  const envelope = parseObject(
    value.value,
    'The function return value could not be deserialized to a valid McpToolResult.',
  );
  const type = caseInsensitive(envelope, 'type');
  if (typeof type !== 'string') {
    throw new ResultConversionError('The function return value is not an McpToolResult: it has no "type".');
  }
  const content = caseInsensitive(envelope, 'content');
  const structured = caseInsensitive(envelope, 'structuredContent');
  const contentText = typeof content === 'string' ? content : undefined;
  const failed = (detail: string) =>
    new ResultConversionError(`Failed to deserialize content for type '${type}'. ${detail}`);

  if (type.toLowerCase() === 'call_tool_result') {
    const result = parseObject(contentText ?? 'null', `Failed to deserialize CallToolResult.`);
    const blocks = result.content;
    if (!Array.isArray(blocks)) throw failed('"content" must be an array.');
    return {
      content: blocks.map((block) => contentBlock(block, failed)),
      ...(result.structuredContent !== undefined && result.structuredContent !== null
        ? { structuredContent: result.structuredContent as Record<string, unknown> }
        : {}),
      ...(typeof result.isError === 'boolean' ? { isError: result.isError } : {}),
      ...(isPlainObject(result._meta) ? { _meta: result._meta } : {}),
    };
  }

  let blocks: ContentBlock[];
  const parsed = parseJson(contentText ?? 'null', failed);
  if (type.toLowerCase() === 'multi_content_result') {
    if (!Array.isArray(parsed)) throw failed('Failed to deserialize multi-content result.');
    blocks = parsed.map((block) => contentBlock(block, failed));
  } else {
    blocks = [contentBlock(parsed, failed)];
  }
  if (blocks.length === 0) {
    throw new ResultConversionError('No content items were produced from the McpToolResult.');
  }
  const result: CallToolResult = { content: blocks };
  if (typeof structured === 'string' && structured !== '') {
    result.structuredContent = parseJson(
      structured,
      () => new ResultConversionError('Failed to deserialize structured content.'),
    ) as Record<string, unknown>;
  }
  return result;
}

/**
 * One content block as the MCP C# SDK reads and writes it (modelcontextprotocol/csharp-sdk:
 * src/ModelContextProtocol.Core/Protocol/ContentBlock.cs): required fields enforced, unknown
 * properties dropped, `annotations` and `_meta` kept.
 */
function contentBlock(raw: unknown, failed: (detail: string) => Error): ContentBlock {
  if (!isPlainObject(raw)) throw failed('A content block must be a JSON object.');
  const extras = {
    ...(isPlainObject(raw.annotations) ? { annotations: raw.annotations } : {}),
    ...(isPlainObject(raw._meta) ? { _meta: raw._meta } : {}),
  };
  const text = (key: string): string | undefined => (typeof raw[key] === 'string' ? raw[key] : undefined);
  const need = (key: string, type: string): string => {
    const value = text(key);
    if (value === undefined) throw failed(`"${key}" must be provided for '${type}' type.`);
    return value;
  };
  switch (raw.type) {
    case 'text':
      return { type: 'text', text: need('text', 'text'), ...extras };
    case 'image':
    case 'audio':
      return {
        type: raw.type,
        data: need('data', raw.type),
        mimeType: need('mimeType', raw.type),
        ...extras,
      };
    case 'resource_link': {
      const block: Record<string, unknown> = {
        type: 'resource_link',
        uri: need('uri', 'resource_link'),
        name: need('name', 'resource_link'),
      };
      for (const key of ['title', 'description', 'mimeType'] as const)
        if (text(key) !== undefined) block[key] = raw[key];
      if (typeof raw.size === 'number') block.size = raw.size;
      if (Array.isArray(raw.icons)) block.icons = raw.icons;
      return { ...block, ...extras } as ContentBlock;
    }
    case 'resource':
      return {
        type: 'resource',
        resource: resourceContents(raw.resource, undefined, failed),
        ...extras,
      };
    default:
      throw failed(`Unknown content type: '${String(raw.type)}'`);
  }
}

/** ResourceContents.cs Converter: blob wins over text; a missing uri becomes "". */
function resourceContents(
  raw: unknown,
  defaults: { uri: string; mimeType: string | undefined } | undefined,
  failed: (detail: string) => Error,
): ReadResourceResult['contents'][number] {
  if (!isPlainObject(raw)) throw failed("Resource contents must be provided for 'resource' type.");
  const uri =
    typeof raw.uri === 'string' && raw.uri !== ''
      ? raw.uri
      : (defaults?.uri ?? (typeof raw.uri === 'string' ? raw.uri : ''));
  const mimeType =
    typeof raw.mimeType === 'string' && raw.mimeType !== ''
      ? raw.mimeType
      : (defaults?.mimeType ?? undefined);
  const meta = isPlainObject(raw._meta) ? { _meta: raw._meta } : {};
  const base = { uri, ...(mimeType !== undefined ? { mimeType } : {}), ...meta };
  if (typeof raw.blob === 'string') return { ...base, blob: raw.blob };
  if (typeof raw.text === 'string') return { ...base, text: raw.text };
  throw failed('Resource contents need "text" or "blob".');
}

export interface ResourceDeclaration {
  uri: string;
  mimeType: string | undefined;
}

/**
 * Trigger/ResourceReturnValueBinder.cs: a string that is McpResourceResult JSON (Trigger/McpResourceResult.cs,
 * `content` holding ResourceContents JSON) is used as is, with the request URI and declared mime type
 * filling what it leaves out; any other string is text; bytes are a base64 blob; anything else fails.
 */
export function toReadResourceResult(
  returned: RpcTypedData | null | undefined,
  requestUri: string,
  declared: ResourceDeclaration,
): ReadResourceResult {
  const value = toHostValue(returned);
  if (value.kind === 'null') return { contents: [] };
  const mime = declared.mimeType !== undefined ? { mimeType: declared.mimeType } : {};
  if (value.kind === 'string') {
    const fromWorker = workerResourceResult(value.value, requestUri, declared.mimeType);
    if (fromWorker) return { contents: [fromWorker] };
    return { contents: [{ uri: requestUri, ...mime, text: value.value }] };
  }
  if (value.kind === 'bytes') {
    return { contents: [{ uri: requestUri, ...mime, blob: Buffer.from(value.value).toString('base64') }] };
  }
  throw new ResultConversionError(
    `Unsupported return type for resource read: ${dotnetTypeName(value)}. Expected string or byte[].`,
  );
}

function workerResourceResult(
  text: string,
  uri: string,
  mimeType: string | undefined,
): ReadResourceResult['contents'][number] | undefined {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(envelope)) return undefined;
  const content = caseInsensitive(envelope, 'content');
  if (typeof content !== 'string') return undefined;
  try {
    return resourceContents(
      JSON.parse(content),
      { uri, mimeType },
      (detail) => new ResultConversionError(detail),
    );
  } catch {
    return undefined;
  }
}

/**
 * Trigger/SimplePromptReturnValueBinder.cs (the Node library does not set `useResultSchema` for
 * prompts): no value is no messages; anything else becomes one user message holding its text.
 */
export function toGetPromptResult(returned: RpcTypedData | null | undefined): GetPromptResult {
  const value = toHostValue(returned);
  if (value.kind === 'null') return { messages: [] };
  return { messages: [{ role: 'user', content: { type: 'text', text: dotnetToString(value) } }] };
}

function parseJson(text: string, failed: (detail: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw failed(error instanceof Error ? error.message : String(error));
  }
}

function parseObject(text: string, message: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ResultConversionError(message);
  }
  if (!isPlainObject(parsed)) throw new ResultConversionError(message);
  return parsed;
}

/** The extension deserializes with PropertyNameCaseInsensitive (Serialization/McpJsonSerializerOptions.cs). */
function caseInsensitive(object: Record<string, unknown>, key: string): unknown {
  if (key in object) return object[key];
  const lower = key.toLowerCase();
  return Object.entries(object).find(([name]) => name.toLowerCase() === lower)?.[1];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
