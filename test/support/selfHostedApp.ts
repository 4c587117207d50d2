// A deployed self-hosted MCP app, on loopback: the node-self-hosted fixture (a user's Express server
// with the MCP SDK), built as its `build` script builds it and started as host.json's custom handler
// starts it (`node dist/index.js`, PORT set to the handler's port), behind the Functions host's key
// check (test/fakes/functionsKeyGate.ts: DefaultAuthorizationLevel function).
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fixtureProject } from '../fixtures/fixtureProjects';
import { startFunctionsKeyGate, type FunctionsKeyGate } from '../fakes/functionsKeyGate';
import { freePort, startNodeProcess, type StartedProcess } from './processes';

const root = path.resolve(__dirname, '../..');

export interface SelfHostedApp {
  /** The key check in front of the server: the port a TLS front end forwards to. */
  gate: FunctionsKeyGate;
  /** The server's own output (its listen line, its errors). */
  output: string[];
  close(): Promise<void>;
}

/**
 * Copies the fixture to a scratch folder whose node_modules is the repository's (the fixture's
 * dependencies are the repository's dev dependencies), runs `npm run build` there, and starts it.
 */
export async function startSelfHostedApp(options: {
  acceptedKeys: () => readonly string[];
}): Promise<SelfHostedApp> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-self-hosted-'));
  let server: StartedProcess | undefined;
  let gate: FunctionsKeyGate | undefined;
  try {
    cpSync(fixtureProject('node-self-hosted'), dir, {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|dist)$/.test(source),
    });
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    await promisify(execFile)('npm', ['run', 'build'], { cwd: dir, timeout: 120_000 }).catch(
      (error: unknown) => {
        const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
        throw new Error(`npm run build of the self-hosted fixture failed:\n${stdout}\n${stderr}`, {
          cause: error,
        });
      },
    );
    const port = await freePort();
    server = startNodeProcess(path.join(dir, 'dist/index.js'), { ...process.env, PORT: String(port) });
    await server.waitForLine(/listening on http:\/\/localhost:\d+\/mcp/, 30_000);
    gate = await startFunctionsKeyGate({ targetPort: () => port, acceptedKeys: options.acceptedKeys });
  } catch (error) {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const started = server;
  const front = gate;
  return {
    gate: front,
    output: started.output,
    close: async () => {
      await Promise.all([front.close(), started.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
