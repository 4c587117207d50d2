// Benchmark reference: the MCP SDK's documented stateless Streamable HTTP pattern with one tool
// equivalent to hello_mcp, and nothing of ours. server.bench.ts bundles this file with esbuild and
// runs it in a child process; it listens on 127.0.0.1:$PORT and prints a ready line.
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

const app = createMcpExpressApp();

app.post('/runtime/webhooks/mcp', async (req, res) => {
  // Stateless: a new server and transport for every request, as in the SDK's README.
  const server = new McpServer({ name: 'bare-sdk-bench', version: '1.0.0' });
  server.registerTool(
    'hello_mcp',
    { description: 'Hello world: answers with a greeting.', inputSchema: {} },
    () => ({ content: [{ type: 'text', text: 'Hello I am MCP Tool!' }] }),
  );
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});

const httpServer: HttpServer = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  console.log(`Bare SDK server ready: http://127.0.0.1:${port}/runtime/webhooks/mcp`);
});

// A graceful exit on SIGTERM lets `--cpu-prof` write its profile (BENCH_CPU_PROF_DIR).
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
