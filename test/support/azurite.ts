// Starts the real Azurite blob service from node_modules for integration tests: a private port and
// a private data folder per call, so test files never share state with each other or with `npm start`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Azurite's development account; its key is published in Azure's docs, so it is no secret. */
export const devAccountName = 'devstoreaccount1';
export const devAccountKey =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  connectionString: string;
  blobEndpoint: string;
  blobPort: number;
  close(): Promise<void>;
}

const startLimitMs = 30_000;
const host = '127.0.0.1';

export async function startAzurite(): Promise<RunningAzurite> {
  const port = await freePort();
  const location = await mkdtemp(path.join(tmpdir(), 'azurite-test-'));
  const blobMain = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist/src/blob/main.js');
  const child = spawn(
    process.execPath,
    [
      blobMain,
      ...['--blobHost', host, '--blobPort', String(port), '--location', location],
      '--silent',
      '--skipApiVersionCheck',
      '--loose',
      // Tests run offline; telemetry would only try to reach the internet.
      '--disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = new OutputTail();
  child.stdout.on('data', (chunk: Buffer) => output.add(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.add(chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const close = async (): Promise<void> => {
    await stop(child, exited);
    await rm(location, { recursive: true, force: true, maxRetries: 5 });
  };

  try {
    await waitForPort(port, child, exited);
  } catch (error) {
    await close();
    const tail = output.text();
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}${tail ? `\nAzurite output:\n${tail}` : ''}`,
      { cause: error },
    );
  }

  const blobEndpoint = `http://${host}:${port}/${devAccountName}`;
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${devAccountName};AccountKey=${devAccountKey};BlobEndpoint=${blobEndpoint};`,
    blobEndpoint,
    blobPort: port,
    close,
  };
}

/** A port nobody listens on right now: the OS picks it, then it is released for the caller. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('Could not pick a free port.'))));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, exited: Promise<void>): Promise<void> {
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const deadline = Date.now() + startLimitMs;
  let delay = 20;
  for (;;) {
    if (exitedEarly) {
      throw new Error(`Azurite exited before listening on ${host}:${port} (exit code ${child.exitCode}).`);
    }
    if (await answers(port)) return;
    if (Date.now() >= deadline) {
      throw new Error(`Azurite did not listen on ${host}:${port} within ${startLimitMs / 1000} s.`);
    }
    await Promise.race([sleep(delay), exited]);
    delay = Math.min(delay * 1.5, 500);
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  // Azurite closes its server on SIGTERM; if something keeps it alive, do not let a test hang on it.
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last few KB of Azurite's output, to explain a failed start. */
class OutputTail {
  private buffer = '';

  add(chunk: Buffer): void {
    this.buffer = (this.buffer + chunk.toString('utf8')).slice(-4000);
  }

  text(): string {
    return this.buffer.trim();
  }
}
