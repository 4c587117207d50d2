// The probe's catalogue (extension/probe/mcpProbe.ts) against real MCP SDK servers over Streamable
// HTTP: prompts and resources are listed only when the server advertises them, and a server that
// advertises them but fails to list them is still reachable, with its tools.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListPromptsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { probeServer } from '../../../extension/probe/mcpProbe';

const servers: http.Server[] = [];
after(() => servers.forEach((server) => server.close()));

/** A stateless Streamable HTTP server (as the Functions MCP extension serves), one McpServer per request. */
async function serve(build: (server: McpServer) => void): Promise<string> {
  const httpServer = http.createServer((request, response) => {
    const server = new McpServer({ name: 'probe-target', version: '1.0.0' });
    build(server);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => void transport.close());
    void server.connect(transport).then(() => transport.handleRequest(request, response));
  });
  servers.push(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`;
}

const greet = (server: McpServer) =>
  server.registerTool('greet', { description: 'Greets', inputSchema: { name: z.string() } }, ({ name }) => ({
    content: [{ type: 'text', text: `Hello, ${name}!` }],
  }));

test('a server with tools, prompts and resources: all three listed', async () => {
  const url = await serve((server) => {
    greet(server);
    server.registerPrompt('review', { description: 'Reviews a snippet' }, () => ({
      messages: [{ role: 'user', content: { type: 'text', text: 'Review it.' } }],
    }));
    server.registerResource(
      'weather-view',
      'ui://weather/index.html',
      { mimeType: 'text/html;profile=mcp-app' },
      (uri) => ({ contents: [{ uri: uri.href, text: '<p>sunny</p>' }] }),
    );
  });
  const outcome = await probeServer(url, { timeoutMs: 10_000 });
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.deepEqual(outcome.tools, [{ name: 'greet', description: 'Greets' }]);
  assert.deepEqual(outcome.prompts, [{ name: 'review', description: 'Reviews a snippet' }]);
  assert.deepEqual(outcome.resources, [{ name: 'weather-view', description: 'ui://weather/index.html' }]);
});

test('a server with tools only: no prompts or resources asked for, none reported', async () => {
  const asked: string[] = [];
  const url = await serve(greet);
  const outcome = await probeServer(url, {
    timeoutMs: 10_000,
    fetch: async (input, init) => {
      if (typeof init?.body === 'string') asked.push((JSON.parse(init.body) as { method: string }).method);
      return fetch(input, init);
    },
  });
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.equal(outcome.prompts, undefined);
  assert.equal(outcome.resources, undefined);
  assert.deepEqual(asked, ['initialize', 'notifications/initialized', 'tools/list']);
});

test('prompts advertised but prompts/list failing: still reachable with its tools, the prompt count left out', async () => {
  const url = await serve((server) => {
    greet(server);
    server.registerPrompt('review', { description: 'Reviews' }, () => ({ messages: [] }));
    server.server.setRequestHandler(ListPromptsRequestSchema, () => {
      throw new Error('the prompt store is down');
    });
  });
  const outcome = await probeServer(url, { timeoutMs: 10_000 });
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.equal(outcome.tools.length, 1);
  assert.equal(outcome.prompts, undefined);
});
