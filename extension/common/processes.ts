import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './log';

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export class CliNotFoundError extends Error {
  override readonly name = 'CliNotFoundError';
}

/** Runs a short CLI query (e.g. `func --version`) with a timeout; a missing executable is its own error. */
export function runCli(
  file: string,
  args: readonly string[],
  options: { timeoutMs: number; cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: options.timeoutMs, cwd: options.cwd, env: options.env, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new CliNotFoundError(`${file} was not found.`));
        } else if (error && error.killed) {
          reject(new Error(`${file} ${args.join(' ')} did not finish within ${options.timeoutMs / 1000} s.`));
        } else {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ stdout, stderr, exitCode: code });
        }
      },
    );
  });
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A long-running child process whose output goes to the log and which can be stopped as a whole. */
export interface ManagedProcess {
  readonly pid: number | undefined;
  readonly exited: Promise<ProcessExit>;
  /** Lines the process printed, newest last, for error messages. */
  readonly recentOutput: readonly string[];
  onLine(listener: (line: string) => void): void;
  /**
   * SIGTERM to the process and everything it started, then SIGKILL to whatever of them is left
   * after the grace period.
   */
  stop(graceMs?: number): Promise<ProcessExit>;
  /** Synchronous best effort for VS Code's shutdown, when nothing can be awaited: SIGTERM to the tree. */
  kill(): void;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  /**
   * Opens an IPC channel: a Node child that watches it (the embedded host does) exits when the
   * channel closes, so the process cannot outlive VS Code even if VS Code is killed.
   */
  ipc?: boolean;
}

const recentLineCount = 40;

/** Started and not yet exited: their trees are stopped when this process exits, even unasked. */
const running = new Set<ChildProcess>();
let stopsTreesOnExit = false;

export function startProcess(options: StartProcessOptions): ManagedProcess {
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    // On POSIX the child leads a process group of its own, so one signal reaches everything it
    // starts (func's workers, azd's tools). Windows has no groups: taskkill /T walks the tree.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  running.add(child);
  stopTreesOnExit();
  const recent: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      options.log.error(`${options.name} could not be started: ${error.message}`);
      resolve({ code: -1, signal: null });
    });
  });
  void exited.then(() => running.delete(child));
  for (const [stream, level] of [
    [child.stdout, 'info'],
    [child.stderr, 'warn'],
  ] as const) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on('line', (line) => {
      recent.push(line);
      if (recent.length > recentLineCount) recent.shift();
      options.log[level](`[${options.name}] ${line}`);
      for (const listener of listeners) listener(line);
    });
  }
  // Without a handler an IPC channel error (the child died mid-send) would be thrown as uncaught.
  child.on('error', () => undefined);
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const signal = (name: NodeJS.Signals) => {
    // On POSIX the group outlives its leader while anything in it runs. Windows reuses process ids
    // soon, so a tree whose root has exited is not looked up by a number that may be another's now.
    if (child.pid !== undefined && (process.platform !== 'win32' || !hasExited()))
      signalTree(child.pid, name);
  };

  return {
    pid: child.pid,
    exited,
    recentOutput: recent,
    onLine: (listener) => listeners.push(listener),
    stop: async (graceMs = 5000) => {
      const deadline = Date.now() + graceMs;
      signal('SIGTERM');
      const escalation = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      // What it started got the same SIGTERM and may still be finishing; whatever is left of the
      // group when the grace period ends is killed, since the process it belonged to is gone.
      if (child.pid !== undefined && (await groupOutlives(child.pid, deadline))) signal('SIGKILL');
      clearTimeout(escalation);
      return exited;
    },
    kill: () => signal('SIGTERM'),
  };
}

/** Signals the process and everything it started; a tree that is gone already is no error. */
function signalTree(pid: number, signal: NodeJS.Signals, sync = false): void {
  if (process.platform === 'win32') {
    // Windows has no signals to ask nicely with, so either one is taskkill's forced end of the tree.
    const args = ['/pid', String(pid), '/T', '/F'];
    if (sync) spawnSync('taskkill', args, { windowsHide: true, stdio: 'ignore', timeout: 5000 });
    else spawn('taskkill', args, { windowsHide: true, stdio: 'ignore' }).on('error', () => undefined);
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing is left in the group.
  }
}

/** Whether anything of the group is still alive at `deadline` (Windows: taskkill took the tree). */
async function groupOutlives(pid: number, deadline: number): Promise<boolean> {
  if (process.platform === 'win32') return false;
  for (;;) {
    try {
      process.kill(-pid, 0);
    } catch {
      return false;
    }
    const left = deadline - Date.now();
    if (left <= 0) return true;
    await sleep(Math.min(50, left));
  }
}

/**
 * A child in a group of its own no longer shares its parent's fate with the terminal, so the
 * extension host stops every tree it started when it exits (VS Code closing, the host restarting).
 */
function stopTreesOnExit(): void {
  if (stopsTreesOnExit) return;
  stopsTreesOnExit = true;
  process.once('exit', () => {
    for (const child of running) if (child.pid !== undefined) signalTree(child.pid, 'SIGTERM', true);
  });
}
