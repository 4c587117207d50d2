// The function app behind the gateway stand-in (apimGateway.ts), for either kind of project, with
// its key requirement on, as a deployment with APIM_ENABLED keeps it:
//   - a Functions MCP extension app: the embedded host (server/dist/embedded.js, built by
//     `node esbuild.mjs`) with MCP_KEY, which serves /runtime/webhooks/mcp (with /sse and /message)
//     and refuses a request without that key with 401, as the host does without the mcp_extension key;
//   - a self-hosted SDK server: the node-self-hosted fixture at /mcp behind the Functions host's
//     function-level key check (functionsKeyGate.ts), the `default` function key being the one accepted.
import path from 'node:path';
import { freePort, startNodeProcess } from '../support/processes';
import { startNodeSelfHostedServer } from '../vscode/selfHostedEntraApp';
import { startGatewayStandIn, type GatewayBackendKind, type GatewayStandIn } from './apimGateway';
import { startFakeEntra, type FakeEntra } from './entra';
import { startFunctionsKeyGate } from './functionsKeyGate';

export interface GatewayBackend {
  /** http on 127.0.0.1: the gateway stand-in's backendPort. */
  port: number;
  close(): Promise<void>;
}

const root = path.resolve(__dirname, '../..');

export async function startGatewayBackend(options: {
  kind: GatewayBackendKind;
  /** The key the app accepts now (a rotation makes the gateway's copy stale). */
  key: string;
}): Promise<GatewayBackend> {
  if (options.kind === 'selfHosted') {
    const server = await startNodeSelfHostedServer();
    const gate = await startFunctionsKeyGate({
      targetPort: () => server.port,
      acceptedKeys: () => [options.key],
    });
    return {
      port: gate.port,
      close: async () => {
        await gate.close();
        await server.process.stop();
      },
    };
  }
  const port = await freePort();
  const { PORT: _p, FUNCTIONS_CUSTOMHANDLER_PORT: _f, MCP_AUTH_ISSUER: _i, ...env } = process.env;
  const host = startNodeProcess(path.join(root, 'server/dist/embedded.js'), {
    ...env,
    PORT: String(port),
    MCP_KEY: options.key,
  });
  await host.waitForLine(/ready:/);
  return { port, close: () => host.stop() };
}

/** A deployment with APIM_ENABLED on loopback: the fake Entra, the app, and the gateway in front of it. */
export interface GatewayDeployment {
  entra: FakeEntra;
  backend: GatewayBackend;
  gateway: GatewayStandIn;
  close(): Promise<void>;
}

/**
 * The Functions MCP extension app with `key` behind the gateway stand-in (plain http: Node's fetch
 * cannot be told to trust the loopback certificate), signing in against a fake Entra of its own.
 */
export async function startGatewayDeployment(key: string): Promise<GatewayDeployment> {
  const entra = await startFakeEntra();
  const backend = await startGatewayBackend({ kind: 'functionsMcpExtension', key });
  const gateway = await startGatewayStandIn({
    entra,
    backendPort: backend.port,
    kind: 'functionsMcpExtension',
    functionKey: key,
    tls: false,
  });
  return {
    entra,
    backend,
    gateway,
    close: async () => {
      await gateway.close();
      await backend.close();
      await entra.close();
    },
  };
}
