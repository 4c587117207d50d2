import { execFile, spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
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
  /** SIGTERM, then SIGKILL if it has not exited after the grace period. */
  stop(graceMs?: number): Promise<ProcessExit>;
  /** Synchronous best effort for VS Code's shutdown, when nothing can be awaited. */
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

export function startProcess(options: StartProcessOptions): ManagedProcess {
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const recent: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      options.log.error(`${options.name} could not be started: ${error.message}`);
      resolve({ code: -1, signal: null });
    });
  });
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

  return {
    pid: child.pid,
    exited,
    recentOutput: recent,
    onLine: (listener) => listeners.push(listener),
    stop: async (graceMs = 5000) => {
      if (!hasExited()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          if (!hasExited()) child.kill('SIGKILL');
        }, graceMs);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
    kill: () => {
      if (!hasExited()) child.kill('SIGTERM');
    },
  };
}
