// `npm start`: Azurite for snippet storage, then the MCP server (the embedded host, or `func start`
// with --func), until Ctrl-C stops both. Run from the repository root after `npm ci`.
// `npm start -- --project <folder>` runs a user's MCP project instead: a self-hosted SDK server with
// its own command (no Azurite); a Node.js Functions MCP app on the Functions app host
// (server/dist/functionsApp.js, Azurite when its storage is the emulator); any MCP extension app
// with `func start` (--func, and for other languages whenever func is on PATH).
//   PORT               the MCP server's port (7071)
//   AZURITE_BLOB_PORT  Azurite's blob port (10000; queue and table use the next two)
//   AZURITE_LOCATION   Azurite's data folder (.azurite/, kept between runs)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import {
  isSupportedCoreToolsVersion,
  minimumCoreToolsVersion,
  parseCoreToolsVersion,
} from '../../shared/coreTools';
import { azuriteApiVersionWarning, azuriteConnectionString } from '../../shared/developmentStorage';
import { answersTcp, hostIsRunning, isPortFree, waitForReady } from '../../shared/net';
import { mcpRoutes } from '../../shared/mcpRoutes';
import { answersMcpInitialize } from '../../shared/selfHostedRun/mcpReadiness';
import {
  coreToolsNeeded,
  prepareFunctionsApp,
  prepareSelfHosted,
  ProjectRunError,
  projectIn,
} from './projectRun';
import { localServerEnvironment, usesDevelopmentStorage } from '../../shared/functionsAppRun/appEnvironment';
import { findOnPath, localSettingsValues } from '../../shared/selfHostedRun/directCommand';
import type { McpProject } from '../../shared/mcpProject/mcpProject';

const root = path.resolve(__dirname, '../..');
const serverDir = path.join(root, 'server');
const port = Number(process.env.PORT ?? 7071);
const azuriteBlobPort = Number(process.env.AZURITE_BLOB_PORT ?? 10000);
const azuriteLocation = process.env.AZURITE_LOCATION ?? path.join(root, '.azurite');
const children: ChildProcess[] = [];

class StartError extends Error {}

async function main(): Promise<void> {
  const useFunc = process.argv.includes('--func');
  const projectFolder = projectArgument(process.argv.slice(2));
  if (projectFolder !== undefined) return startProject(projectFolder, useFunc);
  await ensureAzurite();
  // The server reaches the Azurite above unless the user points it at other storage.
  process.env.AzureWebJobsStorage ??= azuriteConnectionString(azuriteBlobPort);
  const mcpUrl = useFunc ? await startFunc() : await startEmbedded();
  console.log(`\nMCP server (Streamable HTTP): ${mcpUrl}`);
  console.log(`MCP server (legacy SSE):      ${mcpUrl}/sse`);
  console.log('Ready. Press Ctrl-C to stop.');
}

/** `--project <folder>` or `--project=<folder>`. */
function projectArgument(args: readonly string[]): string | undefined {
  const index = args.findIndex((arg) => arg === '--project' || arg.startsWith('--project='));
  if (index < 0) return undefined;
  const arg = args[index] ?? '';
  const folder = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
  if (!folder || folder.startsWith('--'))
    throw new StartError('--project needs a folder: npm start -- --project <folder>');
  return folder;
}

async function startProject(folder: string, useFunc: boolean): Promise<void> {
  const project = await projectIn(folder);
  console.log(`Project: ${project.name} (${project.kind}, ${project.language}) in ${project.folder}`);
  let url: string;
  if (project.kind === 'selfHosted' && !useFunc) {
    const start = await prepareSelfHosted(project);
    console.log(`Starting ${[start.command, ...start.args].join(' ')} in ${start.cwd} ...`);
    const child = track(
      spawn(start.command, start.args, { cwd: start.cwd, env: start.env, stdio: 'inherit', detached: true }),
      project.name,
    );
    await waitFor((timeoutMs) => answersMcpInitialize(start.url, timeoutMs), child, project.name, 120_000);
    url = start.url;
  } else if (useFunc || (project.kind !== 'selfHosted' && project.language !== 'node' && funcOnPath())) {
    if (project.kind !== 'selfHosted') await ensureAzurite();
    process.env.AzureWebJobsStorage ??= azuriteConnectionString(azuriteBlobPort);
    url = await startFunc(
      project.folder,
      `http://127.0.0.1:${port}${project.mcpPath}`,
      project.kind === 'selfHosted',
    );
  } else if (project.language === 'node') {
    url = await startFunctionsApp(project);
  } else {
    throw coreToolsNeeded(project, folder);
  }
  console.log(`\nMCP server (Streamable HTTP): ${url}`);
  // The Functions MCP extension (and the embedded hosts) serve legacy SSE beside it; SDK servers do not.
  if (project.kind !== 'selfHosted') console.log(`MCP server (legacy SSE):      ${url}/sse`);
  console.log('Ready. Press Ctrl-C to stop.');
}

/**
 * A user's Node.js Functions MCP app on the Functions app host, as Start Local Server runs it without
 * Core Tools: built first when needed, local.settings.json's values in its environment, Azurite when
 * its storage is the emulator.
 */
async function startFunctionsApp(project: McpProject): Promise<string> {
  const entry = path.join(serverDir, 'dist/functionsApp.js');
  if (!existsSync(entry))
    throw new StartError('server/dist/functionsApp.js is missing: run `npm run build` first.');
  prepareFunctionsApp(project);
  if (!(await isPortFree(port)))
    throw new StartError(
      `Port ${port} is already in use. Stop the program using it, or set PORT to another port.`,
    );
  const env = localServerEnvironment(
    { ...process.env, PORT: String(port) },
    localSettingsValues(project.folder),
    azuriteBlobPort,
  );
  if (usesDevelopmentStorage(localSettingsValues(project.folder))) await ensureAzurite();
  console.log(`Starting ${project.name} on the Functions app host ...`);
  // The host prints which functions it serves (and which it cannot) and its own ready line; a
  // problem in the app is one message on its stderr, shown as it is.
  const child = track(
    spawn(process.execPath, [entry, project.folder], {
      cwd: project.folder,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    }),
    'The Functions app host',
  );
  await waitFor((timeoutMs) => hostIsRunning(port, timeoutMs), child, 'The Functions app host', 120_000);
  return `http://127.0.0.1:${port}${project.mcpPath}`;
}

function funcOnPath(): boolean {
  return findOnPath('func', process.env) !== undefined;
}

async function ensureAzurite(): Promise<void> {
  if (await answersTcp(azuriteBlobPort)) {
    console.log(`Azurite already answers on 127.0.0.1:${azuriteBlobPort}; using it.`);
    // The user's own Azurite may be older than the server's storage client: say so before any snippet call.
    const warning = await azuriteApiVersionWarning(azuriteBlobPort);
    if (warning) console.warn(`Warning: ${warning}`);
    return;
  }
  mkdirSync(azuriteLocation, { recursive: true });
  const azurite = require.resolve('azurite/dist/src/azurite.js');
  console.log(`Starting Azurite (data in ${path.relative(root, azuriteLocation) || azuriteLocation}) ...`);
  const ports = [
    '--blobPort',
    azuriteBlobPort,
    '--queuePort',
    azuriteBlobPort + 1,
    '--tablePort',
    azuriteBlobPort + 2,
  ];
  const child = track(
    spawn(
      process.execPath,
      [azurite, '--silent', '--disableTelemetry', '--location', azuriteLocation, ...ports.map(String)],
      { stdio: ['ignore', 'inherit', 'inherit'], detached: true },
    ),
    'Azurite',
  );
  await waitFor(() => answersTcp(azuriteBlobPort), child, 'Azurite', 30_000);
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
  return new Promise((resolve) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      console.log(line);
      const ready = /ready: (\S+)/.exec(line);
      if (ready?.[1]) resolve(ready[1]);
    });
  });
}

async function startFunc(
  appDir = serverDir,
  url = `http://127.0.0.1:${port}${mcpRoutes.streamableHttp}`,
  selfHosted = false,
): Promise<string> {
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
  if (appDir === serverDir && !existsSync(settings)) {
    copyFileSync(path.join(serverDir, 'local.settings.example.json'), settings);
    console.log('Created server/local.settings.json from local.settings.example.json.');
  }
  const child = track(
    spawn('func', ['start', '--port', String(port)], { cwd: appDir, stdio: 'inherit', detached: true }),
    'func start',
  );
  // A self-hosted server has no MCP extension behind func: it is ready when it answers initialize.
  const ready = selfHosted
    ? (timeoutMs: number) => answersMcpInitialize(url, timeoutMs)
    : (timeoutMs: number) => hostIsRunning(port, timeoutMs);
  await waitFor(ready, child, 'func start', 120_000);
  return url;
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

async function waitFor(
  check: (timeoutMs: number) => Promise<boolean>,
  child: ChildProcess,
  name: string,
  limitMs: number,
) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const outcome = await waitForReady(check, { limitMs, exited });
  if (!outcome.ready) {
    throw new StartError(
      outcome.reason === 'exited'
        ? `${name} exited before it was ready.`
        : `${name} was not ready after ${limitMs / 1000} s.`,
    );
  }
}

let stopping = false;
function shutdown(code: number): void {
  if (stopping) return;
  stopping = true;
  const running = children.filter(
    (child) => child.pid && child.exitCode === null && child.signalCode === null,
  );
  for (const child of running) {
    // Each child leads its own process group, so this also stops what it started (func's workers).
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  setTimeout(() => process.exit(code), 5000).unref();
  void Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve)))).then(() =>
    process.exit(code),
  );
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

main().catch((error: unknown) => {
  console.error(
    error instanceof StartError || error instanceof ProjectRunError
      ? error.message
      : `npm start failed: ${String(error)}`,
  );
  shutdown(1);
});
