import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue } from '../../../../server/src/tools';
import { connectClient, firstText, type TransportKind } from '../../../support/mcpClients';
import { startTestHost } from '../../../support/embeddedHost';
import { startToolEnvironment, type ToolEnvironment } from '../../../support/toolEnvironment';
import type { RunningEmbeddedHost } from '../../../../server/src/hosts/embedded/startEmbeddedHost';
import { httpStatus, initializeBody, post, request } from '../../../support/rawHttp';
import { nestedArrays } from '../../../support/nesting';

// The catalogue's names are pinned in test/server/tools/catalogue.unit.test.ts; here the host must
// serve them all.
const toolNames = catalogue.map((tool) => tool.name).sort();

let environment: ToolEnvironment;
before(async () => {
  environment = await startToolEnvironment();
});
after(async () => {
  await environment.close();
});

for (const kind of ['streamable-http', 'sse'] as TransportKind[]) {
  describe(`the SDK client over ${kind}`, () => {
    let host: RunningEmbeddedHost;
    before(async () => {
      host = await startTestHost(environment.deps);
    });
    after(async () => {
      await host.close();
    });

    test('initialize reports the server name and the tools, prompts and resources capabilities', async () => {
      const client = await connectClient(host.mcpUrl, kind);
      assert.equal(client.getServerVersion()?.name, 'Remote MCP for Azure Functions');
      assert.ok(client.getServerCapabilities()?.tools);
      assert.ok(client.getServerCapabilities()?.prompts);
      assert.ok(client.getServerCapabilities()?.resources);
      assert.match(client.getInstructions() ?? '', /hello_mcp/);
      await client.close();
    });

    test('lists every catalogue tool, each with a description and an object input schema', async () => {
      const client = await connectClient(host.mcpUrl, kind);
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), toolNames);
      for (const tool of tools) {
        assert.ok(tool.description && tool.description.length > 10, `${tool.name} has a description`);
        assert.equal(tool.inputSchema.type, 'object');
      }
      const save = tools.find((tool) => tool.name === 'save_snippet');
      assert.deepEqual([...(save?.inputSchema.required ?? [])].sort(), ['snippet', 'snippetname']);
      await client.close();
    });

    test('calls every tool', async () => {
      const client = await connectClient(host.mcpUrl, kind);
      const hello = await client.callTool({ name: 'hello_mcp', arguments: {} });
      assert.equal(firstText(hello), 'Hello I am MCP Tool!');

      const name = `over-${kind}`;
      const saved = await client.callTool({
        name: 'save_snippet',
        arguments: { snippetname: name, snippet: 'héllo ✓' },
      });
      assert.notEqual(saved.isError, true, firstText(saved));
      const got = await client.callTool({ name: 'get_snippet', arguments: { snippetname: name } });
      assert.equal(firstText(got), 'héllo ✓');
      const listed = await client.callTool({ name: 'list_snippets', arguments: { prefix: 'over-' } });
      assert.match(firstText(listed), new RegExp(name));

      const weather = await client.callTool({
        name: 'get_weather',
        arguments: { city: 'London', countryCode: 'GB' },
      });
      assert.notEqual(weather.isError, true, firstText(weather));
      assert.match(firstText(weather), /London/);
      assert.match(firstText(weather), /Open-Meteo/);
      await client.close();
    });

    test('bad arguments give an error result naming the field, and the connection stays usable', async () => {
      const client = await connectClient(host.mcpUrl, kind);
      const bad = await client.callTool({ name: 'get_snippet', arguments: { snippetname: '../etc/passwd' } });
      assert.equal(bad.isError, true);
      assert.match(firstText(bad), /snippetname/);
      assert.doesNotMatch(firstText(bad), /\n\s+at /);
      const hello = await client.callTool({ name: 'hello_mcp', arguments: {} });
      assert.equal(firstText(hello), 'Hello I am MCP Tool!');
      await client.close();
    });

    test('arguments nested deeper than 64 levels are refused as invalid params (-32602) in one sentence', async () => {
      const client = await connectClient(host.mcpUrl, kind);
      await assert.rejects(client.callTool({ name: 'hello_mcp', arguments: { x: nestedArrays(64) } }), {
        code: -32602,
        message: `MCP error -32602: ${tooDeep('hello_mcp')}`,
      });
      const hello = await client.callTool({ name: 'hello_mcp', arguments: {} });
      assert.equal(firstText(hello), 'Hello I am MCP Tool!', 'the connection stays usable');
      await client.close();
    });

    test('an unknown tool is refused with a message pointing at tools/list', async () => {
      const client = await connectClient(host.mcpUrl, kind);
      await assert.rejects(
        client.callTool({ name: 'no_such_tool', arguments: {} }),
        /Unknown tool "no_such_tool".*tools\/list/,
      );
      await client.close();
    });
  });
}

describe('with MCP_KEY set, like a deployed server', () => {
  const key = 'test-key-0123456789abcdef';
  let host: RunningEmbeddedHost;
  before(async () => {
    host = await startTestHost(environment.deps, { key });
  });
  after(async () => {
    await host.close();
  });

  for (const kind of ['streamable-http', 'sse'] as TransportKind[]) {
    test(`${kind}: no key is refused with 401`, async () => {
      await assert.rejects(connectClient(host.mcpUrl, kind), httpStatus(401));
    });

    test(`${kind}: a wrong key is refused with 401`, async () => {
      await assert.rejects(connectClient(host.mcpUrl, kind, { 'x-functions-key': 'wrong' }), httpStatus(401));
    });

    test(`${kind}: the key in x-functions-key is accepted`, async () => {
      const client = await connectClient(host.mcpUrl, kind, { 'x-functions-key': key });
      assert.equal(
        firstText(await client.callTool({ name: 'hello_mcp', arguments: {} })),
        'Hello I am MCP Tool!',
      );
      await client.close();
    });

    test(`${kind}: the key as ?code= is accepted`, async () => {
      const client = await connectClient(`${host.mcpUrl}?code=${key}`, kind);
      assert.equal(
        firstText(await client.callTool({ name: 'hello_mcp', arguments: {} })),
        'Hello I am MCP Tool!',
      );
      await client.close();
    });
  }

  test('the 401 body explains how to send the key and does not echo it', async () => {
    const response = await post(host.mcpUrl, initializeBody, { 'x-functions-key': 'wrong-key-value' });
    assert.equal(response.status, 401);
    assert.match(response.body, /not valid/);
    assert.doesNotMatch(response.body, /wrong-key-value|test-key/);
  });
});

describe('HTTP guards', () => {
  let host: RunningEmbeddedHost;
  before(async () => {
    host = await startTestHost(environment.deps, { maxBodyBytes: 64 * 1024 });
  });
  after(async () => {
    await host.close();
  });

  test('a foreign Origin is refused with 403 and the tool does not run', async () => {
    const response = await post(host.mcpUrl, initializeBody, { origin: 'https://evil.example' });
    assert.equal(response.status, 403);
    assert.match(response.body, /Origin https:\/\/evil\.example is not allowed.*MCP_ALLOWED_ORIGINS/);
  });

  test('a loopback Origin (a local browser tool such as the MCP Inspector) is served', async () => {
    const response = await post(host.mcpUrl, initializeBody, { origin: 'http://localhost:6274' });
    assert.equal(response.status, 200);
  });

  test('a foreign Host header (DNS rebinding) is refused with 403', async () => {
    const response = await post(host.mcpUrl, initializeBody, { host: 'attacker.example:7071' });
    assert.equal(response.status, 403);
    assert.match(response.body, /Invalid Host/);
  });

  test('a body over the limit is refused with 413 naming the limit and its setting', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'save_snippet', arguments: { snippetname: 'big', snippet: 'x'.repeat(70 * 1024) } },
    });
    const response = await post(host.mcpUrl, big);
    assert.equal(response.status, 413);
    assert.match(response.body, /65536 bytes.*MCP_MAX_BODY_BYTES/);
  });

  test('malformed JSON gets a JSON-RPC parse error, not a stack trace', async () => {
    const response = await post(host.mcpUrl, '{"jsonrpc": "2.0",');
    assert.equal(response.status, 400);
    assert.equal((JSON.parse(response.body) as { error: { code: number } }).error.code, -32700);
    assert.doesNotMatch(response.body, /\bat .*\.js/);
  });

  test('GET on the stateless endpoint answers 405 with Allow: POST', async () => {
    const response = await request(host.mcpUrl, 'GET');
    assert.equal(response.status, 405);
    assert.equal(response.headers.allow, 'POST');
  });

  test('the host status route answers Running, as the Functions host does', async () => {
    const response = await request(host.mcpUrl.replace('/runtime/webhooks/mcp', '/admin/host/status'), 'GET');
    assert.equal(response.status, 200);
    assert.equal((JSON.parse(response.body) as { state: string }).state, 'Running');
  });
});

describe('bad request bodies get a JSON-RPC error with the exact code and message', () => {
  let host: RunningEmbeddedHost;
  before(async () => {
    host = await startTestHost(environment.deps);
  });
  after(async () => {
    await host.close();
  });

  const call = (args: string) =>
    `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"hello_mcp","arguments":${args}}}`;
  // A save whose snippet holds `bytes` after "ab": the bad byte's offset is the length of what precedes it.
  const prefix = Buffer.from(
    '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"save_snippet",' +
      '"arguments":{"snippetname":"utf8","snippet":"ab',
  );
  const notUtf8 = (bytes: number[]): [Buffer, number, number, string] => [
    Buffer.concat([prefix, Buffer.from(bytes), Buffer.from('cd"}}}')]),
    400,
    -32700,
    `The request body is not valid UTF-8: byte 0x${bytes[0]!.toString(16).toUpperCase()} at offset ` +
      `${prefix.length} is not part of a well-formed UTF-8 sequence; send the JSON encoded as UTF-8.`,
  ];
  const invalidParams = (args: string, message: string): [Buffer, number, number, string] => [
    Buffer.from(call(args)),
    200,
    -32602,
    message,
  ];
  const rows: [label: string, body: Buffer, status: number, code: number, message: string][] = [
    ['invalid UTF-8: bytes FF FE in the snippet', ...notUtf8([0xff, 0xfe])],
    ['invalid UTF-8: a three-byte sequence cut short (E2 82)', ...notUtf8([0xe2, 0x82])],
    ['invalid UTF-8: an encoded surrogate (ED A0 80)', ...notUtf8([0xed, 0xa0, 0x80])],
    ['invalid UTF-8: an overlong "/" (C0 AF)', ...notUtf8([0xc0, 0xaf])],
    ['invalid UTF-8: above U+10FFFF (F4 90 80 80)', ...notUtf8([0xf4, 0x90, 0x80, 0x80])],
    [
      'arguments: 50,000 levels of [',
      ...invalidParams(`${'['.repeat(50_000)}${']'.repeat(50_000)}`, tooDeep('hello_mcp')),
    ],
    [
      'arguments: an object holding 64 levels of [ (65 in all)',
      ...invalidParams(`{"x":${JSON.stringify(nestedArrays(64))}}`, tooDeep('hello_mcp')),
    ],
    [
      'arguments: an array',
      ...invalidParams('[]', 'Invalid arguments for hello_mcp: arguments must be an object, not an array.'),
    ],
  ];
  for (const [label, body, status, code, message] of rows) {
    test(label, async () => {
      const response = await post(host.mcpUrl, body);
      assert.equal(response.status, status);
      assert.deepEqual(jsonRpcAnswer(response.body).error, { code, message });
    });
  }

  test('arguments 64 levels deep in all still reach the tool', async () => {
    const response = await post(host.mcpUrl, call(`{"x":${JSON.stringify(nestedArrays(63))}}`));
    assert.equal(
      firstText(jsonRpcAnswer(response.body).result),
      'Invalid arguments for hello_mcp: arguments has unknown field "x"; remove it.',
    );
  });
});

function tooDeep(tool: string): string {
  return `Invalid arguments for ${tool}: arguments are nested deeper than 64 levels; flatten them.`;
}

/** The JSON-RPC answer in a Streamable HTTP response: plain JSON, or the data of one SSE event. */
function jsonRpcAnswer(body: string): { result?: unknown; error?: unknown } {
  const data = body.startsWith('event:') ? /^data: (.*)$/m.exec(body)?.[1] : body;
  return JSON.parse(data ?? 'null') as { result?: unknown; error?: unknown };
}
