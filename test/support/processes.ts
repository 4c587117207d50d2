import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';

/** A free loopback port, found by letting the OS pick one and releasing it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface StartedProcess {
  child: ChildProcess;
  output: string[];
  /** Resolves with the first line matching the pattern; rejects if the process exits first or time runs out. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export function startNodeProcess(
  entry: string,
  env: NodeJS.ProcessEnv,
  extraArgs: readonly string[] = [],
): StartedProcess {
  const child = spawn(process.execPath, [entry, ...extraArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      for (const listener of listeners) listener(line);
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output,
    exited,
    waitForLine: (pattern, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const existing = output.find((line) => pattern.test(line));
        if (existing) return resolve(existing);
        const timer = setTimeout(
          () =>
            reject(new Error(`No line matching ${pattern} within ${timeoutMs} ms:\n${output.join('\n')}`)),
          timeoutMs,
        );
        const listener = (line: string) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(line);
        };
        listeners.add(listener);
        void exited.then(({ code }) => {
          clearTimeout(timer);
          reject(
            new Error(`Process exited (code ${code}) before printing ${pattern}:\n${output.join('\n')}`),
          );
        });
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
