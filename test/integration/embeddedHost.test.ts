import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, firstText, type TransportKind } from '../support/mcpClients';
import { startTestHost } from '../support/embeddedHost';
import { startToolEnvironment, type ToolEnvironment } from '../support/toolEnvironment';
import type { RunningEmbeddedHost } from '../../server/src/hosts/embedded/startEmbeddedHost';
import { httpStatus, initializeBody, post, request } from '../support/rawHttp';
import { catalogue } from '../../server/src/tools';

// Every catalogue tool, as tools/list must show them.
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

    test('initialize reports the server name and the tools capability', async () => {
      const client = await connectClient(host.mcpUrl, kind);
      assert.equal(client.getServerVersion()?.name, 'Remote MCP for Azure Functions');
      assert.ok(client.getServerCapabilities()?.tools);
      assert.match(client.getInstructions() ?? '', /hello_mcp/);
      await client.close();
    });

    test('lists the five tools, each with a description and an object input schema', async () => {
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
