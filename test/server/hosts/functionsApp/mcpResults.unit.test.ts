// How the Functions app host turns a function's RPC return value into the MCP result a client sees,
// with RPC values built by hand in the shapes @azure/functions 4.16.5 sends
// (src/converters/toMcpToolResult.ts for tools, toRpcTypedData.ts for resources and prompts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ResultConversionError,
  toCallToolResult,
  toGetPromptResult,
  toReadResourceResult,
} from '../../../../server/src/hosts/functionsApp/mcpResults';

/** What the library's toMcpToolResult sends for a tool, wrapped as InvocationModel wraps it. */
function toolReturn(result: { type: string; content?: string; structuredContent?: string }) {
  return { string: JSON.stringify(result) };
}

test('tools: a string is one text block; no return value is an empty result', () => {
  assert.deepEqual(
    toCallToolResult(
      toolReturn({ type: 'text', content: JSON.stringify({ type: 'text', text: 'Hello, Ada!' }) }),
    ),
    { content: [{ type: 'text', text: 'Hello, Ada!' }] },
  );
  assert.deepEqual(toCallToolResult(undefined), { content: [] });
  assert.deepEqual(toCallToolResult(null), { content: [] });
});

test('tools: multi_content_result keeps every block, structured content is parsed, extra block members are dropped', () => {
  const blocks = [
    { type: 'text', text: 'one' },
    { type: 'image', data: 'cG5n', mimeType: 'image/png', extra: 'dropped' },
    { type: 'resource_link', uri: 'file:///a.txt', name: 'a', description: 'A file' },
    { type: 'resource', resource: { uri: 'mem://x', mimeType: 'text/plain', text: 'x' } },
    { type: 'audio', data: 'd2F2', mimeType: 'audio/wav' },
  ];
  const result = toCallToolResult(
    toolReturn({
      type: 'multi_content_result',
      content: JSON.stringify(blocks),
      structuredContent: '{"ok":true}',
    }),
  );
  assert.deepEqual(result, {
    content: [
      { type: 'text', text: 'one' },
      { type: 'image', data: 'cG5n', mimeType: 'image/png' },
      { type: 'resource_link', uri: 'file:///a.txt', name: 'a', description: 'A file' },
      { type: 'resource', resource: { uri: 'mem://x', mimeType: 'text/plain', text: 'x' } },
      { type: 'audio', data: 'd2F2', mimeType: 'audio/wav' },
    ],
    structuredContent: { ok: true },
  });
});

test('tools: the McpToolResult envelope is read ignoring case, and call_tool_result passes through with isError', () => {
  assert.deepEqual(
    toCallToolResult({ string: JSON.stringify({ Type: 'text', Content: '{"type":"text","text":"hi"}' }) }),
    { content: [{ type: 'text', text: 'hi' }] },
  );
  assert.deepEqual(
    toCallToolResult(
      toolReturn({
        type: 'call_tool_result',
        content: JSON.stringify({ content: [{ type: 'text', text: 'no' }], isError: true }),
      }),
    ),
    { content: [{ type: 'text', text: 'no' }], isError: true },
  );
});

test('tools: values the extension rejects fail the invocation (the client then sees isError)', () => {
  const rejects = (value: Parameters<typeof toCallToolResult>[0], message: RegExp) =>
    assert.throws(
      () => toCallToolResult(value),
      (error: unknown) => error instanceof ResultConversionError && message.test(error.message),
    );
  // An image without a mime type: the C# SDK's ContentBlock converter requires one.
  rejects(toolReturn({ type: 'image', content: '{"type":"image","data":"cG5n"}' }), /mimeType.*'image'/);
  // A resource link without a name, likewise.
  rejects(
    toolReturn({ type: 'resource_link', content: '{"type":"resource_link","uri":"file:///a"}' }),
    /name.*'resource_link'/,
  );
  rejects(toolReturn({ type: 'multi_content_result', content: '[]' }), /No content items/);
  rejects(toolReturn({ type: 'video', content: '{"type":"video"}' }), /Unknown content type: 'video'/);
  rejects({ json: '{"a":1}' }, /Expected JSON string/);
  rejects({ string: 'not json' }, /could not be deserialized/);
});

test('resources: text, McpResourceResult JSON filled from the request, bytes as a blob, other types fail', () => {
  const declared = { uri: 'ui://app/view.html', mimeType: 'text/html;profile=mcp-app' };
  assert.deepEqual(toReadResourceResult({ string: '<p>hi</p>' }, declared.uri, declared), {
    contents: [{ uri: 'ui://app/view.html', mimeType: 'text/html;profile=mcp-app', text: '<p>hi</p>' }],
  });
  // JSON that is not an McpResourceResult stays text.
  assert.deepEqual(
    toReadResourceResult({ string: '{"a":1}' }, 'note://1', { uri: 'note://{id}', mimeType: undefined }),
    {
      contents: [{ uri: 'note://1', text: '{"a":1}' }],
    },
  );
  assert.deepEqual(
    toReadResourceResult(
      { string: JSON.stringify({ content: JSON.stringify({ text: 'from worker' }) }) },
      'note://2',
      {
        uri: 'note://{id}',
        mimeType: 'text/plain',
      },
    ),
    { contents: [{ uri: 'note://2', mimeType: 'text/plain', text: 'from worker' }] },
  );
  assert.deepEqual(
    toReadResourceResult({ bytes: Buffer.from('png') }, 'img://1', { uri: 'img://1', mimeType: 'image/png' }),
    {
      contents: [{ uri: 'img://1', mimeType: 'image/png', blob: 'cG5n' }],
    },
  );
  assert.deepEqual(toReadResourceResult(undefined, 'img://1', { uri: 'img://1', mimeType: undefined }), {
    contents: [],
  });
  assert.throws(
    () => toReadResourceResult({ json: '{"a":1}' }, 'x://1', { uri: 'x://1', mimeType: undefined }),
    /Unsupported return type for resource read: JObject\. Expected string or byte\[\]\./,
  );
  assert.throws(
    () => toReadResourceResult({ int: 3 }, 'x://1', { uri: 'x://1', mimeType: undefined }),
    /Int64/,
  );
});

test("prompts: the value's .NET text becomes one user message; no value, no messages", () => {
  const message = (text: string) => ({ messages: [{ role: 'user', content: { type: 'text', text } }] });
  assert.deepEqual(toGetPromptResult({ string: 'Review this code' }), message('Review this code'));
  assert.deepEqual(toGetPromptResult(undefined), { messages: [] });
  assert.deepEqual(toGetPromptResult({ json: 'null' }), { messages: [] });
  // Newtonsoft's JToken.ToString() is indented; a bool is "True"; a byte[] prints its type name.
  assert.deepEqual(toGetPromptResult({ json: '{"a":[1]}' }), message('{\n  "a": [\n    1\n  ]\n}'));
  assert.deepEqual(toGetPromptResult({ json: 'true' }), message('True'));
  assert.deepEqual(toGetPromptResult({ bytes: Buffer.from('x') }), message('System.Byte[]'));
  assert.deepEqual(toGetPromptResult({ int: 42 }), message('42'));
});
