// Benchmark floor: plain node:http answering every POST to the MCP route with a canned tools/call
// result, framed as one SSE event the way the SDK frames it. It parses the body only to echo the
// JSON-RPC id. server.bench.ts bundles this file and runs it in a child process on 127.0.0.1:$PORT.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const route = '/runtime/webhooks/mcp';
const result = '{"content":[{"type":"text","text":"Hello I am MCP Tool!"}]}';

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== route) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let id: unknown;
    try {
      id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown }).id;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const body = `event: message\ndata: {"result":${result},"jsonrpc":"2.0","id":${JSON.stringify(id)}}\n\n`;
    res.writeHead(200, {
      'cache-control': 'no-cache, no-transform',
      'content-type': 'text/event-stream',
      'x-accel-buffering': 'no',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Raw responder ready: http://127.0.0.1:${port}${route}`);
});

// A graceful exit on SIGTERM lets `--cpu-prof` write its profile (BENCH_CPU_PROF_DIR).
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
