// Readiness by an MCP initialize (shared/selfHostedRun/mcpReadiness.ts), against real HTTP servers:
// the SDK's own stateless server (SSE answer), a plain JSON answer, and the ways a server is not ready.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { mcpInitialize } from '../../../shared/selfHostedRun/mcpReadiness';

let server: http.Server;
let base = '';
let initializeBodies: unknown[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/mcp') {
        const body: unknown = JSON.parse(text);
        initializeBodies.push(body);
        // The SDK's stateless pattern: a server and transport per request.
        const mcp = new McpServer({ name: 'sdk-server', version: '1.0.0' });
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        res.on('close', () => void transport.close());
        void mcp.connect(transport).then(() => transport.handleRequest(req, res, body));
      } else if (req.url === '/json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            result: { protocolVersion: '2025-06-18', serverInfo: { name: 'json' } },
          }),
        );
      } else if (req.url === '/html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>an app, not an MCP server</html>');
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('mcpInitialize', () => {
  test("the SDK's stateless Streamable HTTP server answers over SSE: ready, with its name; one JSON-RPC initialize sent", async () => {
    initializeBodies = [];
    assert.deepEqual(await mcpInitialize(`${base}/mcp`, 5000), { answered: true, serverName: 'sdk-server' });
    assert.equal(initializeBodies.length, 1);
    assert.equal((initializeBodies[0] as { method: string }).method, 'initialize');
  });

  test('a plain JSON answer counts too', async () => {
    assert.deepEqual(await mcpInitialize(`${base}/json`, 5000), { answered: true, serverName: 'json' });
  });

  test('not ready: a 404 (wrong path), a 200 that is not MCP, nothing listening', async () => {
    assert.deepEqual(await mcpInitialize(`${base}/elsewhere`, 5000), {
      answered: false,
      status: 404,
      detail: 'HTTP 404',
    });
    assert.deepEqual(await mcpInitialize(`${base}/html`, 5000), {
      answered: false,
      status: 200,
      detail: 'the answer to initialize carries no result',
    });
    const closed = await mcpInitialize('http://127.0.0.1:1/mcp', 2000);
    assert.equal(closed.answered, false);
  });
});
