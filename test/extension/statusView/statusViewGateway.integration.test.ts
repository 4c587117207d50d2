// The MCP Servers view of a server with an API Management gateway, probed for real (the MCP SDK client
// of extension/probe/mcpProbe.ts): the gateway stand-in (test/fakes/apimGateway.ts, the policy files'
// rules) in front of the embedded host with MCP_KEY. The probe takes the door VS Code uses: the
// gateway, which challenges a caller without a token, or the app endpoint with its stored key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SecretMasker, maskedLogger } from '../../../extension/common/log';
import { probeServer } from '../../../extension/probe/mcpProbe';
import { FunctionKeyStore } from '../../../extension/remote/keyStore';
import { RemoteServerRegistry, type RemoteServer } from '../../../extension/remote/remoteServers';
import { HiddenServers } from '../../../extension/statusView/hiddenServers';
import { ScanCache } from '../../../extension/statusView/scanCache';
import { statusViewNodes } from '../../../extension/statusView/serverNodes';
import { ServerStatusModel } from '../../../extension/statusView/serverStatus';
import { statusViewCommands } from '../../../extension/statusView/statusViewCommands';
import { mcpRoutes } from '../../../shared/mcpRoutes';
import type { GatewayStandIn } from '../../fakes/apimGateway';
import {
  startGatewayDeployment,
  type GatewayBackend,
  type GatewayDeployment,
} from '../../fakes/apimGatewayBackend';
import type { FakeEntra } from '../../fakes/entra';
import { memorySecrets, memoryState } from '../../support/memoryStores';
import { RecordingUi, recordingLog } from '../../support/recordingUi';
import { detailOf, findServerNode } from '../../support/viewNodes';

const appKey = 'status-view-gateway-app-key-000000001';
const subscriptionId = 'aaaaaaaa-1111-4222-8333-444444444444';
let entra: FakeEntra;
let backend: GatewayBackend;
let gateway: GatewayStandIn;
let running: GatewayDeployment | undefined;

before(async () => {
  running = await startGatewayDeployment(appKey);
  ({ entra, backend, gateway } = running);
});

after(() => running?.close());

function gatewayServer(extra: Partial<RemoteServer>): RemoteServer {
  return {
    resourceId: `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.Web/sites/func-gw`,
    name: 'func-gw',
    hostName: `127.0.0.1:${backend.port}`,
    endpoint: `http://127.0.0.1:${backend.port}${mcpRoutes.streamableHttp}`,
    kind: 'functionsMcpExtension',
    subscriptionId,
    resourceGroup: 'rg',
    tenantId: entra.tenantId,
    gateway: { endpoint: gateway.url },
    ...extra,
  };
}

async function harness(
  remembered: RemoteServer,
  silentToken: (scopes: string[]) => Promise<string> = () =>
    Promise.reject(new Error('no token is asked for at the gateway')),
) {
  const masker = new SecretMasker();
  const log = maskedLogger(recordingLog(), masker);
  const keyStore = new FunctionKeyStore(memorySecrets(), masker);
  const registry = new RemoteServerRegistry(memoryState());
  await registry.upsert(remembered);
  const probed: string[] = [];
  const model = new ServerStatusModel({
    registry,
    keys: keyStore,
    azdDeployments: () => [],
    probe: (url, options) => {
      probed.push(url);
      return probeServer(url, options);
    },
    silentToken: (scopes) => silentToken(scopes),
    settings: () => ({
      settings: { autoRefreshMs: 0, probeConcurrency: 2, probeTimeoutMs: 5000 },
      problems: [],
    }),
    hidden: new HiddenServers(memoryState()),
    scanCache: new ScanCache(memoryState(), () => 'test'),
    log,
  });
  const row = async () =>
    findServerNode(
      statusViewNodes({ status: 'stopped' }, await model.snapshot(), { timeoutSeconds: 5 }),
      'func-gw',
    );
  return { model, keyStore, registry, probed, row, log };
}

/** The probe's MCP client may still open its event stream (a GET) after the probe has answered. */
async function untilQuiet(requestCount: () => number): Promise<void> {
  for (let seen = -1; seen !== requestCount();) {
    seen = requestCount();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the status view of a server behind API Management', () => {
  test('connected through the gateway: probed there without a key, the challenge read as a sign-in to do', async () => {
    const h = await harness(
      gatewayServer({
        connected: true,
        via: 'gateway',
        auth: { mode: 'entra', scopes: [], tenantId: entra.tenantId },
      }),
    );
    const before = gateway.requests.length;
    await h.model.refresh();
    h.model.dispose();
    assert.deepEqual(h.probed, [gateway.url]);
    assert.ok(gateway.requests.slice(before).includes('POST /mcp 401'), gateway.requests.join('\n'));
    const row = await h.row();
    assert.match(
      row?.description ?? '',
      /^connected via API Management · Entra sign-in · HTTP 401: sign-in needed/,
    );
    assert.equal(detailOf(row, 'API Management'), `${gateway.url} · in use`);
    assert.match(detailOf(row, 'Fix') ?? '', /VS Code signs you in when it starts the server/);

    // Copy MCP URL copies the URL VS Code talks to: the gateway's.
    const copied: string[] = [];
    const commands = statusViewCommands({
      model: h.model,
      registry: h.registry,
      keyStore: h.keyStore,
      hidden: new HiddenServers(memoryState()),
      ui: new RecordingUi(),
      log: h.log,
      localServer: () => ({ status: 'stopped' }),
      portal: () => 'https://portal.azure.com',
      copyText: (text) => Promise.resolve(void copied.push(text)),
      executeCommand: () => Promise.resolve(undefined),
      prepareProjectToRedeploy: () => undefined,
      signIn: () => Promise.resolve(),
    });
    await commands['remoteMcp.statusView.copyMcpUrl'](row);
    assert.deepEqual(copied, [gateway.url]);
  });

  test('connected through the gateway with its scope known: the probe signs in silently and lists the tools', async () => {
    const scope = `${gateway.namedValues['mcp-entra-identifier-uri']}/user_impersonation`;
    const asked: string[][] = [];
    const h = await harness(
      gatewayServer({
        gateway: { endpoint: gateway.url, scopes: [scope] },
        connected: true,
        via: 'gateway',
        auth: { mode: 'entra', scopes: [], tenantId: entra.tenantId },
      }),
      (scopes) => {
        asked.push(scopes);
        return entra.mintToken({ audience: gateway.namedValues['mcp-entra-app-id'] });
      },
    );
    const before = gateway.requests.length;
    await h.model.refresh();
    h.model.dispose();
    assert.deepEqual(asked, [[scope]], "only the scope the gateway's PRM offers, without a prompt");
    assert.ok(gateway.requests.slice(before).includes('POST /mcp 200'), gateway.requests.join('\n'));
    const row = await h.row();
    assert.match(row?.description ?? '', /^connected via API Management · .*\d+ tools/);
    assert.match(detailOf(row, 'Last probe') ?? '', /^reachable/);
    await untilQuiet(() => gateway.requests.length);
  });

  test('connected to the app endpoint: probed there with the stored key, reachable, the gateway still listed', async () => {
    const h = await harness(gatewayServer({ connected: true, via: 'app' }));
    await h.keyStore.store(gatewayServer({}).resourceId, appKey);
    const before = gateway.requests.length;
    await h.model.refresh();
    h.model.dispose();
    assert.deepEqual(h.probed, [gatewayServer({}).endpoint]);
    assert.equal(gateway.requests.length, before, 'the gateway is not called');
    const row = await h.row();
    assert.match(
      row?.description ?? '',
      /^connected to the app endpoint, not API Management · key stored · \d+ tools/,
    );
    assert.equal(detailOf(row, 'API Management'), gateway.url);
    assert.match(detailOf(row, 'Last probe') ?? '', /^reachable/);
  });
});
