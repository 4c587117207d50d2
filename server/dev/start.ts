// `npm start`: Azurite for snippet storage, then the MCP server (the embedded host, or `func start`
// with --func), until Ctrl-C stops both. Run from the repository root after `npm ci`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { isSupportedCoreToolsVersion, minimumCoreToolsVersion, parseCoreToolsVersion } from './coreTools';

const root = path.resolve(__dirname, '../..');
const serverDir = path.join(root, 'server');
const azuriteBlobPort = 10000;
const port = Number(process.env.PORT ?? 7071);
const children: ChildProcess[] = [];

class StartError extends Error {}

async function main(): Promise<void> {
  const useFunc = process.argv.includes('--func');
  await ensureAzurite();
  const mcpUrl = useFunc ? await startFunc() : await startEmbedded();
  console.log(`\nMCP server (Streamable HTTP): ${mcpUrl}`);
  console.log(`MCP server (legacy SSE):      ${mcpUrl}/sse`);
  console.log('Ready. Press Ctrl-C to stop.');
}

async function ensureAzurite(): Promise<void> {
  if (await answers(azuriteBlobPort)) {
    console.log(`Azurite already answers on 127.0.0.1:${azuriteBlobPort}; using it.`);
    return;
  }
  const dataDir = path.join(root, '.azurite');
  mkdirSync(dataDir, { recursive: true });
  const azurite = require.resolve('azurite/dist/src/azurite.js');
  console.log(`Starting Azurite (data in ${path.relative(root, dataDir)}/) ...`);
  const child = track(
    spawn(
      process.execPath,
      [azurite, '--silent', '--skipApiVersionCheck', '--loose', '--disableTelemetry', '--location', dataDir],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        detached: true,
      },
    ),
    'Azurite',
  );
  await waitUntil(() => answers(azuriteBlobPort), child, 'Azurite', 30_000);
}

async function startEmbedded(): Promise<string> {
  const entry = path.join(serverDir, 'dist/embedded.js');
  if (!existsSync(entry))
    throw new StartError('server/dist/embedded.js is missing: run `npm run build` first.');
  const child = track(
    spawn(process.execPath, [entry], {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
      env: process.env,
    }),
    'The embedded host',
  );
  return new Promise((resolve, reject) => {
    child.once('exit', () =>
      reject(new StartError('The embedded host stopped before it was ready (see above).')),
    );
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      console.log(line);
      const ready = /ready: (\S+)/.exec(line);
      if (ready?.[1]) resolve(ready[1]);
    });
  });
}

async function startFunc(): Promise<string> {
  const version = spawnSync('func', ['--version'], { encoding: 'utf8' });
  if (version.error) {
    throw new StartError(
      'Azure Functions Core Tools (func) is not on PATH. Install it (https://learn.microsoft.com/azure/azure-functions/functions-run-local), or run `npm start` without --func to use the embedded host.',
    );
  }
  const parsed = parseCoreToolsVersion(version.stdout);
  if (!parsed || !isSupportedCoreToolsVersion(parsed)) {
    throw new StartError(
      `Azure Functions Core Tools ${version.stdout.trim() || '(unknown version)'} is too old for MCP tools: ${minimumCoreToolsVersion} or later is needed. Update it, or run \`npm start\` without --func.`,
    );
  }
  const settings = path.join(serverDir, 'local.settings.json');
  if (!existsSync(settings)) {
    copyFileSync(path.join(serverDir, 'local.settings.example.json'), settings);
    console.log('Created server/local.settings.json from local.settings.example.json.');
  }
  const child = track(
    spawn('func', ['start', '--port', String(port)], { cwd: serverDir, stdio: 'inherit', detached: true }),
    'func start',
  );
  await waitUntil(() => hostRunning(port), child, 'func start', 120_000);
  return `http://127.0.0.1:${port}/runtime/webhooks/mcp`;
}

function track(child: ChildProcess, name: string): ChildProcess {
  children.push(child);
  child.once('error', (error) => {
    console.error(`${name} could not start: ${error.message}`);
    shutdown(1);
  });
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} stopped (${signal ?? `exit code ${code}`}); stopping the rest.`);
    shutdown(1);
  });
  return child;
}

/** Polls with a growing interval; gives up early if the process it waits for has exited. */
async function waitUntil(check: () => Promise<boolean>, child: ChildProcess, name: string, limitMs: number) {
  const deadline = Date.now() + limitMs;
  for (let delay = 100; Date.now() < deadline; delay = Math.min(delay * 1.5, 2000)) {
    if (child.exitCode !== null)
      throw new StartError(`${name} exited with code ${child.exitCode} before it was ready.`);
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  throw new StartError(`${name} was not ready after ${limitMs / 1000} s.`);
}

function answers(tcpPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: tcpPort });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function hostRunning(hostPort: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${hostPort}/admin/host/status`);
    const body = (await response.json()) as { state?: string };
    return body.state === 'Running';
  } catch {
    return false;
  }
}

let stopping = false;
function shutdown(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    // Each child leads its own process group, so this also stops what it started (func's workers).
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  }
  setTimeout(() => process.exit(code), 1500).unref();
  const running = children.filter((child) => child.pid && child.exitCode === null);
  void Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve)))).then(() =>
    process.exit(code),
  );
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

main().catch((error: unknown) => {
  console.error(error instanceof StartError ? error.message : `npm start failed: ${String(error)}`);
  shutdown(1);
});
