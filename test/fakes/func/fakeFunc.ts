// A stand-in for Azure Functions Core Tools (`func`), which cannot be installed on these machines
// (its npm package downloads a binary). It prints what Core Tools prints — `func --version` the
// version alone; `func start` the banner, the Functions list with `mcpToolTrigger` and the ready
// lines — and serves the project through its embedded host (dist/embedded.js) on the same routes,
// including /admin/host/status. Contract: Core Tools' own output, and
// https://learn.microsoft.com/azure/azure-functions/functions-run-local (port 7071, `--port`) and
// https://learn.microsoft.com/azure/azure-functions/functions-bindings-mcp (Core Tools 4.0.7030 or later).
import path from 'node:path';
import { existsSync } from 'node:fs';

const version = process.env.FAKE_FUNC_VERSION ?? '4.0.7512';
const args = process.argv.slice(2);

function timestamp(): string {
  return `[${new Date().toISOString()}]`;
}

async function start(): Promise<void> {
  const portIndex = args.findIndex((arg) => arg === '--port' || arg === '-p');
  const port = portIndex >= 0 ? Number(args[portIndex + 1]) : 7071;
  const entry = path.resolve(process.cwd(), 'dist/embedded.js');
  if (!existsSync(entry)) {
    console.error(`Can't determine project language from files. (fake func: no ${entry})`);
    process.exit(1);
  }
  console.log('');
  console.log('Azure Functions Core Tools');
  console.log(`Core Tools Version:       ${version} Commit hash: N/A +fake (64-bit)`);
  console.log('Function Runtime Version: 4.1041.200.25473');
  console.log('');
  process.env.PORT = String(port);
  // The project's embedded host serves the tools in this process, so ending this process ends it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs the project's CommonJS bundle in-process
  require(entry);
  const tools = await listTools(port);
  console.log(`${timestamp()} Worker process started and initialized.`);
  console.log('');
  console.log('Functions:');
  console.log('');
  for (const tool of tools) console.log(`\t${tool}: mcpToolTrigger`);
  console.log('');
  console.log('For detailed output, run func with --verbose flag.');
  console.log(`${timestamp()} Host lock lease acquired by instance ID '0000000000000000000000002B1E4C1D'.`);
  console.log(`${timestamp()} MCP server endpoint: http://localhost:${port}/runtime/webhooks/mcp`);
}

/** Asks the host it just started for its tools, the way the real host lists its functions at start. */
async function listTools(port: number): Promise<string[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/runtime/webhooks/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      const data = /^data: (.*)$/m.exec(await response.text())?.[1];
      const body = JSON.parse(data ?? '{}') as { result?: { tools?: { name: string }[] } };
      return (body.result?.tools ?? []).map((tool) => tool.name);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return [];
}

if (args[0] === '--version' || args[0] === '-v') {
  console.log(version);
} else if (args[0] === 'start') {
  void start();
} else {
  console.error(`fake func: unsupported arguments: ${args.join(' ')}`);
  process.exit(1);
}
