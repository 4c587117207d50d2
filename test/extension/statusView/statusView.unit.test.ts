// The MCP Servers view's plain logic: which servers it lists and where (catalog), what each node
// says (nodes, advice), its settings and the portal links.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScannedApp } from '../../../extension/azure/mcpAppScan';
import type { McpClientState } from '../../../extension/vscodeMcpClient/mcpClientStarter';
import { runningLocalServer } from '../../support/localServerStates';
import type { ProbeFailure } from '../../../extension/probe/probeFailure';
import { mcpEndpoint, type RemoteServer } from '../../../extension/remote/remoteServers';
import { buildCatalog } from '../../../extension/statusView/serverCatalog';
import {
  remoteServerNode,
  statusViewNodes,
  type ServerNode,
} from '../../../extension/statusView/serverNodes';
import {
  authModeOf,
  type ProbeRecord,
  type ServerStatus,
  type StatusSnapshot,
} from '../../../extension/statusView/serverStatus';
import { portalForArmEndpoint, portalResourceUrl } from '../../../extension/statusView/statusViewCommands';
import { readStatusViewSettings } from '../../../extension/statusView/statusViewSettings';

const sub = '11111111-2222-3333-4444-555555555555';
const tenant = '99999999-0000-4000-8000-000000000000';

function server(name: string, extra: Partial<RemoteServer> = {}): RemoteServer {
  const hostName = `${name}.azurewebsites.net`;
  return {
    resourceId: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Web/sites/${name}`,
    name,
    hostName,
    endpoint: mcpEndpoint(hostName),
    subscriptionId: sub,
    resourceGroup: 'rg',
    ...extra,
  };
}

function app(name: string, extra: Partial<ScannedApp> = {}): ScannedApp {
  return {
    resourceId: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Web/sites/${name}`,
    name,
    subscriptionId: sub,
    resourceGroup: 'rg',
    defaultHostName: `${name}.azurewebsites.net`,
    state: 'Running',
    location: 'westeurope',
    tags: {},
    lastModifiedTimeUtc: '2026-03-01T10:00:00.000Z',
    mcp: 'trigger',
    checked: true,
    ...extra,
  };
}

const ok = (tools = 2): ProbeRecord['outcome'] => ({
  ok: true,
  serverName: 'srv',
  protocolVersion: '2025-06-18',
  tools: Array.from({ length: tools }, (_, i) => ({ name: `tool_${i}`, description: `Tool ${i}` })),
  latencyMs: 123,
});
const emptySnapshot: StatusSnapshot = {
  servers: [],
  scan: { status: 'never' },
  refreshing: false,
  settingsProblems: [],
};
const failed = (failure: Partial<ProbeFailure> & Pick<ProbeFailure, 'kind'>): ProbeRecord['outcome'] => ({
  ok: false,
  failure: { detail: 'detail', ...failure },
  latencyMs: 10,
});

function status(s: RemoteServer, extra: Partial<ServerStatus> = {}): ServerStatus {
  return {
    server: s,
    group: { kind: 'subscription', subscriptionId: s.subscriptionId },
    remembered: true,
    fromAzd: false,
    keyStored: false,
    auth: 'key',
    probing: false,
    ...extra,
  };
}

function probe(outcome: ProbeRecord['outcome'], credential: ProbeRecord['credential'] = 'key'): ProbeRecord {
  return { at: Date.UTC(2026, 2, 1, 12, 0, 0), credential, signature: 's', outcome };
}

const child = (node: ServerNode, label: string) => node.children?.find((c) => c.label === label);

describe('catalog: which servers, once each, under which heading', () => {
  test('remembered, azd and scanned servers merge by resource id (any case); hidden ones are left out', () => {
    const deployed = server('func-dev', { environment: 'dev' });
    const entries = buildCatalog({
      azd: [deployed],
      remembered: [
        {
          ...deployed,
          resourceId: deployed.resourceId.toUpperCase(),
          connected: true,
          lastDeployedAt: '2026-03-01',
        },
        server('func-connected', { connected: true }),
        server('func-hidden'),
      ],
      scan: {
        subscriptions: [{ subscriptionId: sub, displayName: 'Contoso', tenantId: tenant }],
        apps: [
          app('func-dev', { location: 'eastus2' }),
          app('func-found'),
          app('func-plain', { mcp: false }),
          app('func-nohost', { defaultHostName: undefined }),
        ],
        problems: [],
      },
      isHidden: (id) => id.endsWith('func-hidden'),
    });
    const byName = Object.fromEntries(entries.map((e) => [e.server.name, e]));
    assert.deepEqual(Object.keys(byName).sort(), ['func-connected', 'func-dev', 'func-found']);
    assert.deepEqual(byName['func-dev']?.group, { kind: 'azd', environment: 'dev' });
    assert.equal(byName['func-dev']?.server.connected, true, 'what the workspace remembers wins');
    assert.equal(byName['func-dev']?.fromAzd, true);
    assert.equal(byName['func-dev']?.remembered, true);
    assert.equal(byName['func-dev']?.app?.location, 'eastus2');
    assert.equal(byName['func-dev']?.server.tenantId, tenant, 'the tenant comes from the subscription');
    assert.deepEqual(byName['func-found']?.group, { kind: 'subscription', subscriptionId: sub });
    assert.equal(
      byName['func-found']?.server.endpoint,
      'https://func-found.azurewebsites.net/runtime/webhooks/mcp',
    );
    assert.equal(byName['func-found']?.remembered, false);
  });

  test('a remembered server of an environment this workspace does not have goes under its subscription', () => {
    const [entry] = buildCatalog({
      azd: [],
      remembered: [server('func-other', { environment: 'elsewhere' })],
      scan: undefined,
      isHidden: () => false,
    });
    assert.deepEqual(entry?.group, { kind: 'subscription', subscriptionId: sub });
  });
});

describe('auth mode', () => {
  test('the workspace knows Entra; otherwise the last probe tells; a remembered server defaults to the key', () => {
    const entra = server('a', { auth: { mode: 'entra', scopes: [] } });
    assert.equal(authModeOf(entra, true, undefined), 'entra');
    assert.equal(authModeOf(server('b'), false, probe(ok(), 'none')), 'anonymous');
    assert.equal(authModeOf(server('b'), false, probe(ok(), 'key')), 'key');
    assert.equal(
      authModeOf(server('b'), false, probe(failed({ kind: 'unauthorized', bearerChallenge: true }), 'none')),
      'entra',
    );
    assert.equal(
      authModeOf(server('b'), false, probe(failed({ kind: 'unauthorized', bearerChallenge: false }), 'none')),
      'key',
    );
    assert.equal(authModeOf(server('b'), false, probe(failed({ kind: 'timeout' }), 'none')), 'unknown');
    assert.equal(authModeOf(server('b'), true, undefined), 'key');
  });
});

describe('self-hosted apps: kind, endpoint and advice', () => {
  const sdk = (name: string, extra: Partial<RemoteServer> = {}) =>
    server(name, {
      kind: 'selfHosted',
      endpoint: mcpEndpoint(`${name}.azurewebsites.net`, 'selfHosted'),
      ...extra,
    });

  test('the scan finds a self-hosted app by its feature flag: listed with its kind and the /mcp endpoint', () => {
    const [entry] = buildCatalog({
      azd: [],
      remembered: [],
      scan: {
        subscriptions: [],
        apps: [app('func-sdk', { mcp: 'customHandler', runtime: 'python' })],
        problems: [],
      },
      isHidden: () => false,
    });
    assert.equal(entry?.server.kind, 'selfHosted');
    assert.equal(entry?.server.endpoint, 'https://func-sdk.azurewebsites.net/mcp');
  });

  test('an azd server without a kind takes the one the scan shows; a remembered kind is kept', () => {
    const fromAzd = server('func-a', { environment: 'dev' });
    const rememberedExtension = server('func-b', { kind: 'functionsMcpExtension' });
    const entries = buildCatalog({
      azd: [fromAzd],
      remembered: [rememberedExtension],
      scan: {
        subscriptions: [],
        apps: [app('func-a', { mcp: 'customHandler' }), app('func-b', { mcp: 'customHandler' })],
        problems: [],
      },
      isHidden: () => false,
    });
    const endpoint = (name: string) => entries.find((e) => e.server.name === name)?.server.endpoint;
    assert.equal(endpoint('func-a'), 'https://func-a.azurewebsites.net/mcp');
    assert.equal(endpoint('func-b'), 'https://func-b.azurewebsites.net/runtime/webhooks/mcp');
  });

  test('the row: "self-hosted" and the language in its description, a Kind row, the function key', () => {
    const node = remoteServerNode(
      status(sdk('func-sdk', { connected: true }), {
        keyStored: true,
        app: app('func-sdk', { mcp: 'customHandler', runtime: 'node' }),
        probe: probe(ok(2)),
      }),
      10,
    );
    assert.equal(node.description, 'connected · self-hosted Node · key stored · 2 tools · 123 ms');
    assert.equal(child(node, 'Kind')?.description, 'self-hosted MCP server (custom handler) · Node');
    assert.equal(child(node, 'Endpoint')?.description, 'https://func-sdk.azurewebsites.net/mcp');
    assert.equal(child(node, 'Authentication')?.description, 'function key · key in secret storage');
    assert.match(node.tooltip ?? '', /Kind: self-hosted MCP server \(custom handler\) · Node/);
  });

  test('advice names the function key and DefaultAuthorizationLevel, not the mcp_extension key or the webhook', () => {
    const cases: [Partial<ServerStatus>, ProbeRecord, RegExp, string][] = [
      [
        {},
        probe(failed({ kind: 'unauthorized', status: 401 }), 'none'),
        /wants a function key \(host\.json's customHandler\.http\.DefaultAuthorizationLevel is function\)/,
        'remoteMcp.fetchKey',
      ],
      [
        { keyStored: true },
        probe(failed({ kind: 'unauthorized', status: 401 }), 'key'),
        /Fetch Key reads the current default function key/,
        'remoteMcp.fetchKey',
      ],
      [
        { auth: 'entra' },
        probe(failed({ kind: 'forbidden', status: 403, bearerChallenge: true }), 'token'),
        /DefaultAuthorizationLevel is function, so the host still asks for a function key/,
        'remoteMcp.checkSignIn',
      ],
      [
        { fromAzd: true },
        probe(failed({ kind: 'notFound', status: 404 })),
        /Nothing answers MCP at \/mcp.*EnableMcpCustomHandlerPreview/s,
        'remoteMcp.statusView.showServerLogs',
      ],
    ];
    for (const [extra, record, advice, command] of cases) {
      const node = remoteServerNode(status(sdk('func-sdk'), { ...extra, probe: record }), 10);
      const text = `${child(node, 'Last probe')?.description ?? ''}\n${child(node, 'Fix')?.description ?? ''}`;
      assert.match(text, advice);
      assert.doesNotMatch(text, /mcp_extension|system key|extension bundle/);
      assert.equal(child(node, 'Fix')?.command?.command, command);
    }
  });
});

describe('a deployed server node', () => {
  test('reachable: state, endpoint, auth, key, probe (protocol, tools, latency), deploy time, region, tools with descriptions', () => {
    const node = remoteServerNode(
      status(
        server('func-a', { connected: true, lastDeployedAt: '2026-03-01T09:00:00.000Z', location: 'eastus' }),
        {
          keyStored: true,
          app: app('func-a'),
          probe: probe(ok(3)),
        },
      ),
      10,
    );
    assert.equal(node.label, 'func-a');
    assert.equal(node.description, 'connected · key stored · 3 tools · 123 ms');
    assert.equal(node.contextValue, 'remoteServer connected keyStored auth-key notAzd gateway-none');
    assert.equal(child(node, 'State')?.description, 'Running');
    assert.equal(
      child(node, 'Endpoint')?.description,
      'https://func-a.azurewebsites.net/runtime/webhooks/mcp',
    );
    // An MCP extension app takes its mcp_extension system key (a self-hosted one, a function key).
    assert.equal(child(node, 'Authentication')?.description, 'MCP extension key · key in secret storage');
    assert.equal(child(node, 'Kind')?.description, 'Functions MCP extension');
    assert.match(
      child(node, 'Last probe')?.description ?? '',
      /^reachable · MCP 2025-06-18 · 3 tools · 123 ms · /,
    );
    assert.ok(child(node, 'Last deployed'));
    assert.equal(child(node, 'Region')?.description, 'eastus');
    const tools = child(node, 'Tools');
    assert.equal(tools?.expanded, true);
    assert.deepEqual(
      tools?.children?.map((t) => `${t.label}: ${t.description}`),
      ['tool_0: Tool 0', 'tool_1: Tool 1', 'tool_2: Tool 2'],
    );
    assert.equal(node.server?.name, 'func-a', 'actions receive the server');
  });

  test('a stopped app says so and is not probed', () => {
    // The probe made before the scan said it stopped is not shown, nor its fix.
    const node = remoteServerNode(
      status(server('func-b'), {
        app: app('func-b', { state: 'Stopped' }),
        probe: probe(failed({ kind: 'httpError', status: 502 })),
      }),
      10,
    );
    assert.equal(child(node, 'Fix'), undefined);
    assert.equal(node.description, 'not connected · no key · Stopped');
    assert.equal(node.icon, 'debug-stop');
    assert.equal(child(node, 'Last probe')?.description, 'not probed: the app is not running');
  });

  test('a 401 without a stored key offers Fetch Key, as a clickable fix', () => {
    const s = server('func-c');
    const node = remoteServerNode(
      status(s, { probe: probe(failed({ kind: 'unauthorized', status: 401 }), 'none') }),
      10,
    );
    assert.equal(node.description, 'not connected · no key · HTTP 401: key needed');
    const fix = child(node, 'Fix');
    assert.match(fix?.description ?? '', /Fetch Key/);
    assert.deepEqual(fix?.command, { command: 'remoteMcp.fetchKey', title: 'Fetch Key', arguments: [s] });
    assert.match(node.tooltip ?? '', /none is stored/);
  });

  test('the row hands its menu actions the auth mode it shows (Add to mcp.json writes no key header for Entra)', () => {
    const seenByProbe = remoteServerNode(
      status(server('func-e'), {
        auth: 'entra',
        probe: probe(failed({ kind: 'unauthorized', status: 401, bearerChallenge: true }), 'none'),
      }),
      10,
    );
    assert.equal(seenByProbe.server?.auth, undefined, 'nothing remembered about it');
    assert.equal(seenByProbe.authMode, 'entra');
    assert.equal(remoteServerNode(status(server('func-k'), { keyStored: true }), 10).authMode, 'key');
  });

  test('each failure names its reason and, where known, the fix', () => {
    const cases: [Partial<ServerStatus>, ProbeRecord, RegExp, string | undefined][] = [
      [
        { keyStored: true },
        probe(failed({ kind: 'unauthorized', status: 401 }), 'key'),
        /rotated/,
        'remoteMcp.fetchKey',
      ],
      [
        { auth: 'entra' },
        probe(failed({ kind: 'unauthorized', status: 401, bearerChallenge: true }), 'none'),
        /Entra sign-in/,
        'remoteMcp.connect',
      ],
      [
        { auth: 'entra' },
        probe(failed({ kind: 'forbidden', status: 403, bearerChallenge: true }), 'token'),
        /system key/,
        'remoteMcp.checkSignIn',
      ],
      [{}, probe(failed({ kind: 'timeout' })), /No answer within 10 s/, 'workbench.action.openSettings'],
      [
        {},
        probe(failed({ kind: 'nameNotResolved', code: 'ENOTFOUND' })),
        /func-d\.azurewebsites\.net was not found/,
        'remoteMcp.statusView.remove',
      ],
      [
        {},
        probe(failed({ kind: 'tls', code: 'CERT_HAS_EXPIRED' })),
        /certificate was not accepted \(CERT_HAS_EXPIRED\)/,
        'workbench.action.openSettings',
      ],
      [
        { fromAzd: true },
        probe(failed({ kind: 'notFound', status: 404 })),
        /did not load the MCP extension/,
        'remoteMcp.statusView.redeploy',
      ],
      [
        {},
        probe(failed({ kind: 'httpError', status: 503 })),
        /HTTP 503/,
        'remoteMcp.statusView.showServerLogs',
      ],
    ];
    for (const [extra, record, problem, command] of cases) {
      const node = remoteServerNode(status(server('func-d'), { ...extra, probe: record }), 10);
      assert.match(
        child(node, 'Last probe')?.description ?? '',
        problem,
        record.outcome.ok ? '' : record.outcome.failure.kind,
      );
      assert.equal(child(node, 'Fix')?.command?.command, command);
    }
  });
});

describe('a server with an API Management gateway: one row, both doors', () => {
  const gatewayUrl = 'https://apim-func-gw.azure-api.net/mcp';
  const appEndpoint = 'https://func-gw.azurewebsites.net/runtime/webhooks/mcp';
  const gw = (extra: Partial<RemoteServer>) =>
    server('func-gw', { gateway: { endpoint: gatewayUrl }, environment: 'dev', ...extra });

  test('connected through it: "via API Management", Entra with no key here, the gateway row in use', () => {
    const node = remoteServerNode(
      status(gw({ connected: true, via: 'gateway', auth: { mode: 'entra', scopes: [], tenantId: tenant } }), {
        auth: 'entra',
        fromAzd: true,
        probe: probe(failed({ kind: 'unauthorized', bearerChallenge: true }), 'none'),
      }),
      10,
    );
    assert.match(node.description ?? '', /^connected via API Management · Entra sign-in/);
    assert.equal(child(node, 'API Management')?.description, `${gatewayUrl} · in use`);
    assert.equal(child(node, 'App endpoint')?.description, appEndpoint);
    assert.equal(child(node, 'Endpoint'), undefined, 'the two doors replace the one endpoint row');
    assert.equal(
      child(node, 'Authentication')?.description,
      'Microsoft Entra sign-in through API Management · no key on this machine',
    );
    assert.equal(node.contextValue, 'remoteServer connected noKey auth-entra azd gateway-via');
    const tooltip = (node.tooltip ?? '').split('\n');
    assert.equal(tooltip[1], gatewayUrl, 'the URL VS Code talks to comes first');
    assert.ok(tooltip.includes(`App endpoint: ${appEndpoint}`), node.tooltip);
  });

  test('connected to the app endpoint although a gateway exists: said plainly, the app row in use', () => {
    const node = remoteServerNode(
      status(gw({ connected: true, via: 'app' }), { keyStored: true, fromAzd: true }),
      10,
    );
    assert.match(node.description ?? '', /^connected to the app endpoint, not API Management · key stored/);
    assert.equal(child(node, 'App endpoint')?.description, `${appEndpoint} · in use`);
    assert.equal(child(node, 'API Management')?.description, gatewayUrl);
    assert.equal(node.contextValue, 'remoteServer connected keyStored auth-key azd gateway-app');
    assert.ok((node.tooltip ?? '').includes(`API Management: ${gatewayUrl}`), node.tooltip);
  });

  test('not connected: the gateway is mentioned, neither door is in use', () => {
    const node = remoteServerNode(status(gw({}), { fromAzd: true }), 10);
    assert.match(node.description ?? '', /^not connected · API Management in front/);
    assert.equal(child(node, 'API Management')?.description, gatewayUrl);
    assert.equal(child(node, 'App endpoint')?.description, appEndpoint);
    assert.equal(node.contextValue, 'remoteServer disconnected noKey auth-key azd gateway-idle');
  });

  test('the catalog keeps the gateway of the azd environment under what the workspace remembers', () => {
    const fromAzd = gw({});
    const { gateway: _g, ...rememberedBefore } = gw({ connected: true, via: 'app' });
    const [entry] = buildCatalog({
      azd: [fromAzd],
      remembered: [rememberedBefore],
      scan: undefined,
      isHidden: () => false,
    });
    assert.equal(entry?.server.gateway?.endpoint, gatewayUrl);
    assert.equal(entry?.server.via, 'app');
  });
});

describe('prompt and resource counts beside the tools', () => {
  const items = (kind: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({ name: `${kind}_${i}`, description: `${kind} ${i}` }));

  test('a local server offering prompts and resources: counted in its row, each kind a row of its own listing them', () => {
    const running = runningLocalServer({
      tools: items('tool', 1),
      prompts: items('prompt', 2),
      resources: [{ name: 'weather-view', description: 'ui://weather/index.html' }],
    });
    const [local] = statusViewNodes(running, emptySnapshot, { timeoutSeconds: 10 });
    assert.equal(local?.description, 'running · embedded · 1 tool · 2 prompts · 1 resource');
    assert.deepEqual(
      local?.children?.slice(-3).map((n) => `${n.label}: ${n.description}`),
      ['Tools: 1', 'Prompts: 2', 'Resources: 1'],
    );
    assert.deepEqual(
      child(local, 'Resources')?.children?.map((n) => `${n.label}: ${n.description}`),
      ['weather-view: ui://weather/index.html'],
    );
  });

  test("a user's app: its storage row is 'Storage', not the bundled tools' snippet storage", () => {
    const project = {
      ...runningLocalServer().project,
      name: 'greetings-functions',
      kind: 'functionsMcpExtension' as const,
    };
    const [local] = statusViewNodes(runningLocalServer({ project, storageAvailable: false }), emptySnapshot, {
      timeoutSeconds: 10,
    });
    assert.equal(child(local!, 'Storage')?.description, 'unavailable: install Azurite');
    assert.equal(child(local!, 'Snippet storage'), undefined);
  });

  test('a local server that offers no prompts nor resources: tools alone, no empty rows', () => {
    const [local] = statusViewNodes(runningLocalServer({ tools: items('tool', 3) }), emptySnapshot, {
      timeoutSeconds: 10,
    });
    assert.equal(local?.description, 'running · embedded · 3 tools');
    assert.equal(child(local, 'Prompts'), undefined);
    assert.equal(child(local, 'Resources'), undefined);
  });

  test('a deployed server whose probe listed prompts and resources: counted in its row and its last probe, listed under it', () => {
    const outcome = { ...ok(2), prompts: items('prompt', 1), resources: items('resource', 0) };
    const node = remoteServerNode(
      status(server('func-p', { connected: true }), {
        keyStored: true,
        app: app('func-p'),
        probe: probe(outcome),
      }),
      10,
    );
    assert.equal(node.description, 'connected · key stored · 2 tools · 1 prompt · 0 resources · 123 ms');
    assert.match(
      child(node, 'Last probe')?.description ?? '',
      /^reachable · MCP 2025-06-18 · 2 tools · 1 prompt · 0 resources · 123 ms · /,
    );
    assert.deepEqual(
      child(node, 'Prompts')?.children?.map((n) => n.label),
      ['prompt_0'],
    );
    assert.equal(child(node, 'Resources')?.description, '0');
  });
});

describe('the whole tree', () => {
  const running = runningLocalServer({ tools: [{ name: 'hello_mcp', description: 'Hello' }] });
  const empty: StatusSnapshot = {
    servers: [],
    scan: { status: 'never' },
    refreshing: false,
    settingsProblems: [],
  };

  test('nothing at all: no node, so VS Code shows the welcome view', () => {
    assert.deepEqual(statusViewNodes({ status: 'stopped' }, empty, { timeoutSeconds: 10 }), []);
    assert.deepEqual(
      statusViewNodes(
        { status: 'stopped' },
        { ...empty, scan: { status: 'signedOut' } },
        { timeoutSeconds: 10 },
      ),
      [],
    );
  });

  test('local server first; azd environments, then subscriptions; a stopped local server still offers Start', () => {
    const snapshot: StatusSnapshot = {
      ...empty,
      scan: { status: 'done', at: 1, problems: ['2 function apps could not be checked for MCP'] },
      servers: [
        status(server('func-z')),
        status(server('func-dev', { environment: 'dev' }), {
          group: { kind: 'azd', environment: 'dev' },
          fromAzd: true,
        }),
        status(server('func-a'), { subscriptionName: 'Contoso' }),
      ],
    };
    const nodes = statusViewNodes(running, snapshot, { timeoutSeconds: 10 });
    assert.deepEqual(
      nodes.map((n) => `${n.label} | ${n.description ?? ''}`),
      [
        'Local server | running · embedded · 1 tool',
        'azd environment dev | azd · 1 server',
        'Contoso | subscription · 2 servers',
        '2 function apps could not be checked for MCP | ',
      ],
    );
    assert.deepEqual(
      nodes[2]?.children?.map((n) => n.label),
      ['func-a', 'func-z'],
    );
    assert.equal(
      nodes[1]?.children?.[0]?.contextValue,
      'remoteServer disconnected noKey auth-key azd gateway-none',
    );
    const stopped = statusViewNodes({ status: 'stopped' }, snapshot, { timeoutSeconds: 10 });
    assert.equal(stopped[0]?.contextValue, 'localServer.stopped');
  });

  test("VS Code's MCP client: a row while it starts, the one click when it did not, nothing once started", () => {
    const connected = server('func-a', { connected: true });
    const snapshot: StatusSnapshot = { ...empty, servers: [status(connected)] };
    const notStarted = {
      status: 'notStarted',
      reason: 'noCommand',
      detail: 'This VS Code has no workbench.mcp.startServer command.',
    } as const;
    const view = (states: Record<string, McpClientState>) =>
      statusViewNodes(running, snapshot, { timeoutSeconds: 10, mcpClient: (label) => states[label] });
    const local = (nodes: ServerNode[]) => nodes[0]!;
    const remote = (nodes: ServerNode[]) => nodes[1]!.children![0]!;

    // Not started: the server's own line says so, and its first row starts it with one click.
    let nodes = view({ 'Local MCP server': notStarted, 'func-a (Azure)': notStarted });
    assert.equal(local(nodes).description, 'running · embedded · 1 tool · not started in VS Code');
    assert.deepEqual(local(nodes).children?.[0], {
      id: 'local/mcpClient',
      label: "Start in VS Code's MCP client",
      description: 'not started: this VS Code cannot be asked to',
      tooltip:
        "This VS Code has no workbench.mcp.startServer command.\nCopilot agent mode lists the server's tools once VS Code's MCP client has started it. Click to start it.",
      icon: 'debug-start',
      command: {
        command: 'remoteMcp.startInMcpClient',
        title: "Start in VS Code's MCP client",
        arguments: ['Local MCP server'],
      },
    });
    assert.match(remote(nodes).description ?? '', /^connected · not started in VS Code · /);
    assert.deepEqual(remote(nodes).children?.[0]?.command?.arguments, ['func-a (Azure)']);

    // Starting: a passing row, no click.
    nodes = view({ 'Local MCP server': { status: 'starting' } });
    assert.deepEqual(
      [local(nodes).children?.[0]?.label, local(nodes).children?.[0]?.description],
      ["VS Code's MCP client", 'starting…'],
    );
    assert.equal(local(nodes).children?.[0]?.command, undefined);
    assert.equal(local(nodes).description, 'running · embedded · 1 tool');

    // Started, or nothing known: no row.
    for (const state of [{ status: 'started' } as const, undefined]) {
      nodes = view(state ? { 'Local MCP server': state, 'func-a (Azure)': state } : {});
      assert.ok(!local(nodes).children?.some((row) => row.id.endsWith('/mcpClient')));
      assert.ok(!remote(nodes).children?.some((row) => row.id.endsWith('/mcpClient')));
    }

    // A server that is not connected is not VS Code's to start.
    const disconnected = statusViewNodes(
      running,
      { ...empty, servers: [status(server('func-b'))] },
      { timeoutSeconds: 10, mcpClient: () => notStarted },
    );
    assert.ok(!remote(disconnected).children?.some((row) => row.id.endsWith('/mcpClient')));
    assert.match(remote(disconnected).description ?? '', /^not connected/);
  });

  test('signed out with servers: a sign-in node; a bad setting: a node that opens the settings', () => {
    const nodes = statusViewNodes(
      { status: 'stopped' },
      {
        ...empty,
        scan: { status: 'signedOut' },
        servers: [status(server('func-a'))],
        settingsProblems: ['The setting x is bad.'],
      },
      { timeoutSeconds: 10 },
    );
    const signIn = nodes.find((n) => n.id === 'note:signIn');
    assert.equal(signIn?.label, 'Sign in to Azure to find more servers');
    assert.equal(signIn?.command?.command, 'remoteMcp.statusView.signIn');
    const setting = nodes.find((n) => n.id.startsWith('note:setting'));
    assert.equal(setting?.description, 'The setting x is bad.');
    assert.equal(setting?.command?.command, 'workbench.action.openSettings');
  });
});

describe('settings', () => {
  const read = (values: Record<string, unknown>) => readStatusViewSettings((key) => values[key]);

  test('defaults: auto-refresh off, 8 probes at once, 10 s each', () => {
    assert.deepEqual(read({}), {
      settings: { autoRefreshMs: 0, probeConcurrency: 8, probeTimeoutMs: 10_000 },
      problems: [],
    });
    assert.deepEqual(
      read({ 'statusView.autoRefreshSeconds': 60, 'statusView.probeConcurrency': 64 }).settings,
      {
        autoRefreshMs: 60_000,
        probeConcurrency: 64,
        probeTimeoutMs: 10_000,
      },
    );
  });

  test('a bad value is named with its rule, and the default is used meanwhile', () => {
    const { settings, problems } = read({
      'statusView.probeConcurrency': 100,
      'statusView.probeTimeoutSeconds': 'ten',
      'statusView.autoRefreshSeconds': 3,
    });
    assert.deepEqual(settings, { autoRefreshMs: 10_000, probeConcurrency: 8, probeTimeoutMs: 10_000 });
    assert.deepEqual(problems, [
      'The setting remoteMcp.statusView.autoRefreshSeconds is 3; it must be 0 (off) or at least 10. Refreshing every 10 seconds until it is fixed.',
      'The setting remoteMcp.statusView.probeConcurrency is 100; it must be a whole number from 1 to 64. Using 8 until it is fixed.',
      'The setting remoteMcp.statusView.probeTimeoutSeconds is "ten"; it must be a whole number from 1 to 120. Using 10 until it is fixed.',
    ]);
  });
});

describe('Azure portal links', () => {
  test('the tenant switches directory; sovereign clouds have their own portal', () => {
    const s = server('func-a', { tenantId: tenant });
    assert.equal(
      portalResourceUrl(portalForArmEndpoint('https://management.azure.com'), s),
      `https://portal.azure.com/#@${tenant}/resource${s.resourceId}`,
    );
    assert.equal(
      portalResourceUrl('https://portal.azure.com', server('func-b'), '/logStream'),
      `https://portal.azure.com/#resource${server('func-b').resourceId}/logStream`,
    );
    assert.equal(portalForArmEndpoint('https://management.usgovcloudapi.net'), 'https://portal.azure.us');
    assert.equal(portalForArmEndpoint('https://management.chinacloudapi.cn/'), 'https://portal.azure.cn');
  });
});
