// A deployed self-hosted MCP app, on loopback: the node-self-hosted fixture (a user's Express server
// with the MCP SDK), built as its `build` script builds it and started as host.json's custom handler
// starts it (`node dist/index.js`, PORT set to the handler's port), behind the Functions host's key
// check (test/fakes/functionsKeyGate.ts: DefaultAuthorizationLevel function).
import path from 'node:path';
import { startFunctionsKeyGate, type FunctionsKeyGate } from '../fakes/functionsKeyGate';
import { startNodeProcess, type StartedProcess } from './processes';
import { copyFixture } from './selfHostedFixture';

export interface SelfHostedApp {
  /** The key check in front of the server: the port a TLS front end forwards to. */
  gate: FunctionsKeyGate;
  /** The server's own output (its listen line, its errors). */
  output: string[];
  close(): Promise<void>;
}

/** The fixture built by its own `npm run build`, in a scratch copy, started on a free port behind the key check. */
export async function startSelfHostedApp(options: {
  acceptedKeys: () => readonly string[];
}): Promise<SelfHostedApp> {
  const copy = await copyFixture('node-self-hosted', { built: true });
  let server: StartedProcess | undefined;
  let gate: FunctionsKeyGate | undefined;
  try {
    server = startNodeProcess(path.join(copy.folder, 'dist/index.js'), {
      ...process.env,
      PORT: String(copy.port),
    });
    await server.waitForLine(/listening on http:\/\/localhost:\d+\/mcp/, 30_000);
    gate = await startFunctionsKeyGate({ targetPort: () => copy.port, acceptedKeys: options.acceptedKeys });
  } catch (error) {
    await server?.stop();
    copy.remove();
    throw error;
  }
  const started = server;
  const front = gate;
  return {
    gate: front,
    output: started.output,
    close: async () => {
      await Promise.all([front.close(), started.stop()]);
      copy.remove();
    },
  };
}
