// The MCP Servers view's model, scan and commands in plain Node, against real servers on loopback:
// the fake ARM over https (the real @azure/arm-appservice and @azure/arm-resources-subscriptions
// clients talk to it), the embedded host with a key (a key-mode app), the embedded host in Entra
// mode with the fake Entra (an Entra-mode app), a server that never answers, a closed port, and
// https front ends whose certificate this process does not trust. The probes are the real MCP SDK
// client (extension/probe/mcpProbe.ts).
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { scanForMcpApps } from '../../../extension/azure/mcpAppScan';
import { runCommand } from '../../../extension/common/commandErrors';
import { SecretMasker, maskedLogger } from '../../../extension/common/log';
import { probeServer, type ProbeOptions } from '../../../extension/probe/mcpProbe';
import { RemoteKeyService } from '../../../extension/remote/keyService';
import { FunctionKeyStore } from '../../../extension/remote/keyStore';
import { remoteCommands } from '../../../extension/remote/remoteCommands';
import { RemoteServerRegistry, type RemoteServer } from '../../../extension/remote/remoteServers';
import { HiddenServers } from '../../../extension/statusView/hiddenServers';
import { ScanCache } from '../../../extension/statusView/scanCache';
import { statusViewNodes } from '../../../extension/statusView/serverNodes';
import {
  ServerStatusModel,
  type StatusSnapshot,
  type SubscriptionScanner,
} from '../../../extension/statusView/serverStatus';
import { statusViewCommands } from '../../../extension/statusView/statusViewCommands';
import type { StatusViewSettings } from '../../../extension/statusView/statusViewSettings';
import type { RunningEmbeddedHost } from '../../../server/src/hosts/embedded/startEmbeddedHost';
import { catalogue } from '../../../server/src/tools';
import { startFakeArm, type FakeArm } from '../../fakes/arm';
import { startFakeEntra, type FakeEntra } from '../../fakes/entra';
import { startTlsProxy, type TlsProxy } from '../../fakes/tlsProxy';
import { fakeEntraAuth, startTestHost } from '../../support/embeddedHost';
import { memorySecrets, memoryState } from '../../support/memoryStores';
import { detailOf, findServerNode } from '../../support/viewNodes';
import { freePort } from '../../support/processes';
import { RecordingUi, recordingLog } from '../../support/recordingUi';
import { testDependencies } from '../../support/testDependencies';

const sub = 'aaaaaaaa-1111-4222-8333-444444444444';
const tenant = 'bbbbbbbb-1111-4222-8333-444444444444';
const appKey = 'the-apps-mcp-extension-key-0123456789';
const audience = 'api://cccccccc-1111-4222-8333-444444444444';
const scope = `${audience}/user_impersonation`;
const toolCount = catalogue.length;

/** The bundled server's counts in the view: its tools, then its prompts and resources, which it offers as of issue 14. */
const bundledCounts = `${toolCount} tools(?: · \\d+ prompts?)?(?: · \\d+ resources?)?`;
const credential = {
  getToken: () => Promise.resolve({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3600_000 }),
};

let arm: FakeArm;
let entra: FakeEntra;
let keyedHost: RunningEmbeddedHost;
let entraHost: RunningEmbeddedHost;
let silent: http.Server;
let silentUrl: string;
let closedUrl: string;
const proxies: TlsProxy[] = [];

const resourceId = (name: string) =>
  `/subscriptions/${sub}/resourceGroups/rg-mcp/providers/Microsoft.Web/sites/${name}`;

function server(name: string, endpoint: string, extra: Partial<RemoteServer> = {}): RemoteServer {
  return {
    resourceId: resourceId(name),
    name,
    hostName: new URL(endpoint).host,
    endpoint,
    subscriptionId: sub,
    resourceGroup: 'rg-mcp',
    ...extra,
  };
}

before(async () => {
  entra = await startFakeEntra({ tenantId: tenant });
  keyedHost = await startTestHost(testDependencies({}), { key: appKey });
  entraHost = await startTestHost(testDependencies({}), { auth: fakeEntraAuth(entra, audience) });
  // Accepts connections and never answers: a hung app.
  silent = http.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/runtime/webhooks/mcp`;
  closedUrl = `http://127.0.0.1:${await freePort()}/runtime/webhooks/mcp`;

  arm = await startFakeArm({ subscriptions: [sub], tenantId: tenant });
  arm.addSubscription(sub, 'Contoso MCP');
  const keyedPort = Number(new URL(keyedHost.mcpUrl).port);
  const front = async () => {
    const proxy = await startTlsProxy(() => keyedPort);
    proxies.push(proxy);
    return proxy.hostName;
  };
  arm.addSite({
    subscriptionId: sub,
    resourceGroup: 'rg-mcp',
    name: 'func-triggers',
    functions: ['hello_mcp'],
    defaultHostName: await front(),
  });
  arm.addSite({
    subscriptionId: sub,
    resourceGroup: 'rg-mcp',
    name: 'func-syskey',
    defaultHostName: await front(),
  });
  arm.addSite({
    subscriptionId: sub,
    resourceGroup: 'rg-mcp',
    name: 'func-plain',
    hostKeys: { masterKey: 'm-0123456789', functionKeys: {}, systemKeys: {} },
  });
  arm.addSite({
    subscriptionId: sub,
    resourceGroup: 'rg-mcp',
    name: 'logic-app',
    kind: 'functionapp,workflowapp',
  });
  arm.addSite({ subscriptionId: sub, resourceGroup: 'rg-mcp', name: 'web-app', kind: 'app,linux' });
  arm.addSite({
    subscriptionId: sub,
    resourceGroup: 'rg-mcp',
    name: 'func-stopped',
    state: 'Stopped',
    functions: ['hello_mcp'],
  });
  // The servers the workspace knows about; their apps exist in ARM too, with MCP trigger functions.
  for (const name of ['func-key', 'func-nokey', 'func-entra', 'func-dev'])
    arm.addSite({
      subscriptionId: sub,
      resourceGroup: 'rg-mcp',
      name,
      functions: ['hello_mcp'],
      location: 'swedencentral',
    });
});

after(async () => {
  await Promise.all([
    keyedHost.close(),
    entraHost.close(),
    entra.close(),
    arm.close(),
    new Promise((resolve) => silent.close(resolve)),
    ...proxies.map((proxy) => proxy.close()),
  ]);
});

interface HarnessOptions {
  settings?: Partial<StatusViewSettings>;
  scanner?: SubscriptionScanner | 'none';
  remembered?: RemoteServer[];
  azd?: RemoteServer[];
  /** Wraps every probe, e.g. to count them or slow them down. */
  probe?: (url: string, options: ProbeOptions) => ReturnType<typeof probeServer>;
  token?: string;
}

async function harness(options: HarnessOptions = {}) {
  const masker = new SecretMasker();
  const raw = recordingLog();
  const log = maskedLogger(raw, masker);
  const secrets = memorySecrets();
  const keyStore = new FunctionKeyStore(secrets, masker);
  const registry = new RemoteServerRegistry(memoryState());
  for (const s of options.remembered ?? []) await registry.upsert(s);
  const hidden = new HiddenServers(memoryState());
  const tokenCalls: { scopes: string[]; tenantId: string | undefined }[] = [];
  const settings: StatusViewSettings = {
    autoRefreshMs: 0,
    probeConcurrency: 8,
    probeTimeoutMs: 2000,
    ...options.settings,
  };
  const model = new ServerStatusModel({
    registry,
    keys: keyStore,
    azdDeployments: () => options.azd ?? [],
    scanner:
      options.scanner === 'none'
        ? undefined
        : (options.scanner ??
          (({ signal, concurrency, known, onApp }) =>
            scanForMcpApps({
              credential,
              endpoint: arm.endpoint,
              tlsCa: arm.caPem,
              concurrency,
              signal,
              known,
              onApp,
            }))),
    probe: options.probe ?? probeServer,
    silentToken: (scopes, tenantId) => {
      tokenCalls.push({ scopes, tenantId });
      return options.token ? Promise.resolve(options.token) : Promise.reject(new Error('no session'));
    },
    settings: () => ({ settings, problems: [] }),
    hidden,
    scanCache: new ScanCache(memoryState(), () => 'test'),
    log,
  });
  const nodes = async () =>
    statusViewNodes({ status: 'stopped' }, await model.snapshot(), {
      timeoutSeconds: settings.probeTimeoutMs / 1000,
    });
  const find = async (name: string) => findNode(await nodes(), name);
  return {
    model,
    registry,
    keyStore,
    secrets,
    hidden,
    log,
    logLines: raw.lines,
    masker,
    tokenCalls,
    nodes,
    find,
  };
}

const findNode = findServerNode;
const detail = detailOf;

describe('a refresh: the subscription scan and a probe of every server', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let token: string;

  before(async () => {
    token = await entra.mintToken({ audience, scopes: ['user_impersonation'] });
    h = await harness({
      token,
      remembered: [
        server('func-key', keyedHost.mcpUrl, { connected: true }),
        server('func-nokey', keyedHost.mcpUrl),
        server('func-entra', entraHost.mcpUrl, {
          connected: true,
          auth: { mode: 'entra', scopes: [scope], tenantId: tenant },
        }),
        server('func-hung', silentUrl),
        server('func-gone', closedUrl),
      ],
      azd: [server('func-dev', keyedHost.mcpUrl, { environment: 'dev' })],
    });
    await h.keyStore.store(resourceId('func-key'), appKey);
    arm.requests.length = 0;
    await h.model.refresh();
  });

  after(() => h.model.dispose());

  test('groups: the azd environment, then the subscription by its name; non-MCP apps are left out', async () => {
    const nodes = await h.nodes();
    assert.deepEqual(
      nodes.map((node) => `${node.label} | ${node.description ?? ''}`),
      [
        'Local server | stopped',
        'azd environment dev | azd · 1 server',
        'Contoso MCP | subscription · 8 servers',
      ],
    );
    assert.deepEqual(
      nodes[2]?.children?.map((node) => node.label),
      [
        'func-entra',
        'func-gone',
        'func-hung',
        'func-key',
        'func-nokey',
        'func-stopped',
        'func-syskey',
        'func-triggers',
      ],
    );
  });

  test('the scan asked ARM for subscriptions, sites, functions, and host keys only where no MCP trigger was found', () => {
    const calls = arm.requests.map(
      (r) =>
        `${r.method} ${r.path.replace(`/subscriptions/${sub}/resourceGroups/rg-mcp/providers/Microsoft.Web/sites/`, '')}`,
    );
    assert.ok(calls.includes('GET /subscriptions'));
    assert.ok(calls.includes(`GET /subscriptions/${sub}/providers/Microsoft.Web/sites`));
    assert.deepEqual(calls.filter((call) => call.endsWith('/host/default/listkeys')).sort(), [
      'POST func-plain/host/default/listkeys',
      'POST func-syskey/host/default/listkeys',
    ]);
    assert.ok(
      !calls.some((call) => call.includes('logic-app') || call.includes('web-app')),
      'no Logic App or web app is checked',
    );
    assert.ok(arm.requests.every((r) => r.status === 200 && r.authorized));
  });

  test('a key-mode server with its key stored: reachable, protocol version, every tool with its description', async () => {
    const node = await h.find('func-key');
    assert.match(
      node?.description ?? '',
      new RegExp(`^connected · key stored · ${bundledCounts} · \\d+ ms$`),
    );
    assert.match(
      detail(node, 'Last probe') ?? '',
      new RegExp(`^reachable · MCP \\d{4}-\\d{2}-\\d{2} · ${bundledCounts} · \\d+ ms`),
    );
    assert.equal(detail(node, 'State'), 'Running');
    assert.equal(detail(node, 'Region'), 'swedencentral');
    const tools = node?.children?.find((child) => child.label === 'Tools');
    assert.equal(tools?.children?.length, toolCount);
    assert.ok(tools?.children?.every((tool) => tool.description && tool.description.length > 10));
  });

  test('the same server without a key: HTTP 401 and Fetch Key', async () => {
    const node = await h.find('func-nokey');
    assert.equal(node?.description, 'not connected · no key · HTTP 401: key needed');
    assert.equal(
      node?.children?.find((child) => child.label === 'Fix')?.command?.command,
      'remoteMcp.fetchKey',
    );
  });

  test('an Entra server: a token handed out silently, reachable', async () => {
    assert.deepEqual(h.tokenCalls, [{ scopes: [scope], tenantId: tenant }]);
    const node = await h.find('func-entra');
    assert.match(node?.description ?? '', new RegExp(`^connected · Entra sign-in · ${toolCount} tools`));
    assert.equal(detail(node, 'Authentication'), 'Microsoft Entra sign-in');
  });

  test('a hung server times out, a closed port is refused, a stopped app is not probed', async () => {
    assert.equal((await h.find('func-hung'))?.description, 'not connected · no key · time-out');
    assert.equal((await h.find('func-gone'))?.description, 'not connected · no key · connection refused');
    const stopped = await h.find('func-stopped');
    assert.equal(stopped?.description, 'not connected · auth unknown · Stopped');
    assert.equal(detail(stopped, 'Last probe'), 'not probed: the app is not running');
  });

  test('apps found by the scan: an https certificate this process does not trust is a TLS failure with its fix', async () => {
    for (const name of ['func-triggers', 'func-syskey']) {
      const node = await h.find(name);
      assert.equal(node?.description, 'not connected · auth unknown · TLS', name);
      assert.match(detail(node, 'Fix') ?? '', /trust its certificate authority/);
    }
  });

  test('the key never appears in a node, a tooltip or a log line', async () => {
    const text = JSON.stringify(await h.nodes()) + h.logLines.join('\n');
    assert.ok(!text.includes(appKey));
    assert.ok(!text.includes(token));
    assert.match(h.logLines.join('\n'), /Refreshed the MCP servers in \d+ ms: 8 probed, 2 reachable/);
  });

  test('a second refresh asks ARM only for the lists: unchanged apps are not checked again', async () => {
    arm.requests.length = 0;
    arm.site('func-syskey').lastModifiedTimeUtc = new Date().toISOString();
    await h.model.refresh();
    const checks = arm.requests
      .filter((r) => /\/(functions|listkeys)$/.test(r.path))
      .map((r) => r.path.split('/sites/')[1]);
    assert.deepEqual(
      checks.sort(),
      ['func-syskey/functions', 'func-syskey/host/default/listkeys'],
      'only the changed app',
    );
  });

  test('a key stored afterwards: only that server is probed again, and now answers', async () => {
    let probes = 0;
    const counting = await harness({
      probe: (url, o) => (probes++, probeServer(url, o)),
      scanner: 'none',
      remembered: [server('func-nokey', keyedHost.mcpUrl)],
    });
    await counting.model.refresh();
    assert.equal(probes, 1);
    assert.match((await counting.find('func-nokey'))?.description ?? '', /HTTP 401/);
    await counting.keyStore.store(resourceId('func-nokey'), appKey);
    await counting.model.reprobeChanged();
    assert.equal(probes, 2);
    assert.match(
      (await counting.find('func-nokey'))?.description ?? '',
      new RegExp(`key stored · ${toolCount} tools`),
    );
    await counting.model.reprobeChanged();
    assert.equal(probes, 2, 'nothing changed: no probe');
    counting.model.dispose();
  });
});

describe('scheduling', () => {
  test(`no more than probeConcurrency probes run at once`, async () => {
    let running = 0;
    let max = 0;
    const h = await harness({
      scanner: 'none',
      settings: { probeConcurrency: 3 },
      remembered: Array.from({ length: 10 }, (_, i) => server(`func-${i}`, keyedHost.mcpUrl)),
      probe: async (url, options) => {
        max = Math.max(max, ++running);
        try {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return await probeServer(url, options);
        } finally {
          running--;
        }
      },
    });
    await h.model.refresh();
    assert.equal(max, 3);
    assert.equal((await h.model.snapshot()).servers.filter((s) => s.probe).length, 10);
    h.model.dispose();
  });

  test('a new refresh cancels the running one: its probes are aborted and leave no result', async () => {
    const signals: AbortSignal[] = [];
    const h = await harness({
      scanner: 'none',
      settings: { probeTimeoutMs: 20_000 },
      remembered: [server('func-hung', silentUrl)],
      probe: (url, options) => {
        signals.push(options.signal!);
        return probeServer(url, options);
      },
    });
    const started = Date.now();
    const first = h.model.refresh();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = h.model.refresh();
    await first;
    assert.ok(Date.now() - started < 5000, 'the first refresh ended at once, not after its 20 s time-out');
    assert.equal(signals[0]?.aborted, true);
    assert.equal(signals.length, 2);
    assert.equal(
      (await h.model.snapshot()).servers[0]?.probe,
      undefined,
      'the cancelled probe recorded nothing',
    );
    assert.equal((await h.model.snapshot()).refreshing, true);
    h.model.dispose();
    await second;
  });

  test('auto-refresh repeats refreshes while it is on, and stops when set to 0', async () => {
    let probes = 0;
    const h = await harness({
      scanner: 'none',
      remembered: [server('func-key', keyedHost.mcpUrl)],
      probe: (url, options) => (probes++, probeServer(url, options)),
    });
    h.model.setAutoRefresh(100);
    await new Promise((resolve) => setTimeout(resolve, 550));
    h.model.setAutoRefresh(0);
    const counted = probes;
    assert.ok(counted >= 3, `${counted} refreshes in 550 ms`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(probes <= counted + 1, 'no refresh after it was turned off (one may have been running)');
    h.model.dispose();
  });

  test('probes find servers as the scan reports them, before the scan ends', async () => {
    const order: string[] = [];
    const scanner: SubscriptionScanner = async (options) => {
      const result = await scanForMcpApps({
        credential,
        endpoint: arm.endpoint,
        tlsCa: arm.caPem,
        ...options,
      });
      order.push('scan done');
      return result;
    };
    const h = await harness({
      scanner: (options) =>
        scanner({
          ...options,
          onApp: (app) => {
            order.push(`found ${app.name}`);
            options.onApp(app);
          },
        }),
      probe: (url, o) => {
        order.push('probe');
        return probeServer(url, o);
      },
    });
    await h.model.refresh();
    assert.ok(order.indexOf('probe') < order.indexOf('scan done'), order.join(', '));
    h.model.dispose();
  });
});

describe('signed out, or Azure unreachable', () => {
  test('not signed in: the servers the workspace knows, and a node that signs in', async () => {
    const notSignedIn = Object.assign(new Error('No Microsoft account is signed in to VS Code.'), {
      name: 'NotSignedInError',
    });
    const h = await harness({
      scanner: () => Promise.reject(notSignedIn),
      remembered: [server('func-key', keyedHost.mcpUrl)],
    });
    await h.keyStore.store(resourceId('func-key'), appKey);
    await h.model.refresh();
    const nodes = await h.nodes();
    assert.ok(await h.find('func-key'));
    assert.equal(nodes.at(-1)?.label, 'Sign in to Azure to find more servers');
    assert.equal(nodes.at(-1)?.command?.command, 'remoteMcp.statusView.signIn');
    h.model.dispose();
  });

  test('azd not signed in counts as signed out too; another failure is shown as it is', async () => {
    const azdError = Object.assign(
      new Error('azd is not signed in to Azure: run "azd auth login", then try again.'),
      {
        name: 'AzureAccessError',
      },
    );
    const h = await harness({
      scanner: () => Promise.reject(azdError),
      remembered: [server('func-a', closedUrl)],
    });
    await h.model.refresh();
    assert.ok((await h.nodes()).some((node) => node.id === 'note:signIn'));
    h.model.dispose();

    arm.failNext({
      path: '/subscriptions',
      method: 'GET',
      status: 403,
      code: 'AuthorizationFailed',
      message:
        'The client does not have authorization to perform action Microsoft.Resources/subscriptions/read.',
    });
    const down = await harness({ remembered: [server('func-a', closedUrl)] });
    await down.model.refresh();
    const note = (await down.nodes()).find((node) => node.id === 'note:scanFailed');
    assert.equal(note?.label, 'Could not search your subscriptions');
    assert.match(note?.description ?? '', /does not have authorization/);
    down.model.dispose();
  });
});

describe('the view commands', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let ui: RecordingUi;
  const copied: string[] = [];
  const executed: { id: string; args: unknown[] }[] = [];
  const dev = () => server('func-dev', keyedHost.mcpUrl, { environment: 'dev', tenantId: tenant });
  let commands: ReturnType<typeof statusViewCommands>;
  const run = (id: keyof typeof commands, argument?: unknown) =>
    runCommand<unknown>(id, () => commands[id](argument), ui, h.log, {
      title: 'Show Logs',
      run: () => undefined,
    });

  beforeEach(async () => {
    copied.length = 0;
    executed.length = 0;
    ui = new RecordingUi();
    h = await harness({
      scanner: 'none',
      remembered: [server('func-key', keyedHost.mcpUrl, { connected: true })],
      azd: [dev()],
    });
    await h.keyStore.store(resourceId('func-key'), appKey);
    commands = statusViewCommands({
      model: h.model,
      registry: h.registry,
      keyStore: h.keyStore,
      hidden: h.hidden,
      ui,
      log: h.log,
      localServer: () => ({ status: 'stopped' }),
      portal: () => 'https://portal.azure.com',
      copyText: (text) => Promise.resolve(void copied.push(text)),
      executeCommand: (id, ...args) => Promise.resolve(executed.push({ id, args })),
      prepareProjectToRedeploy: (s) =>
        s.environment === 'dev' ? { dir: '/home/dev/mcp-project', source: 'workspace' } : undefined,
      signIn: () => Promise.resolve(),
    });
  });

  test('Refresh returns the state it shows', async () => {
    const snapshot = (await run('remoteMcp.refreshServers')) as StatusSnapshot;
    const outcome = (name: string) => snapshot.servers.find((s) => s.server.name === name)?.probe?.outcome;
    assert.equal(snapshot.servers.length, 2);
    assert.equal(outcome('func-key')?.ok, true);
    const dev = outcome('func-dev');
    assert.equal(dev && !dev.ok ? dev.failure.kind : undefined, 'unauthorized');
    h.model.dispose();
  });

  test('Open in Azure Portal and Show Logs open the app (in its tenant), from the node the menu passes', async () => {
    await h.model.refresh();
    const node = await h.find('func-dev');
    assert.equal(
      await run('remoteMcp.statusView.openInPortal', node),
      `https://portal.azure.com/#@${tenant}/resource${resourceId('func-dev')}`,
    );
    assert.equal(
      await run('remoteMcp.statusView.showServerLogs', node),
      `https://portal.azure.com/#@${tenant}/resource${resourceId('func-dev')}/logStream`,
    );
    assert.equal(ui.opened.length, 2);
    await run('remoteMcp.statusView.showServerLogs');
    assert.deepEqual(executed, [{ id: 'remoteMcp.showLogs', args: [] }]);
    h.model.dispose();
  });

  test('Copy MCP URL copies the endpoint, never a key', async () => {
    const node = await h.find('func-key');
    assert.equal(await run('remoteMcp.statusView.copyMcpUrl', node), keyedHost.mcpUrl);
    assert.deepEqual(copied, [keyedHost.mcpUrl]);
    assert.equal(ui.last('info')?.message, `Copied the MCP URL of func-key: ${keyedHost.mcpUrl}`);
    assert.equal(await run('remoteMcp.statusView.copyMcpUrl'), undefined);
    assert.match(ui.last('error')?.message ?? '', /local server is not running/);
    h.model.dispose();
  });

  test('Redeploy runs Deploy for the azd environment; a server from elsewhere gets a message saying why not', async () => {
    await run('remoteMcp.statusView.redeploy', await h.find('func-dev'));
    assert.deepEqual(executed, [
      {
        id: 'remoteMcp.deploy',
        args: [{ project: { dir: '/home/dev/mcp-project', source: 'workspace' }, environment: 'dev' }],
      },
    ]);
    await run('remoteMcp.statusView.redeploy', await h.find('func-key'));
    assert.match(
      ui.last('error')?.message ?? '',
      /func-key was not deployed from an azd environment of this workspace/,
    );
    h.model.dispose();
  });

  test('Remove from the List: gone from the view and from VS Code, its key forgotten; Restore brings it back', async () => {
    await run('remoteMcp.statusView.remove', await h.find('func-key'));
    assert.equal(await h.find('func-key'), undefined);
    assert.equal(h.registry.find(resourceId('func-key')), undefined);
    assert.equal(await h.keyStore.get(resourceId('func-key')), undefined);
    assert.match(ui.last('info')?.message ?? '', /Removed func-key from the list. Nothing changed in Azure/);
    // An azd environment (or a scan) would list it again, were it not hidden.
    await run('remoteMcp.statusView.remove', await h.find('func-dev'));
    assert.equal(await h.find('func-dev'), undefined);
    assert.equal(await run('remoteMcp.statusView.restoreRemoved'), 2);
    assert.ok(await h.find('func-dev'));
    h.model.dispose();
  });

  test('an action without a server says what to choose', async () => {
    await run('remoteMcp.statusView.openInPortal', { label: 'not a server' });
    assert.equal(
      ui.last('error')?.message,
      'Choose a deployed server in the MCP Servers view to open it in the Azure portal.',
    );
    h.model.dispose();
  });

  test("Connect, Disconnect and Fetch Key take the view's node as their argument", async () => {
    const keys = new RemoteKeyService(h.keyStore, () => Promise.resolve(appKey), ui, h.log);
    const remote = remoteCommands({
      registry: h.registry,
      keys,
      keyStore: h.keyStore,
      ui,
      log: h.log,
      deployments: () => Promise.resolve([]),
      kindOf: () => Promise.resolve('functionsMcpExtension'),
      deployAction: { title: 'Deploy', run: () => undefined },
      addToMcpJson: () => Promise.reject(new Error('unused')),
      mcpClient: { start: () => Promise.resolve({ status: 'started' }) },
    });
    const node = await h.find('func-dev');
    await remote['remoteMcp.connect'](node);
    assert.equal(h.registry.find(resourceId('func-dev'))?.connected, true);
    assert.equal(await h.keyStore.get(resourceId('func-dev')), appKey);
    await remote['remoteMcp.disconnect'](await h.find('func-dev'));
    assert.equal(h.registry.find(resourceId('func-dev'))?.connected, false);

    // An Entra-protected server needs no key: Connect stores none.
    await h.registry.upsert(
      server('func-entra', entraHost.mcpUrl, { auth: { mode: 'entra', scopes: [scope] } }),
    );
    await remote['remoteMcp.connect'](await h.find('func-entra'));
    assert.equal(h.registry.find(resourceId('func-entra'))?.connected, true);
    assert.equal(await h.keyStore.get(resourceId('func-entra')), undefined);
    h.model.dispose();
  });
});
