// Starts a throwaway code-server (VS Code's server build) for one test run: a fresh user-data and
// extensions folder, VSIXs installed into it, bound to 127.0.0.1 on a free port, in its own
// process group so that stopping it ends the extension host and everything else it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Log } from './protocol';
import type { Toolchain } from './toolchain';

export interface CodeServerOptions {
  toolchain: Toolchain;
  /** The folder VS Code opens (absolute). */
  workspaceFolder: string;
  /** Installed with `--install-extension` before the server starts. */
  vsixPaths?: string[];
  /** Added to this process's environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  /** Merged over the defaults written to `User/settings.json`. */
  settings?: Record<string, unknown>;
  log: Log;
  /** How long to wait for `/healthz`; default 60 s. */
  startTimeoutMs?: number;
}

export interface CodeServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The server's pid, which is also its process group id. */
  readonly pid: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly workspaceFolder: string;
  /** The folder an installed extension (`publisher.name`) was unpacked into; throws if it is not installed. */
  extensionFolder(extensionId: string): string;
  /** Ends the whole process group, waits for it, and removes the user-data and extensions folders. */
  stop(): Promise<void>;
}

/** VS Code settings for a quiet, offline, test-only profile. */
export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'json.schemaDownload.enable': false,
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'git.enabled': false,
};

/** Process groups started here and not yet stopped, with their temp folders; ended if this process exits first. */
const liveGroups = new Map<number, string>();
let exitHookInstalled = false;

function killAllNow(): void {
  for (const [pgid, root] of liveGroups) {
    killGroup(pgid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  }
  liveGroups.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllNow);
  // A Ctrl-C would otherwise leave the servers running: clean up, then die of the same signal
  // (unless another listener, such as playwright's, handles it).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllNow();
      process.kill(process.pid, signal);
    });
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone.
  }
}

function groupAlive(pgid: number): boolean {
  return killGroup(pgid, 0 as unknown as NodeJS.Signals);
}

/** Ends a process group: SIGTERM, then SIGKILL after `graceMs`; resolves once no member is left. */
export async function stopProcessGroup(pgid: number, graceMs = 5000): Promise<void> {
  killGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pgid)) {
    killGroup(pgid, 'SIGKILL');
    const hardDeadline = Date.now() + 5000;
    while (groupAlive(pgid) && Date.now() < hardDeadline) await sleep(100);
    if (groupAlive(pgid)) throw new Error(`process group ${pgid} survived SIGKILL`);
  }
  liveGroups.delete(pgid);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * The environment code-server and the extension host get: this process's, minus NODE_OPTIONS, with
 * code-server's own files (config.yaml, logs, IPC sockets, temp files) kept inside `root` so that
 * nothing is left in ~/.config, ~/.local/share or /tmp; then the caller's variables, which win.
 */
function childEnv(root: string, extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // `node --import tsx` or a debugger in this process must not follow into code-server's Node 24.
  delete env.NODE_OPTIONS;
  // No extension gallery: code-server would otherwise ask open-vsx.org about installed extensions.
  env.EXTENSIONS_GALLERY = '{}';
  env.CODE_SERVER_CONFIG = path.join(root, 'config.yaml');
  for (const [name, sub] of [
    ['TMPDIR', 'tmp'],
    ['XDG_CONFIG_HOME', 'config'],
    ['XDG_DATA_HOME', 'data'],
  ] as const) {
    env[name] = path.join(root, sub);
    mkdirSync(env[name], { recursive: true });
  }
  return { ...env, ...extra };
}

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${[command, ...args].join(' ')} exited ${code}:\n${output.trim()}`)),
    );
  });
}

/** Installs a VSIX into the given folders with code-server's CLI (takes about a second). */
export async function installVsix(
  toolchain: Toolchain,
  vsixPath: string,
  dirs: { userDataDir: string; extensionsDir: string },
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const args = [
    toolchain.codeServerEntry,
    '--user-data-dir',
    dirs.userDataDir,
    '--extensions-dir',
    dirs.extensionsDir,
    '--install-extension',
    path.resolve(vsixPath),
  ];
  const output = await runToEnd(toolchain.node24Bin, args, env);
  for (const line of output.split('\n').filter((l) => l.trim())) log(`[code-server] ${line}`);
}

interface ExtensionsJsonEntry {
  identifier?: { id?: string };
  location?: { path?: string; fsPath?: string };
  relativeLocation?: string;
}

function findExtensionFolder(extensionsDir: string, extensionId: string): string {
  const id = extensionId.toLowerCase();
  try {
    const entries = JSON.parse(
      readFileSync(path.join(extensionsDir, 'extensions.json'), 'utf8'),
    ) as ExtensionsJsonEntry[];
    const entry = entries.find((e) => e.identifier?.id?.toLowerCase() === id);
    if (entry?.relativeLocation) return path.join(extensionsDir, entry.relativeLocation);
    const located = entry?.location?.fsPath ?? entry?.location?.path;
    if (located) return located;
  } catch {
    // No extensions.json (older layouts): fall back to the folder name `<publisher>.<name>-<version>`.
  }
  const folder = readdirSync(extensionsDir).find((name) => name.toLowerCase().startsWith(`${id}-`));
  if (folder) return path.join(extensionsDir, folder);
  throw new Error(`extension ${extensionId} is not installed in ${extensionsDir}`);
}

/** Starts code-server and waits until `/healthz` answers. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { toolchain, log } = options;
  const workspaceFolder = path.resolve(options.workspaceFolder);
  const root = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-vscode-'));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  // code-server is a remote window: settings of machine scope (paths to executables, say) are read
  // from the Machine settings and dropped from the User settings once the remote configuration
  // loads, so the settings go to both, as a user would set them in both places.
  for (const scope of ['User', 'Machine']) {
    mkdirSync(path.join(userDataDir, scope), { recursive: true });
    writeFileSync(
      path.join(userDataDir, scope, 'settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2) + '\n',
    );
  }

  const env = childEnv(root, options.env);
  let child: ChildProcess | undefined;
  const cleanup = async () => {
    if (child?.pid !== undefined) await stopProcessGroup(child.pid);
    rmSync(root, { recursive: true, force: true });
  };

  try {
    for (const vsix of options.vsixPaths ?? []) {
      log(`[code-server] installing ${vsix}`);
      await installVsix(toolchain, vsix, { userDataDir, extensionsDir }, log, env);
    }

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const args = [
      toolchain.codeServerEntry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      // Without it the workbench ignores the extensionTestsPath payload.
      '--vscode-option',
      'enable-smoke-test-driver',
      workspaceFolder,
    ];
    installExitHook();
    const spawned = spawn(toolchain.node24Bin, args, {
      env,
      detached: true, // its own process group, ended as a whole by stop()
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = spawned;
    if (spawned.pid === undefined) throw new Error('code-server did not start');
    const pid = spawned.pid;
    liveGroups.set(pid, root);
    log(`[code-server] started pid ${pid} on ${url}`);

    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        log(`[code-server] ${line}`);
      }
    };
    spawned.stdout.on('data', onData);
    spawned.stderr.on('data', onData);
    let exited: string | undefined;
    spawned.on('exit', (code, signal) => (exited = `exited ${code ?? signal}`));

    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    for (;;) {
      if (exited) throw new Error(`code-server ${exited} before it was ready:\n${tail.join('\n')}`);
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline)
        throw new Error(`code-server did not answer ${url}/healthz in time:\n${tail.join('\n')}`);
      await sleep(200);
    }
    log(`[code-server] ready`);

    let stopped: Promise<void> | undefined;
    return {
      url,
      port,
      pid,
      userDataDir,
      extensionsDir,
      workspaceFolder,
      extensionFolder: (id) => findExtensionFolder(extensionsDir, id),
      stop: () => (stopped ??= cleanup().then(() => log(`[code-server] stopped pid ${pid}`))),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
