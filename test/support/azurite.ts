// Starts the real Azurite blob service from node_modules for integration tests, with Azurite's default
// behaviour: a private port and a private data folder per call, so test files never share state with
// each other or with `npm start`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  developmentAccountKey as devAccountKey,
  developmentAccountName as devAccountName,
} from '../../shared/developmentStorage';
import { answersTcp, waitForReady } from '../../shared/net';
import { freePort } from './processes';

export { devAccountKey, freePort };

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
      // As `npx azurite-blob` runs for a user: no --skipApiVersionCheck, no --loose, so the tests meet
      // the API version check and the strict header and query checks users' Azurite applies.
      ...['--blobHost', host, '--blobPort', String(port), '--location', location],
      // Tests stay on loopback; telemetry would only try to reach the internet. It records requests
      // and does not change how Azurite answers them.
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

  const outcome = await waitForReady(() => answersTcp(port, host), { limitMs: startLimitMs, exited });
  if (!outcome.ready) {
    await close();
    const tail = output.text();
    const problem =
      outcome.reason === 'exited'
        ? `Azurite exited before listening on ${host}:${port} (exit code ${child.exitCode}).`
        : `Azurite did not listen on ${host}:${port} within ${startLimitMs / 1000} s.`;
    throw new Error(`${problem}${tail ? `\nAzurite output:\n${tail}` : ''}`);
  }

  const blobEndpoint = `http://${host}:${port}/${devAccountName}`;
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${devAccountName};AccountKey=${devAccountKey};BlobEndpoint=${blobEndpoint};`,
    blobEndpoint,
    blobPort: port,
    close,
  };
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  // Azurite closes its server on SIGTERM; if something keeps it alive, do not let a test hang on it.
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
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
