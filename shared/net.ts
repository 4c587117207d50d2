import net from 'node:net';
import { mcpRoutes } from './mcpRoutes';

/** True when nothing listens on the port at that address, so a server we start there can bind. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** True when something accepts TCP connections on the port. */
export function answersTcp(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WaitForReadyOptions {
  /** Gives up after this long. */
  limitMs: number;
  /** Settles when the process being waited for exits: readiness then fails at once. */
  exited?: Promise<unknown>;
  signal?: AbortSignal;
  /** Each poll's own timeout starts here and grows, so a slow first answer is not cut off. */
  firstAttemptTimeoutMs?: number;
}

export type ReadinessOutcome = { ready: true } | { ready: false; reason: 'timeout' | 'exited' | 'cancelled' };

/**
 * Polls `check` with a growing interval and a growing per-attempt timeout until it answers true,
 * the overall limit passes, the process exits or the caller cancels.
 */
export async function waitForReady(
  check: (attemptTimeoutMs: number) => Promise<boolean>,
  options: WaitForReadyOptions,
): Promise<ReadinessOutcome> {
  // A monotonic clock: a wall-clock step (a VM's time sync) must not end the wait early or late.
  const deadline = performance.now() + options.limitMs;
  let exited = false;
  void options.exited?.then(() => (exited = true));
  let delay = 100;
  let attemptTimeout = options.firstAttemptTimeoutMs ?? 1000;
  while (true) {
    if (options.signal?.aborted) return { ready: false, reason: 'cancelled' };
    if (exited) return { ready: false, reason: 'exited' };
    if (await check(attemptTimeout)) return { ready: true };
    if (exited) return { ready: false, reason: 'exited' };
    if (performance.now() + delay > deadline) return { ready: false, reason: 'timeout' };
    await sleepUnless(delay, options.exited, options.signal);
    delay = Math.min(delay * 1.5, 2000);
    attemptTimeout = Math.min(attemptTimeout * 1.5, 10_000);
  }
}

/** Answers true when the Functions host status route (served by both hosts) says Running. */
export async function hostIsRunning(port: number, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${mcpRoutes.hostStatus}`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return false;
    const body = (await response.json()) as { state?: unknown };
    return body.state === 'Running';
  } catch {
    return false;
  }
}

function sleepUnless(ms: number, exited: Promise<unknown> | undefined, signal: AbortSignal | undefined) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    const wake = () => {
      clearTimeout(timer);
      resolve();
    };
    void exited?.then(wake);
    signal?.addEventListener('abort', wake, { once: true });
  });
}
