// The user's TypeScript Functions MCP app (test/fixtures/projects/ts-functions-mcp-app) in a temporary
// folder, as cloned, and the Functions app host (server/dist/functionsApp.js) serving it as a child
// process, as Start Local Server and `npm start -- --project` run it.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readyLinePrefix } from '../../server/src/hosts/embedded/startEmbeddedHost';
import { builtDist, copyAsCloned, linkNodeModules } from './selfHostedFixture';
import { freePort, startNodeProcess, type StartedProcess } from './processes';

export const functionsAppFixture = 'ts-functions-mcp-app';

/** The bundle the extension ships; `node esbuild.mjs` (or `npm test`) builds it. */
export const functionsAppHostBundle = path.resolve(__dirname, '../../server/dist/functionsApp.js');

export interface FunctionsAppCopy {
  folder: string;
  remove(): void;
}

export interface FunctionsAppCopyOptions {
  /** Which app of test/fixtures/projects (default the full app; `ts-functions-mcp` is a one-tool greet app). */
  fixture?: typeof functionsAppFixture | 'ts-functions-mcp';
  /** Copy in the build the fixture's own `npm run build` made once (default true). */
  built?: boolean;
  /** Link node_modules to the repository's, which holds @azure/functions (default true). */
  nodeModules?: boolean;
  /** AzureWebJobsStorage in local.settings.json, e.g. a test Azurite's connection string. */
  storageConnection?: string;
}

export function copyFunctionsApp(options: FunctionsAppCopyOptions = {}): FunctionsAppCopy {
  const fixture = options.fixture ?? functionsAppFixture;
  const parent = mkdtempSync(path.join(os.tmpdir(), `remote-mcp-${fixture}-`));
  const folder = path.join(parent, fixture);
  copyAsCloned(fixture, folder);
  if (options.nodeModules !== false) linkNodeModules(folder);
  if (options.built !== false) cpSync(builtDist(fixture), path.join(folder, 'dist'), { recursive: true });
  if (options.storageConnection) setLocalSetting(folder, 'AzureWebJobsStorage', options.storageConnection);
  return { folder, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/** Changes one value of the copy's local.settings.json, as a user edits it. */
export function setLocalSetting(folder: string, name: string, value: string): void {
  const file = path.join(folder, 'local.settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as { Values: Record<string, string> };
  settings.Values[name] = value;
  writeFileSync(file, JSON.stringify(settings, null, 2));
}

/** Adds a compiled function file to the copy's build, as if the user had written and built it. */
export function addBuiltFunction(folder: string, fileName: string, javascript: string): string {
  const file = path.join(folder, 'dist', 'src', 'functions', fileName);
  writeFileSync(file, javascript);
  return file;
}

/**
 * The environment of a host process: this process's, without the settings the host reads (so a
 * developer's own PORT or key cannot leak in), plus the given ones.
 */
export function hostEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const {
    PORT: _port,
    FUNCTIONS_CUSTOMHANDLER_PORT: _customHandlerPort,
    MCP_KEY: _key,
    MCP_HOST: _host,
    AzureWebJobsStorage: _storage,
    ...env
  } = process.env;
  return { ...env, ...extra };
}

export interface RunningFunctionsApp {
  mcpUrl: string;
  port: number;
  process: StartedProcess;
  stop(): Promise<void>;
}

/** Starts `node functionsApp.js <folder>` on a free loopback port and waits for its ready line. */
export async function startFunctionsAppHost(
  folder: string,
  env: NodeJS.ProcessEnv = {},
  readyTimeoutMs = 60_000,
): Promise<RunningFunctionsApp> {
  const port = await freePort();
  const child = startNodeProcess(functionsAppHostBundle, hostEnvironment({ PORT: String(port), ...env }), [
    folder,
  ]);
  try {
    const ready = await child.waitForLine(new RegExp(`^${escapeRegExp(readyLinePrefix)} `), readyTimeoutMs);
    const [mcpUrl = ''] = ready.slice(readyLinePrefix.length).trim().split(/\s/);
    return { mcpUrl, port, process: child, stop: () => stopGracefully(child) };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

export interface HostExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the host on an app that should not start, and collects what the user would see. */
export function runFunctionsAppHostToExit(
  folder: string,
  env: NodeJS.ProcessEnv,
  limitMs = 60_000,
): Promise<HostExit> {
  const child = spawn(process.execPath, [functionsAppHostBundle, folder], {
    env: hostEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `The host did not exit within ${limitMs / 1000} s.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    }, limitMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** SIGTERM first, so the host can close its streams; SIGKILL if it does not exit within 5 s. */
async function stopGracefully(child: StartedProcess): Promise<void> {
  if (child.child.exitCode !== null || child.child.signalCode !== null) return;
  child.child.kill('SIGTERM');
  const timer = setTimeout(() => child.child.kill('SIGKILL'), 5000);
  await child.exited;
  clearTimeout(timer);
}

/** A pattern matching `text` literally, for waiting on a line the app logs. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
