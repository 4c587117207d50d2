// Self-hosted MCP apps in the MCP Servers view, in plain Node: the subscription scan through the real
// ARM clients against the fake ARM finds them by the custom handler's feature flag, the view shows
// their kind and /mcp endpoint, and the real probe reaches the node-self-hosted fixture (a user's
// Express server with the MCP SDK) behind the Functions host's key check, with the default function
// key when one is stored. This process does not trust the loopback certificate (the VS Code suite
// covers https end to end), so the probe's fetch reaches the key check's port over http: only the
// scheme changes, the host, port and path are those of the endpoint the view built.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scanForMcpApps, type McpScanResult } from '../../../extension/azure/mcpAppScan';
import { SecretMasker, maskedLogger } from '../../../extension/common/log';
import { probeServer } from '../../../extension/probe/mcpProbe';
import { FunctionKeyStore } from '../../../extension/remote/keyStore';
import { RemoteServerRegistry, type RemoteServer } from '../../../extension/remote/remoteServers';
import { HiddenServers } from '../../../extension/statusView/hiddenServers';
import { ScanCache } from '../../../extension/statusView/scanCache';
import { statusViewNodes } from '../../../extension/statusView/serverNodes';
import { ServerStatusModel } from '../../../extension/statusView/serverStatus';
import { statusViewCommands } from '../../../extension/statusView/statusViewCommands';
import { selfHostedSite, startFakeArm, type FakeArm } from '../../fakes/arm';
import { memorySecrets, memoryState } from '../../support/memoryStores';
import { detailOf, findServerNode } from '../../support/viewNodes';
import { freePort } from '../../support/processes';
import { RecordingUi, recordingLog } from '../../support/recordingUi';
import { startSelfHostedApp, type SelfHostedApp } from '../../support/selfHostedApp';

const sub = 'dddddddd-1111-4222-8333-444444444444';
const rg = 'rg-sdk';
const credential = {
  getToken: () => Promise.resolve({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3600_000 }),
};
const resourceId = (name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${name}`;
/** The fixture's tools (test/fixtures/projects/node-self-hosted/src/todos.ts). */
const fixtureTools = ['add_todo', 'list_todos'];

let arm: FakeArm;
let app: SelfHostedApp;
let defaultKey: string;
let sdkHost: string;

before(async () => {
  arm = await startFakeArm({ subscriptions: [sub] });
  app = await startSelfHostedApp({
    acceptedKeys: () => {
      const keys = arm.site('func-sdk').hostKeys;
      return [...Object.values(keys.functionKeys), keys.masterKey];
    },
  });
  sdkHost = `127.0.0.1:${app.gate.port}`;
  const site = arm.addSite(
    selfHostedSite({ subscriptionId: sub, resourceGroup: rg, name: 'func-sdk', defaultHostName: sdkHost }),
  );
  defaultKey = site.hostKeys.functionKeys['default'] ?? '';
  // An MCP extension app whose host name is a closed loopback port: probes stay on this machine.
  arm.addSite({
    subscriptionId: sub,
    resourceGroup: rg,
    name: 'func-triggers',
    functions: ['hello_mcp'],
    defaultHostName: `127.0.0.1:${await freePort()}`,
  });
  // A plain function app with another feature flag, and no MCP extension loaded: not an MCP server.
  arm.addSite({
    subscriptionId: sub,
    resourceGroup: rg,
    name: 'func-worker-indexing',
    appSettings: { AzureWebJobsFeatureFlags: 'EnableWorkerIndexing' },
    hostKeys: { masterKey: 'm-9876543210', functionKeys: { default: 'f-9876543210' }, systemKeys: {} },
  });
});

after(async () => {
  await Promise.all([arm?.close(), app?.close()]);
});

const scan = (known?: Parameters<typeof scanForMcpApps>[0]['known']) =>
  scanForMcpApps({ credential, endpoint: arm.endpoint, tlsCa: arm.caPem, concurrency: 4, known });

const findNode = findServerNode;
const detail = detailOf;

describe('the subscription scan', () => {
  let result: McpScanResult;
  before(async () => {
    arm.requests.length = 0;
    result = await scan();
  });
  const evidence = (name: string) => result.apps.find((a) => a.name === name);

  test('finds the self-hosted app by its feature flag, with its runtime; not the app with another flag', () => {
    assert.equal(evidence('func-sdk')?.mcp, 'customHandler');
    assert.equal(evidence('func-sdk')?.runtime, 'node');
    assert.equal(evidence('func-triggers')?.mcp, 'trigger');
    assert.equal(evidence('func-worker-indexing')?.mcp, false);
    assert.ok(result.apps.every((a) => a.checked));
  });

  test('reads app settings only of apps without an MCP trigger, and host keys only when the settings showed nothing', () => {
    const calls = arm.requests
      .filter((r) => /\/(appsettings\/list|listkeys)$/.test(r.path))
      .map((r) => r.path.split('/sites/')[1])
      .sort();
    assert.deepEqual(calls, [
      'func-sdk/config/appsettings/list',
      'func-worker-indexing/config/appsettings/list',
      'func-worker-indexing/host/default/listkeys',
    ]);
  });

  test('an unchanged app is not checked again; a settings change makes it checked again', async () => {
    const cache = new ScanCache(memoryState(), () => 'test');
    await cache.save(result, Date.now());
    arm.requests.length = 0;
    await scan(cache.knownChecks());
    assert.deepEqual(
      arm.requests.filter((r) => /\/(functions|appsettings\/list|listkeys)$/.test(r.path)),
      [],
    );
    // The flag removed (a PUT moves lastModifiedTimeUtc): the app is asked again and is no longer MCP.
    const site = arm.site('func-sdk');
    const { AzureWebJobsFeatureFlags: _flag, ...others } = site.appSettings;
    site.appSettings = others;
    site.lastModifiedTimeUtc = new Date(Date.now() + 1000).toISOString();
    try {
      const again = await scan(cache.knownChecks());
      assert.equal(again.apps.find((a) => a.name === 'func-sdk')?.mcp, false);
    } finally {
      site.appSettings = { ...others, AzureWebJobsFeatureFlags: 'EnableMcpCustomHandlerPreview' };
    }
  });
});

describe('the view of a self-hosted app', () => {
  async function harness(options: { azd?: RemoteServer[]; storeKey?: boolean } = {}) {
    const masker = new SecretMasker();
    const raw = recordingLog();
    const log = maskedLogger(raw, masker);
    const keyStore = new FunctionKeyStore(memorySecrets(), masker);
    if (options.storeKey) await keyStore.store(resourceId('func-sdk'), defaultKey);
    const registry = new RemoteServerRegistry(memoryState());
    const probed: { url: string; key: string | undefined }[] = [];
    const model = new ServerStatusModel({
      registry,
      keys: keyStore,
      azdDeployments: () => options.azd ?? [],
      scanner: ({ signal, concurrency, known, onApp }) =>
        scanForMcpApps({
          credential,
          endpoint: arm.endpoint,
          tlsCa: arm.caPem,
          concurrency,
          signal,
          known,
          onApp,
        }),
      probe: (url, probeOptions) => {
        probed.push({ url, key: probeOptions.headers?.['x-functions-key'] });
        return probeServer(url, {
          ...probeOptions,
          fetch: (input, init) =>
            fetch(String(input).replace(`https://${sdkHost}/`, `http://${sdkHost}/`), init),
        });
      },
      silentToken: () => Promise.reject(new Error('no session')),
      settings: () => ({
        settings: { autoRefreshMs: 0, probeConcurrency: 4, probeTimeoutMs: 5000 },
        problems: [],
      }),
      hidden: new HiddenServers(memoryState()),
      scanCache: new ScanCache(memoryState(), () => 'test'),
      log,
    });
    await model.refresh();
    const nodes = statusViewNodes({ status: 'stopped' }, await model.snapshot(), { timeoutSeconds: 5 });
    return {
      model,
      registry,
      keyStore,
      log,
      logLines: raw.lines,
      probed,
      nodes,
      node: findNode(nodes, 'func-sdk'),
    };
  }

  test('with the default function key stored: kind, /mcp endpoint, reachable with the fixture’s tools', async () => {
    const h = await harness({ storeKey: true });
    try {
      const { node } = h;
      assert.match(
        node?.description ?? '',
        /^not connected · self-hosted Node · key stored · 2 tools · \d+ ms$/,
      );
      assert.equal(detail(node, 'Kind'), 'self-hosted MCP server (custom handler) · Node');
      assert.equal(detail(node, 'Endpoint'), `https://${sdkHost}/mcp`);
      assert.equal(detail(node, 'Authentication'), 'function key · key in secret storage');
      assert.deepEqual(
        node?.children?.find((child) => child.label === 'Tools')?.children?.map((tool) => tool.label),
        fixtureTools,
      );
      const sdkProbes = h.probed.filter((p) => p.url.includes(sdkHost));
      assert.deepEqual(
        sdkProbes.map((p) => [p.url, p.key === defaultKey]),
        [[`https://${sdkHost}/mcp`, true]],
        'one probe, at /mcp, with the default function key',
      );
      const text = JSON.stringify(h.nodes) + h.logLines.join('\n');
      assert.ok(!text.includes(defaultKey), 'the key is in no node and no log line');
    } finally {
      h.model.dispose();
    }
  });

  test('without a key: HTTP 401 from the host, and advice that names the function key', async () => {
    const refusedBefore = app.gate.refused;
    const h = await harness();
    try {
      assert.equal(h.node?.description, 'not connected · self-hosted Node · no key · HTTP 401: key needed');
      assert.ok(app.gate.refused > refusedBefore, 'the key check refused the probe');
      const fix = h.node?.children?.find((child) => child.label === 'Fix');
      assert.equal(fix?.command?.command, 'remoteMcp.fetchKey');
      assert.match(
        h.node?.children?.find((child) => child.label === 'Last probe')?.description ?? '',
        /wants a function key \(host\.json's customHandler\.http\.DefaultAuthorizationLevel is function\)/,
      );
    } finally {
      h.model.dispose();
    }
  });

  test('an azd environment that does not say its kind: the scan shows it self-hosted, so /mcp is probed, and Copy MCP URL copies /mcp', async () => {
    const fromAzd: RemoteServer = {
      resourceId: resourceId('func-sdk'),
      name: 'func-sdk',
      hostName: sdkHost,
      endpoint: `https://${sdkHost}/runtime/webhooks/mcp`,
      subscriptionId: sub,
      resourceGroup: rg,
      environment: 'dev',
    };
    const h = await harness({ azd: [fromAzd], storeKey: true });
    try {
      assert.deepEqual(
        h.probed.map((p) => p.url).filter((url) => url.includes(sdkHost)),
        [`https://${sdkHost}/mcp`],
        'probed once, at /mcp, not at the webhook',
      );
      assert.equal(detail(h.node, 'Endpoint'), `https://${sdkHost}/mcp`);
      assert.equal(h.node?.server?.kind, 'selfHosted');
      const ui = new RecordingUi();
      const copied: string[] = [];
      const commands = statusViewCommands({
        model: h.model,
        registry: h.registry,
        keyStore: h.keyStore,
        hidden: new HiddenServers(memoryState()),
        ui,
        log: h.log,
        localServer: () => ({ status: 'stopped' }),
        portal: () => 'https://portal.azure.com',
        copyText: (text) => Promise.resolve(void copied.push(text)),
        executeCommand: () => Promise.resolve(undefined),
        prepareProjectToRedeploy: () => undefined,
        signIn: () => Promise.resolve(),
      });
      await commands['remoteMcp.statusView.copyMcpUrl'](h.node);
      assert.deepEqual(copied, [`https://${sdkHost}/mcp`]);
    } finally {
      h.model.dispose();
    }
  });
});
