// Runs a mocha suite inside a real VS Code: code-server with the packaged extension (VSIX)
// installed, its web workbench in headless Chromium driven by playwright-core, and the suite
// loaded as extensionTestsPath through VS Code's smoke-test driver payload. The extension host's
// console is streamed to the log; counts come from the JSON the in-host helper writes.
import { createRequire } from 'node:module';
import { format } from 'node:util';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCodeServer, type CodeServer } from './codeServer';
import {
  FINAL_SCREENSHOT,
  RESULTS_ENV,
  SCREENSHOT_MARKER,
  SCREENSHOTS_ENV,
  screenshotAckPath,
  type Log,
  type SuiteResults,
} from './protocol';
import { ensureToolchain } from './toolchain';

export interface RunVsCodeSuiteOptions {
  /** The packaged extension; what is installed is what is tested. */
  vsixPath: string;
  /** Other extensions the suite needs (e.g. a test authentication provider), installed beside it. */
  extraVsixPaths?: string[];
  /** `publisher.name` of the extension in the VSIX. */
  extensionId: string;
  /** The folder VS Code opens. */
  workspaceFolder: string;
  /** Absolute path of a CommonJS file exporting `run(): Promise<void>` (see bundleSuite, runMochaInHost). */
  testsEntry: string;
  /** Environment for code-server and so for the extension host (and the extension under test). */
  env?: Record<string, string>;
  /** VS Code user settings, over the harness's quiet defaults. */
  settings?: Record<string, unknown>;
  /**
   * Entries of the workbench's application-scope storage, written before it loads: what VS Code
   * would have remembered from earlier sessions (such as which extensions may use an account).
   */
  applicationStorage?: Record<string, string>;
  /**
   * Saves a screenshot of the workbench here when the suite is done (requested by the suite before
   * it exits, or taken right after). Mid-suite ones, `requestScreenshot(label)`, go beside it as
   * `<name>-<label>.png`. Without it, a timeout still saves one to the temp folder.
   */
  screenshotPath?: string;
  /**
   * Writes the log files here when given, also on failure: the workbench's (window.log, MCP server
   * output such as "Discovered N tools") and, under server/, code-server's (remote extension host).
   */
  logsDir?: string;
  /** From starting code-server to the suite's exit, not counting a first toolchain install. */
  timeoutMs: number;
  log: Log;
  /** Also log the workbench chatter matched by {@link WORKBENCH_NOISE}. */
  verbose?: boolean;
}

export interface VsCodeSuiteResult {
  passed: number;
  failed: number;
  /** `title: message` for each failure. */
  failures: string[];
}

// The small part of playwright-core used here; it is loaded from the toolchain cache at run time.
interface PwConsoleMessage {
  type(): string;
  text(): string;
}
interface PwPage {
  exposeFunction(name: string, fn: (...args: never[]) => unknown): Promise<void>;
  goto(
    url: string,
    options?: { waitUntil?: 'domcontentloaded' | 'load'; timeout?: number },
  ): Promise<unknown>;
  screenshot(options: { path: string; timeout?: number }): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
  on(event: 'console', listener: (message: PwConsoleMessage) => void): unknown;
  on(event: 'pageerror', listener: (error: Error) => void): unknown;
  on(event: 'crash' | 'close', listener: () => void): unknown;
}
interface PwBrowser {
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<PwPage>;
  close(): Promise<void>;
  on(event: 'disconnected', listener: () => void): unknown;
}
interface PlaywrightCore {
  chromium: {
    launch(options: {
      executablePath: string;
      headless: boolean;
      args: string[];
      timeout?: number;
      env?: NodeJS.ProcessEnv;
    }): Promise<PwBrowser>;
  };
}

/** Chromium flags: no sandbox (root in a container), no GPU, and no traffic beyond 127.0.0.1. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // Any host name but 127.0.0.1 fails to resolve: the workbench cannot reach out by accident.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

interface WindowLog {
  relativePath: string;
  contents: string;
}

/** Turns one codeAutomationLog call into text, as console.log would (printf-style `%s`, `%d`, `%c`). */
export function formatConsoleArgs(args: unknown): string {
  const list: unknown[] = Array.isArray(args) ? args : [args];
  return format(...list);
}

/** Workbench chatter that says nothing about the suite; shown with `verbose: true`. */
export const WORKBENCH_NOISE: readonly RegExp[] = [
  /^\[AgentHost[\]:]/,
  /^\[ChatModelSelection\]/,
  /^\[AccountPolicyGate\]/,
  /^Ignoring fetching additional builtin extensions from gallery/,
  /^Updating additional builtin extensions cache/,
  /^(Creating a socket|Resolving connection token|Resolved connection token)/,
];

function screenshotPathFor(base: string, label: string): string {
  if (label === FINAL_SCREENSHOT) return base;
  const ext = path.extname(base) || '.png';
  return path.join(path.dirname(base), `${path.basename(base, path.extname(base))}-${label}${ext}`);
}

function readResults(file: string): SuiteResults | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SuiteResults>;
  return {
    passed: Number(parsed.passed ?? 0),
    failed: Number(parsed.failed ?? 0),
    failures: Array.isArray(parsed.failures) ? parsed.failures : [],
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * Installs the toolchain if needed, starts code-server with the VSIX installed, runs the suite in
 * the extension host and returns its counts. Always stops the browser and code-server's whole
 * process group and removes the temp folders, also on failure and timeout.
 */
export async function runVsCodeSuite(options: RunVsCodeSuiteOptions): Promise<VsCodeSuiteResult> {
  const { log } = options;
  const toolchain = await ensureToolchain(log);
  const started = Date.now();
  const remaining = () => Math.max(1000, options.timeoutMs - (Date.now() - started));

  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-suite-'));
  const resultsFile = path.join(tempDir, 'results.json');
  const screenshotBase = options.screenshotPath ? path.resolve(options.screenshotPath) : undefined;
  if (screenshotBase) mkdirSync(path.dirname(screenshotBase), { recursive: true });

  let server: CodeServer | undefined;
  let browser: PwBrowser | undefined;
  const pendingShots: Promise<void>[] = [];
  const recentBrowserConsole: string[] = [];
  let finalShotTaken = false;

  const takeScreenshot = async (page: PwPage, file: string) => {
    await page.screenshot({ path: file, timeout: 15_000 });
    log(`[harness] screenshot saved: ${file}`);
  };

  try {
    // Not raced against the timeout: a server that started late could not be stopped. Its own
    // /healthz wait is bounded by the time left.
    server = await startCodeServer({
      toolchain,
      workspaceFolder: options.workspaceFolder,
      vsixPaths: [options.vsixPath, ...(options.extraVsixPaths ?? [])],
      env: {
        ...options.env,
        [RESULTS_ENV]: resultsFile,
        [SCREENSHOTS_ENV]: screenshotBase ? '1' : '0',
      },
      ...(options.settings ? { settings: options.settings } : {}),
      log,
      startTimeoutMs: remaining(),
    });
    const extensionFolder = server.extensionFolder(options.extensionId);
    log(`[harness] testing the installed extension in ${extensionFolder}`);

    const requireFromCache = createRequire(path.join(toolchain.playwrightCoreDir, 'package.json'));
    const playwright = requireFromCache(toolchain.playwrightCoreDir) as PlaywrightCore;
    const launched = await playwright.chromium.launch({
      executablePath: toolchain.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
      // Chromium's crashpad and dconf files go to the temp folder, not ~/.config and ~/.cache.
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(tempDir, 'browser'),
        XDG_CACHE_HOME: path.join(tempDir, 'browser'),
      },
    });
    browser = launched;
    const page = await launched.newPage({ viewport: { width: 1400, height: 900 } });

    let resolveExit!: (value: { code: number; logs: WindowLog[] }) => void;
    let rejectExit!: (reason: Error) => void;
    const exited = new Promise<{ code: number; logs: WindowLog[] }>((resolve, reject) => {
      resolveExit = resolve;
      rejectExit = reject;
    });
    // Settled after cleanup too (closing the browser disconnects it); nobody may be awaiting then.
    exited.catch(() => undefined);
    launched.on('disconnected', () =>
      rejectExit(new Error('the browser disconnected before the suite finished')),
    );
    page.on('crash', () => rejectExit(new Error('the workbench page crashed before the suite finished')));
    page.on('console', (message) => {
      recentBrowserConsole.push(`[browser:${message.type()}] ${message.text()}`);
      if (recentBrowserConsole.length > 60) recentBrowserConsole.shift();
    });
    page.on('pageerror', (error) => log(`[browser:pageerror] ${error.message}`));

    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const text = formatConsoleArgs(args);
      const markerAt = text.indexOf(SCREENSHOT_MARKER);
      if (markerAt >= 0) {
        const [id = '', label = 'shot'] = text
          .slice(markerAt + SCREENSHOT_MARKER.length)
          .trim()
          .split(/\s+/);
        // The acknowledgement holds the saved file's path (empty when none was saved); renamed into
        // place, so the suite never reads it half written.
        const ack = (saved = '') => {
          const file = screenshotAckPath(resultsFile, id);
          writeFileSync(`${file}.tmp`, saved);
          renameSync(`${file}.tmp`, file);
        };
        if (!screenshotBase) {
          ack();
          return;
        }
        if (label === FINAL_SCREENSHOT) finalShotTaken = true;
        const file = screenshotPathFor(screenshotBase, label);
        pendingShots.push(
          takeScreenshot(page, file).then(
            () => ack(file),
            (err: unknown) => {
              log(`[harness] screenshot "${label}" failed: ${String(err)}`);
              ack();
            },
          ),
        );
        return;
      }
      if (!options.verbose && WORKBENCH_NOISE.some((re) => re.test(text))) return;
      const prefix = `[vscode${type === 'log' || type === 'info' ? '' : `:${type}`}]`;
      for (const line of text.split('\n')) log(`${prefix} ${line}`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number, logs: WindowLog[] | undefined) => {
      resolveExit({ code: Number(code), logs: Array.isArray(logs) ? logs : [] });
    });

    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${extensionFolder}`],
      ['extensionTestsPath', `vscode-remote://127.0.0.1:${server.port}${path.resolve(options.testsEntry)}`],
    ];
    const url =
      `${server.url}/?folder=${encodeURIComponent(server.workspaceFolder)}` +
      `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    if (options.applicationStorage)
      await seedApplicationStorage(page, server.url, options.applicationStorage);
    log(`[harness] opening the workbench: ${server.url}/?folder=${server.workspaceFolder}`);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: remaining() });

    let exit: { code: number; logs: WindowLog[] };
    try {
      exit = await withTimeout(
        exited,
        remaining(),
        `the VS Code suite did not finish within timeoutMs (${Math.round(options.timeoutMs / 1000)} s)`,
      );
    } catch (err) {
      if (err instanceof TimeoutError) {
        const file = screenshotBase
          ? screenshotPathFor(screenshotBase, 'timeout')
          : path.join(os.tmpdir(), `remote-mcp-vscode-timeout-${Date.now()}.png`);
        await takeScreenshot(page, file).catch((e: unknown) =>
          log(`[harness] timeout screenshot failed: ${String(e)}`),
        );
        for (const line of recentBrowserConsole) log(line);
        throw new Error(`${err.message}; screenshot of the workbench: ${file}`, { cause: err });
      }
      throw err;
    }
    log(`[harness] the suite exited with code ${exit.code}`);

    await Promise.all(pendingShots);
    if (screenshotBase && !finalShotTaken) {
      await takeScreenshot(page, screenshotBase).catch((e: unknown) =>
        log(`[harness] screenshot failed: ${String(e)}`),
      );
    }
    if (options.logsDir) {
      for (const entry of exit.logs) {
        const file = path.join(options.logsDir, entry.relativePath);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, entry.contents);
      }
      log(`[harness] ${exit.logs.length} workbench log files written to ${options.logsDir}`);
    }

    const results = readResults(resultsFile);
    if (!results) {
      // The suite did not use runMochaInHost: the whole suite counts as one test.
      log(`[harness] no results file; counting the suite as one test by its exit code`);
      return exit.code === 0
        ? { passed: 1, failed: 0, failures: [] }
        : {
            passed: 0,
            failed: 1,
            failures: [`the suite exited with code ${exit.code} and wrote no results`],
          };
    }
    const failures = results.failures.map((f) => `${f.title}: ${f.message}`);
    if (exit.code !== 0 && results.failed === 0) {
      // e.g. no test ran, or run() threw after mocha finished.
      failures.push(`the suite exited with code ${exit.code}`);
    }
    return { passed: results.passed, failed: failures.length, failures };
  } finally {
    await Promise.allSettled(pendingShots);
    const cleanupErrors: unknown[] = [];
    if (browser) await browser.close().catch((err: unknown) => cleanupErrors.push(err));
    if (server && options.logsDir) {
      // The server side's logs: remote extension host (exthost*/remoteexthost.log), server, pty host.
      try {
        cpSync(path.join(server.userDataDir, 'logs'), path.join(options.logsDir, 'server'), {
          recursive: true,
        });
      } catch (err) {
        cleanupErrors.push(err);
      }
    }
    if (server) await server.stop().catch((err: unknown) => cleanupErrors.push(err));
    rmSync(tempDir, { recursive: true, force: true });
    for (const err of cleanupErrors) log(`[harness] cleanup failed: ${String(err)}`);
  }
}

/**
 * The web workbench keeps application-scope storage in the IndexedDB database
 * `vscode-web-state-db-global`, store `ItemTable`, string values under string keys (VS Code's
 * IndexedDBStorageDatabase), and reads it once when it loads; so the entries are written from a
 * page of the same origin before the workbench is opened.
 */
async function seedApplicationStorage(page: PwPage, origin: string, entries: Record<string, string>) {
  await page.goto(`${origin}/healthz`, { waitUntil: 'domcontentloaded' });
  // A string, run in the page: this project's TypeScript has no DOM types.
  await page.evaluate(`new Promise((resolve, reject) => {
    const request = indexedDB.open('vscode-web-state-db-global');
    request.onupgradeneeded = () => request.result.createObjectStore('ItemTable');
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const database = request.result;
      const transaction = database.transaction('ItemTable', 'readwrite');
      for (const [key, value] of ${JSON.stringify(Object.entries(entries))})
        transaction.objectStore('ItemTable').put(value, key);
      transaction.oncomplete = () => { database.close(); resolve(); };
      transaction.onerror = () => reject(transaction.error);
    };
  })`);
}
