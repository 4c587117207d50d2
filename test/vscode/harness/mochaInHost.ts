// The part of a VS Code suite that runs inside the extension host: a suite's `run()` calls
// runMochaInHost, which runs mocha with a spec reporter printing to console (the harness receives
// it through codeAutomationLog) and writes the counts to $REMOTE_MCP_TEST_RESULTS for the harness.
//
// Bundling: the suite, this helper and mocha are bundled by esbuild into ONE CommonJS file with
// `vscode` external (see bundleSuite in ./bundle). Mocha is bundled rather than loaded from
// node_modules because the extension host runs from the installed VSIX folder, where the repo's
// node_modules is not resolvable. Mocha's `addFile`/`loadFiles` would `require` test files by path,
// which defeats the bundle, so tests are loaded by a `load` callback instead, typically
// `() => import('./commands.test')`: esbuild keeps a dynamic import lazy, so the test module's
// top-level `describe`/`it` (or `suite`/`test`) run only after mocha has installed those globals.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Mocha from 'mocha';
import {
  FINAL_SCREENSHOT,
  RESULTS_ENV,
  SCREENSHOT_MARKER,
  SCREENSHOTS_ENV,
  screenshotAckPath,
  type SuiteFailure,
  type SuiteResults,
} from './protocol';

export interface MochaInHostOptions {
  /** 'bdd' (describe/it, the default) or 'tdd' (suite/test). */
  ui?: 'bdd' | 'tdd';
  /** Per-test timeout in ms; default 60 s (starting MCP servers in VS Code takes seconds). */
  timeoutMs?: number;
  /** Only tests whose full title matches. */
  grep?: string | RegExp;
  /**
   * Defines the tests, called once mocha's globals exist; e.g.
   * `load: async () => { await import('./commands.test'); await import('./mcp.test'); }`.
   */
  load: () => unknown;
  /** Ask the harness for a screenshot (label "final") when the tests are done; default true. */
  finalScreenshot?: boolean;
}

let screenshotCounter = 0;

/**
 * Asks the harness for a screenshot of the workbench now and waits (at most 20 s) until it is saved.
 * Resolves with the saved file's path, or undefined when the harness was not asked for screenshots
 * or could not take one. Label "final" is the end-of-suite one.
 */
export async function requestScreenshot(label: string): Promise<string | undefined> {
  const results = process.env[RESULTS_ENV];
  if (!results || process.env[SCREENSHOTS_ENV] !== '1') return undefined;
  const id = `${process.pid}-${++screenshotCounter}`;
  const safeLabel = label.replace(/[^\w.-]+/g, '-');
  console.log(`${SCREENSHOT_MARKER} ${id} ${safeLabel}`);
  const ack = screenshotAckPath(results, id);
  const deadline = Date.now() + 20_000;
  while (!existsSync(ack) && Date.now() < deadline) await sleep(100);
  if (!existsSync(ack)) {
    console.log(`screenshot "${safeLabel}" was not acknowledged by the harness`);
    return undefined;
  }
  return readFileSync(ack, 'utf8') || undefined;
}

function writeResults(results: SuiteResults): void {
  const file = process.env[RESULTS_ENV];
  if (!file) return;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

/**
 * Runs the tests that `load` defines and writes the counts for the harness. Resolves when all
 * passed; rejects when any failed (so the extension host reports a non-zero exit code) or none ran.
 */
export async function runMochaInHost(options: MochaInHostOptions): Promise<void> {
  const mocha = new Mocha({
    ui: options.ui ?? 'bdd',
    timeout: options.timeoutMs ?? 60_000,
    reporter: 'spec',
    color: false,
    ...(options.grep !== undefined ? { grep: options.grep } : {}),
  });
  const counts: SuiteResults = { passed: 0, failed: 0, failures: [] };
  try {
    // What mocha does before it requires each test file: put describe/it (or suite/test) on the global.
    mocha.suite.emit('pre-require', globalThis, 'bundled-suite', mocha);
    await options.load();
  } catch (err) {
    counts.failed = 1;
    counts.failures.push({ title: 'loading the test modules', message: describeError(err) });
    console.error(`loading the test modules failed: ${describeError(err)}`);
    writeResults(counts);
    throw err;
  }

  const failures: SuiteFailure[] = [];
  const failed = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', () => counts.passed++);
    runner.on('fail', (test: Mocha.Runnable, err: unknown) => {
      // Also fires for hooks ("before all" hook for ...): each counts as a failure.
      failures.push({ title: test.fullTitle(), message: describeError(err) });
    });
  });
  counts.failed = failures.length;
  counts.failures = failures;
  if (failed !== failures.length)
    console.log(`mocha reported ${failed} failures, the reporter saw ${failures.length}`);

  if (options.finalScreenshot ?? true) await requestScreenshot(FINAL_SCREENSHOT);
  writeResults(counts);
  if (counts.failed > 0) throw new Error(`${counts.failed} of ${counts.passed + counts.failed} tests failed`);
  if (counts.passed === 0) throw new Error('no tests ran');
}
