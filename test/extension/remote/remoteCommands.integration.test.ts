// Connect, Fetch Key, Forget Key and the key handed to VS Code (extension/remote/*), with a fake
// KeyFetcher in place of ARM and the embedded host (key required) standing in for a deployed
// function app, over plain http on loopback. Keys go through the real RemoteKeyService,
// FunctionKeyStore and SecretMasker, and every log line is checked for them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from '../../../extension/common/commandErrors';
import { UserFacingError, type MessageAction } from '../../../extension/common/errors';
import { SecretMasker, maskedLogger } from '../../../extension/common/log';
import { RemoteKeyService, type KeyFetcher } from '../../../extension/remote/keyService';
import { FunctionKeyStore } from '../../../extension/remote/keyStore';
import { addServerToMcpJson } from '../../../extension/remote/mcpJson';
import { remoteCommands } from '../../../extension/remote/remoteCommands';
import {
  RemoteServerRegistry,
  mcpEndpoint,
  type RemoteServer,
  type RemoteServerKind,
} from '../../../extension/remote/remoteServers';
import type { RunningEmbeddedHost } from '../../../server/src/hosts/embedded/startEmbeddedHost';
import { startTestHost } from '../../support/embeddedHost';
import { RecordingUi, recordingLog } from '../../support/recordingUi';
import { recordingLogger, testDependencies } from '../../support/testDependencies';
import { memorySecrets, memoryState } from '../../support/memoryStores';
import { startSelfHostedApp, type SelfHostedApp } from '../../support/selfHostedApp';

const subscriptionId = '11111111-2222-3333-4444-555555555555';

function server(name: string, endpoint?: string): RemoteServer {
  const hostName = `${name}.azurewebsites.net`;
  return {
    resourceId: `/subscriptions/${subscriptionId}/resourceGroups/rg-${name}/providers/Microsoft.Web/sites/${name}`,
    name,
    hostName,
    endpoint: endpoint ?? mcpEndpoint(hostName),
    subscriptionId,
    resourceGroup: `rg-${name}`,
    environment: `env-${name}`,
  };
}

const secretName = (s: RemoteServer) => `remoteMcp.functionKey:${s.resourceId.toLowerCase()}`;

type FetchBehaviour =
  | { kind: 'keys'; keys: string[] }
  | { kind: 'wait'; key: string; waits: number[] }
  | { kind: 'throw'; error: Error };

/**
 * Stands in for ARM's listHostKeys: hands out the given keys in turn, or reports waiting first (the
 * app still loading its MCP extension), or fails.
 */
function fakeFetcher(behaviour: FetchBehaviour) {
  const calls: string[] = [];
  const fetch: KeyFetcher = async (target, { onWaiting }) => {
    calls.push(target.name);
    if (behaviour.kind === 'throw') throw behaviour.error;
    if (behaviour.kind === 'wait') {
      for (const elapsed of behaviour.waits) {
        onWaiting(elapsed);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return behaviour.key;
    }
    return behaviour.keys[Math.min(calls.length, behaviour.keys.length) - 1]!;
  };
  return { fetch, calls };
}

function harness(
  options: {
    fetch?: FetchBehaviour;
    deployments?: RemoteServer[];
    answers?: string[];
    folder?: string;
    /** What Azure says serves MCP on each app (by name); the MCP extension unless given; an Error: the read fails. */
    kinds?: Record<string, RemoteServerKind | Error>;
  } = {},
) {
  const ui = new RecordingUi(options.answers);
  const masker = new SecretMasker();
  const raw = recordingLog();
  const log = maskedLogger(raw, masker);
  const secrets = memorySecrets();
  const keyStore = new FunctionKeyStore(secrets, masker);
  const fetcher = fakeFetcher(options.fetch ?? { kind: 'keys', keys: ['fetched-key-0000000001'] });
  /** The apps whose kind was read from Azure, and the servers the key fetcher was asked for. */
  const kindReads: string[] = [];
  const fetchedFor: RemoteServer[] = [];
  const fetchKey: KeyFetcher = (target, fetchOptions) => {
    fetchedFor.push(target);
    return fetcher.fetch(target, fetchOptions);
  };
  const keys = new RemoteKeyService(keyStore, fetchKey, ui, log);
  const registry = new RemoteServerRegistry(memoryState());
  const pressed: string[] = [];
  const action = (title: string): MessageAction => ({ title, run: () => pressed.push(title) });
  const showLogs = action('Show Logs');
  /** What Connect asked VS Code's MCP client to start: label and definition version. */
  const clientStarts: { label: string; version?: string }[] = [];
  const commands = remoteCommands({
    registry,
    keys,
    keyStore,
    ui,
    log,
    deployments: () => Promise.resolve(options.deployments ?? []),
    kindOf: (target) => {
      kindReads.push(target.name);
      const kind = options.kinds?.[target.name] ?? 'functionsMcpExtension';
      return kind instanceof Error ? Promise.reject(kind) : Promise.resolve(kind);
    },
    deployAction: action('Deploy to Azure'),
    addToMcpJson: (target, signIn) =>
      options.folder
        ? Promise.resolve(addServerToMcpJson(options.folder, target, signIn))
        : Promise.reject(new Error('Open a folder first: mcp.json lives in the workspace.')),
    mcpClient: {
      start: (label, version) => {
        clientStarts.push({ label, version });
        return Promise.resolve({ status: 'started' });
      },
    },
  });
  /** Runs a command as VS Code would, behind the error wrapper. */
  const run = (id: keyof typeof commands, argument?: unknown) =>
    runCommand<unknown>(id, () => commands[id](argument), ui, log, showLogs);
  return {
    ui,
    masker,
    log,
    logLines: raw.lines,
    secrets,
    keyStore,
    keys,
    fetcher,
    kindReads,
    fetchedFor,
    registry,
    pressed,
    clientStarts,
    run,
  };
}

describe('Connect', () => {
  test('with no deployment anywhere: a message that offers Deploy', async () => {
    const h = harness();
    assert.equal(await h.run('remoteMcp.connect'), undefined);
    const shown = h.ui.last('error');
    assert.match(shown?.message ?? '', /No deployment was found in this workspace's azd environments/);
    assert.deepEqual(shown?.actions, ['Deploy to Azure', 'Show Logs']);
    await h.ui.press('Deploy to Azure');
    assert.deepEqual(h.pressed, ['Deploy to Azure']);
    assert.deepEqual(h.fetcher.calls, []);
  });

  test("picks among the azd environments' deployments and those remembered; the key is stored, the server connected", async () => {
    const a = server('func-a');
    const b = server('func-b');
    const older = server('func-old');
    const h = harness({
      deployments: [a, b],
      answers: ['func-b'],
      fetch: { kind: 'wait', key: 'fresh-key-for-func-b-0001', waits: [2000, 31_000] },
    });
    await h.registry.upsert(older);
    const connected = await h.run('remoteMcp.connect');
    assert.equal((connected as RemoteServer | undefined)?.resourceId, b.resourceId);

    const pick = h.ui.prompts[0];
    assert.equal(pick?.title, 'Connect to which deployed MCP server?');
    assert.deepEqual(pick?.options, [
      'func-a — azd environment env-func-a',
      'func-b — azd environment env-func-b',
      'func-old — azd environment env-func-old',
    ]);
    assert.deepEqual(h.fetcher.calls, ['func-b']);
    // An azd environment does not say what serves MCP on the app: Azure is asked, once, before the key.
    assert.deepEqual(h.kindReads, ['func-b']);
    assert.equal(h.registry.find(b.resourceId)?.kind, 'functionsMcpExtension');
    assert.deepEqual(h.ui.progress, [
      { title: 'Reading what serves MCP on func-b', reports: [] },
      {
        title: 'Fetching the MCP extension key of func-b',
        reports: [
          'waiting for the app to load the MCP extension (2 s); this takes a minute or two after a deploy…',
          'waiting for the app to load the MCP extension (31 s); this takes a minute or two after a deploy…',
        ],
      },
    ]);
    assert.equal(h.secrets.values.get(secretName(b)), 'fresh-key-for-func-b-0001');
    assert.equal(await h.keyStore.get(b.resourceId.toUpperCase()), 'fresh-key-for-func-b-0001');
    assert.equal(h.registry.find(b.resourceId)?.connected, true);
    assert.equal(h.registry.find(a.resourceId), undefined, 'only the picked one is remembered');
    assert.equal(h.registry.find(older.resourceId)?.connected, undefined);
    // Only the connected server is started in VS Code's MCP client, at the version its definition now has.
    const connectedAt = h.registry.find(b.resourceId)?.connectedAt;
    assert.ok(connectedAt && !Number.isNaN(Date.parse(connectedAt)), String(connectedAt));
    assert.deepEqual(h.clientStarts, [{ label: 'func-b (Azure)', version: connectedAt }]);
    assert.deepEqual(h.ui.shown, [
      {
        severity: 'info',
        message:
          "Connected to func-b. Starting it in VS Code's MCP client, so Copilot agent mode lists its tools.",
        actions: [],
      },
    ]);
    assert.ok(
      h.logLines.every((line) => !line.includes('fresh-key-for-func-b-0001')),
      h.logLines.join('\n'),
    );
  });

  test('a key that cannot be fetched: its error is shown, nothing is stored or connected', async () => {
    const a = server('func-a');
    const h = harness({
      deployments: [a],
      answers: ['func-a'],
      fetch: {
        kind: 'throw',
        error: new UserFacingError('Sign in to Azure with an account that can read func-a.'),
      },
    });
    await h.run('remoteMcp.connect');
    assert.deepEqual(h.ui.last('error'), {
      severity: 'error',
      message: 'Sign in to Azure with an account that can read func-a.',
      actions: ['Show Logs'],
    });
    assert.equal(h.secrets.values.size, 0);
    assert.deepEqual(h.registry.list(), []);
    assert.deepEqual(h.clientStarts, [], 'nothing to start in VS Code');
  });
});

describe('Fetch Key and Forget Key', () => {
  test('with no server remembered: a message that offers Deploy', async () => {
    const h = harness();
    await h.run('remoteMcp.fetchKey');
    assert.match(h.ui.last('error')?.message ?? '', /No deployed MCP server is connected in this workspace/);
    assert.deepEqual(h.ui.last('error')?.actions, ['Deploy to Azure', 'Show Logs']);
    await h.run('remoteMcp.forgetKey');
    assert.deepEqual(h.ui.last('error')?.actions, ['Deploy to Azure', 'Show Logs']);
    assert.deepEqual(h.fetcher.calls, []);
  });

  test('on a picked server: Fetch Key replaces its key, Forget Key removes it and leaves the other', async () => {
    const a = server('func-a');
    const b = server('func-b');
    const h = harness({
      answers: ['func-b', 'func-b'],
      fetch: { kind: 'keys', keys: ['rotated-key-for-func-b-02'] },
    });
    await h.registry.upsert({ ...a, connected: true });
    await h.registry.upsert({ ...b, connected: true });
    await h.keyStore.store(a.resourceId, 'key-for-func-a-000000001');
    await h.keyStore.store(b.resourceId, 'old-key-for-func-b-00001');

    await h.run('remoteMcp.fetchKey');
    assert.deepEqual(h.ui.prompts[0], {
      kind: 'pick',
      title: 'Fetch the key of which server?',
      options: [`func-a — ${a.endpoint}`, `func-b — ${b.endpoint}`],
    });
    assert.deepEqual(h.fetcher.calls, ['func-b']);
    assert.equal(await h.keyStore.get(b.resourceId), 'rotated-key-for-func-b-02');
    assert.deepEqual(h.ui.last(), {
      severity: 'info',
      message: "Fetched the MCP extension key of func-b into VS Code's secret storage.",
      actions: [],
    });

    await h.run('remoteMcp.forgetKey');
    assert.equal(h.ui.prompts[1]?.title, 'Forget the key of which server?');
    assert.equal(await h.keyStore.get(b.resourceId), undefined);
    assert.equal(await h.keyStore.get(a.resourceId), 'key-for-func-a-000000001');
    assert.match(
      h.ui.last()?.message ?? '',
      /^Forgot the MCP key of func-b\. It is fetched again the next time/,
    );
    assert.equal(h.registry.find(b.resourceId)?.connected, true, 'forgetting the key does not disconnect');
    assert.deepEqual(h.ui.unusedAnswers, []);
  });

  test('a server given by its tree item is used without asking', async () => {
    const a = server('func-a');
    const h = harness();
    await h.registry.upsert(a);
    await h.run('remoteMcp.fetchKey', a);
    assert.deepEqual(h.ui.prompts, []);
    assert.deepEqual(h.fetcher.calls, ['func-a']);
  });
});

describe('Add to mcp.json', () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-ws-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('after Connect: the file names the server and refers to its key, which it never contains', async () => {
    const key = 'connected-key-never-in-a-file-0001';
    const a = server('func-a');
    const h = harness({
      deployments: [a],
      answers: ['func-a'],
      folder,
      fetch: { kind: 'keys', keys: [key] },
    });
    await h.run('remoteMcp.connect');
    await h.run('remoteMcp.addToMcpJson', a);
    const file = path.join(folder, '.vscode', 'mcp.json');
    assert.deepEqual(h.ui.last(), {
      severity: 'info',
      message: `Added func-a to ${file}. Its key is not written there: VS Code asks this extension for it.`,
      actions: [],
    });
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(key), text);
    assert.ok(text.includes('"x-functions-key": "${input:func-a-mcp-key}"'), text);
    assert.ok(text.includes(`"args": "${a.resourceId}"`), text);
  });
});

describe('Add to mcp.json for a server behind Entra sign-in', () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-ws-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const file = path.join(folder, '.vscode', 'mcp.json');
  const entraAdded = (name: string) => ({
    severity: 'info',
    message: `Added ${name} to ${file}. It signs in with Microsoft Entra: VS Code asks you to sign in when it starts the server.`,
    actions: [],
  });

  test('remembered as Entra: the entry has the URL only, and no key is fetched', async () => {
    const entra: RemoteServer = {
      ...server('func-e'),
      auth: { mode: 'entra', scopes: ['api://e/user_impersonation'] },
    };
    const h = harness({ folder, fetch: { kind: 'throw', error: new Error('no key for an Entra server') } });
    await h.registry.upsert({ ...entra, connected: true });
    await h.run('remoteMcp.addToMcpJson', entra);
    assert.deepEqual(h.ui.last(), entraAdded('func-e'));
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(`"url": "${entra.endpoint}"`), text);
    assert.ok(!text.includes('x-functions-key') && !text.includes('remoteMcp.getFunctionKey'), text);
    assert.deepEqual(h.fetcher.calls, []);
  });

  test("the MCP Servers view's row saw a Bearer challenge (nothing remembered): the URL only too", async () => {
    const scanned = server('func-s');
    const h = harness({ folder });
    // The row the context menu passes: the server, and the auth mode the view shows for it.
    await h.run('remoteMcp.addToMcpJson', {
      id: 'server:x',
      label: 'func-s',
      server: scanned,
      authMode: 'entra',
    });
    assert.deepEqual(h.ui.last(), entraAdded('func-s'));
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(`"func-s": {`), text);
    assert.ok(!text.includes('func-s-mcp-key'), text);
  });

  test('a keyed row from the view still gets the key input', async () => {
    const h = harness({ folder });
    await h.run('remoteMcp.addToMcpJson', {
      id: 'server:y',
      label: 'func-k',
      server: server('func-k'),
      authMode: 'key',
    });
    assert.ok(readFileSync(file, 'utf8').includes('"x-functions-key": "${input:func-k-mcp-key}"'));
  });
});

describe('the key handed to VS Code (remoteMcp.getFunctionKey, keyForConnection)', () => {
  const appKey = 'the-apps-current-mcp-extension-key-0001';
  const hostLog = recordingLogger();
  let app: RunningEmbeddedHost;
  before(async () => {
    app = await startTestHost(testDependencies({ log: hostLog }), { key: appKey });
  });
  after(async () => {
    await app?.close();
  });

  /** A harness whose server is the embedded host, remembered, with this key stored. */
  async function deployed(stored: string | undefined, fetch: FetchBehaviour) {
    const h = harness({ fetch });
    const target = server('func-live', app.mcpUrl);
    await h.registry.upsert({ ...target, connected: true });
    // Stored by an earlier session: straight into SecretStorage, unknown to this masker until read.
    if (stored) h.secrets.values.set(secretName(target), stored);
    return { h, target };
  }

  /**
   * No log line (nor message) shows a key. Every key that went through the key store is known to the
   * masker: a line that names one, as a careless trace might, comes out with *** in its place.
   */
  function assertNoKeyLogged(h: ReturnType<typeof harness>, ...keys: string[]): void {
    for (const key of keys) h.log.debug(`a careless trace of ${key}`);
    assert.deepEqual(
      h.logLines.slice(-keys.length),
      keys.map(() => 'debug: a careless trace of ***'),
    );
    for (const line of [...h.logLines, ...h.ui.shown.map((shown) => shown.message)]) {
      for (const key of keys) assert.ok(!line.includes(key), `a log line shows a key: ${line}`);
    }
  }

  test('an unknown resource id is a clear error', async () => {
    const h = harness();
    const unknown = '/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/nope';
    assert.equal(await h.run('remoteMcp.getFunctionKey', unknown), undefined);
    assert.deepEqual(h.ui.last('error'), {
      severity: 'error',
      message: `No remembered MCP server has the resource id ${unknown}. Connect to it first.`,
      actions: ['Show Logs'],
    });
    await h.run('remoteMcp.getFunctionKey');
    assert.equal(
      h.ui.last('error')?.message,
      'No remembered MCP server has the resource id undefined. Connect to it first.',
    );
  });

  test('the stored key is accepted: handed over without fetching', async () => {
    const { h, target } = await deployed(appKey, { kind: 'keys', keys: ['never-fetched-key-00001'] });
    assert.equal(await h.run('remoteMcp.getFunctionKey', target.resourceId.toUpperCase()), appKey);
    assert.deepEqual(h.fetcher.calls, []);
    assert.deepEqual(h.ui.shown, []);
    assertNoKeyLogged(h, appKey);
  });

  test('no key stored yet: fetched once, stored, handed over', async () => {
    const { h, target } = await deployed(undefined, { kind: 'keys', keys: [appKey] });
    assert.equal(await h.keys.keyForConnection(target), appKey);
    assert.deepEqual(h.fetcher.calls, ['func-live']);
    assert.equal(h.secrets.values.get(secretName(target)), appKey);
    assertNoKeyLogged(h, appKey);
  });

  test('a stale stored key (401): fetched exactly once more, and the fresh one is stored and handed over', async () => {
    const stale = 'stale-key-from-before-rotation-01';
    const { h, target } = await deployed(stale, { kind: 'keys', keys: [appKey] });
    assert.equal(await h.run('remoteMcp.getFunctionKey', target.resourceId), appKey);
    assert.deepEqual(h.fetcher.calls, ['func-live']);
    assert.equal(h.secrets.values.get(secretName(target)), appKey);
    assert.ok(h.logLines.includes('warn: func-live refused the stored key (HTTP 401); fetching it again.'));
    assert.deepEqual(h.ui.shown, []);
    assertNoKeyLogged(h, stale, appKey);
  });

  test('the app refuses even the fresh key: the user is told, and pointed at Check Sign-in', async () => {
    const stale = 'stale-key-from-before-rotation-02';
    const wrong = 'a-key-this-app-does-not-take-03';
    const { h, target } = await deployed(stale, { kind: 'keys', keys: [wrong, 'not-asked-for-twice-0004'] });
    await assert.rejects(
      () => h.keys.keyForConnection(target),
      (error: unknown) =>
        error instanceof UserFacingError &&
        /func-live refused its own mcp_extension key \(HTTP 401\)/.test(error.message) &&
        error.message.includes('"Remote MCP: Check Sign-in"'),
    );
    assert.deepEqual(h.fetcher.calls, ['func-live'], 'one refetch, not a loop');
    // Through the command, as VS Code asks for it: the same message, shown.
    await h.run('remoteMcp.getFunctionKey', target.resourceId);
    assert.match(h.ui.last('error')?.message ?? '', /refused its own mcp_extension key.*Check Sign-in/);
    assertNoKeyLogged(h, stale, wrong);
  });

  test('an unreachable endpoint: the stored key is handed over anyway, with a warning in the log', async () => {
    const gone = await startTestHost(testDependencies({}), { key: appKey });
    const url = gone.mcpUrl;
    await gone.close();
    const h = harness({ fetch: { kind: 'keys', keys: ['never-fetched-key-00002'] } });
    const target = server('func-away', url);
    await h.registry.upsert(target);
    h.secrets.values.set(secretName(target), appKey);
    assert.equal(await h.run('remoteMcp.getFunctionKey', target.resourceId), appKey);
    assert.deepEqual(h.fetcher.calls, []);
    assert.deepEqual(h.ui.shown, []);
    assert.ok(
      h.logLines.includes(`warn: Could not reach ${url} to check the key: ECONNREFUSED`),
      h.logLines.join('\n'),
    );
    assertNoKeyLogged(h, appKey);
  });

  test('the app itself never logged a key it was sent', () => {
    for (const line of hostLog.lines) {
      assert.ok(!line.includes(appKey) && !line.includes('stale-key-from-before-rotation'), line);
    }
  });
});

describe('self-hosted apps: the /mcp endpoint and the default function key', () => {
  test('Connect to an azd deployment that does not say its kind: Azure says self-hosted, so /mcp and the function key, remembered', async () => {
    const sdk = server('func-sdk');
    const h = harness({
      deployments: [sdk],
      answers: ['func-sdk'],
      kinds: { 'func-sdk': 'selfHosted' },
      fetch: { kind: 'wait', key: 'default-function-key-0001', waits: [4000] },
    });
    const connected = (await h.run('remoteMcp.connect')) as RemoteServer;
    assert.equal(connected.endpoint, 'https://func-sdk.azurewebsites.net/mcp');
    assert.equal(connected.kind, 'selfHosted');
    assert.deepEqual(h.kindReads, ['func-sdk']);
    assert.deepEqual(
      h.fetchedFor.map((target) => [target.kind, target.endpoint]),
      [['selfHosted', 'https://func-sdk.azurewebsites.net/mcp']],
      'the key fetched is the one of a self-hosted app',
    );
    assert.deepEqual(h.ui.progress, [
      { title: 'Reading what serves MCP on func-sdk', reports: [] },
      {
        title: 'Fetching the function key of func-sdk',
        reports: ["waiting for the app's host to start (4 s); this takes a minute or two after a deploy…"],
      },
    ]);
    const remembered = h.registry.find(sdk.resourceId);
    assert.equal(remembered?.kind, 'selfHosted');
    assert.equal(remembered?.endpoint, 'https://func-sdk.azurewebsites.net/mcp');
    assert.equal(await h.keyStore.get(sdk.resourceId), 'default-function-key-0001');
    assert.ok(
      h.logLines.includes('info: Stored the function key of func-sdk in SecretStorage.'),
      h.logLines.join('\n'),
    );
    assert.ok(h.logLines.every((line) => !line.includes('default-function-key-0001')));
  });

  test('a server that says its kind is not asked again; Fetch Key names the function key', async () => {
    const sdk = {
      ...server('func-sdk2'),
      kind: 'selfHosted' as const,
      endpoint: 'https://func-sdk2.azurewebsites.net/mcp',
    };
    const h = harness({ deployments: [sdk], answers: ['func-sdk2'] });
    await h.run('remoteMcp.connect');
    await h.run('remoteMcp.fetchKey', sdk);
    assert.deepEqual(h.kindReads, []);
    assert.equal(
      h.ui.last()?.message,
      "Fetched the function key of func-sdk2 into VS Code's secret storage.",
    );
  });

  test('Fetch Key on a remembered server without a kind asks Azure and remembers the answer', async () => {
    const old = server('func-old-sdk');
    const h = harness({ kinds: { 'func-old-sdk': 'selfHosted' } });
    await h.registry.upsert({ ...old, connected: true });
    await h.run('remoteMcp.fetchKey', old);
    assert.deepEqual(h.kindReads, ['func-old-sdk']);
    assert.equal(h.registry.find(old.resourceId)?.endpoint, 'https://func-old-sdk.azurewebsites.net/mcp');
    assert.equal(h.fetchedFor[0]?.kind, 'selfHosted');
  });

  test('Connect from a view row whose probe met a Bearer challenge: Entra sign-in, no key fetched or stored', async () => {
    const sdk = { ...server('func-sdk-entra'), kind: 'selfHosted' as const };
    const h = harness({ fetch: { kind: 'throw', error: new Error('no key for an Entra server') } });
    const connected = (await h.run('remoteMcp.connect', {
      id: 'server:z',
      label: 'func-sdk-entra',
      server: sdk,
      authMode: 'entra',
    })) as RemoteServer;
    assert.deepEqual(connected.auth, { mode: 'entra', scopes: [] });
    assert.deepEqual(h.fetchedFor, []);
    assert.equal(h.secrets.values.size, 0);
    assert.deepEqual(h.registry.find(sdk.resourceId)?.auth, { mode: 'entra', scopes: [] });
  });

  test('the kind cannot be read: an Entra server still connects to its endpoint as given; a keyed one says why not', async () => {
    const denied = new UserFacingError(
      'Could not read the app settings of the function app func-x: not allowed.',
    );
    const entra: RemoteServer = {
      ...server('func-x'),
      auth: { mode: 'entra', scopes: ['api://x/user_impersonation'] },
    };
    const h = harness({ deployments: [entra], answers: ['func-x'], kinds: { 'func-x': denied } });
    const connected = (await h.run('remoteMcp.connect')) as RemoteServer;
    assert.equal(connected.endpoint, entra.endpoint);
    assert.equal(h.registry.find(entra.resourceId)?.connected, true);
    assert.ok(h.logLines.some((line) => line.startsWith('warn: Could not read what serves MCP on func-x')));

    const keyed = server('func-y');
    const k = harness({ deployments: [keyed], answers: ['func-y'], kinds: { 'func-y': denied } });
    assert.equal(await k.run('remoteMcp.connect'), undefined);
    assert.equal(k.ui.last('error')?.message, denied.message);
    assert.deepEqual(k.fetchedFor, []);
    assert.deepEqual(k.registry.list(), []);
  });

  describe('Add to mcp.json', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-ws-'));
    after(() => rmSync(folder, { recursive: true, force: true }));

    test('the /mcp URL and a reference to the function key, never the key', async () => {
      const key = 'self-hosted-default-key-never-in-a-file';
      const sdk = server('func-sdk3');
      const h = harness({
        deployments: [sdk],
        answers: ['func-sdk3'],
        folder,
        kinds: { 'func-sdk3': 'selfHosted' },
        fetch: { kind: 'keys', keys: [key] },
      });
      const connected = (await h.run('remoteMcp.connect')) as RemoteServer;
      await h.run('remoteMcp.addToMcpJson', connected);
      const mcpJson = JSON.parse(readFileSync(path.join(folder, '.vscode', 'mcp.json'), 'utf8')) as {
        servers: Record<string, unknown>;
      };
      assert.deepEqual(mcpJson.servers['func-sdk3'], {
        type: 'http',
        url: 'https://func-sdk3.azurewebsites.net/mcp',
        headers: { 'x-functions-key': '${input:func-sdk3-mcp-key}' },
      });
      assert.ok(!readFileSync(path.join(folder, '.vscode', 'mcp.json'), 'utf8').includes(key));
    });
  });
});

describe('the function key handed to VS Code for a self-hosted server (the fixture behind the host key check)', () => {
  const defaultKey = 'the-apps-default-function-key-0001';
  let acceptedKeys = [defaultKey];
  let app: SelfHostedApp;
  before(async () => {
    app = await startSelfHostedApp({ acceptedKeys: () => acceptedKeys });
  });
  after(async () => {
    await app?.close();
  });

  async function deployed(stored: string, fetch: FetchBehaviour) {
    const h = harness({ fetch });
    const target: RemoteServer = {
      ...server('func-sdk-live', `http://127.0.0.1:${app.gate.port}/mcp`),
      kind: 'selfHosted',
    };
    await h.registry.upsert({ ...target, connected: true });
    h.secrets.values.set(secretName(target), stored);
    return { h, target };
  }

  test('the stored key opens /mcp: handed over without fetching', async () => {
    const { h, target } = await deployed(defaultKey, { kind: 'keys', keys: ['never-fetched-0001'] });
    const refusedBefore = app.gate.refused;
    assert.equal(await h.run('remoteMcp.getFunctionKey', target.resourceId), defaultKey);
    assert.deepEqual(h.fetcher.calls, []);
    assert.equal(app.gate.refused, refusedBefore, 'the key check let it through');
  });

  test('a rotated function key: refused (401), fetched once more, and the fresh one works', async () => {
    acceptedKeys = ['rotated-default-function-key-0002'];
    try {
      const { h, target } = await deployed(defaultKey, {
        kind: 'keys',
        keys: ['rotated-default-function-key-0002'],
      });
      assert.equal(await h.keys.keyForConnection(target), 'rotated-default-function-key-0002');
      assert.deepEqual(h.fetcher.calls, ['func-sdk-live']);
      assert.ok(
        h.logLines.includes('warn: func-sdk-live refused the stored key (HTTP 401); fetching it again.'),
      );
    } finally {
      acceptedKeys = [defaultKey];
    }
  });

  test('refused even after a fresh fetch: the message names the default function key', async () => {
    const { h, target } = await deployed('stale-function-key-0003', {
      kind: 'keys',
      keys: ['also-not-accepted-0004'],
    });
    await h.run('remoteMcp.getFunctionKey', target.resourceId);
    assert.match(
      h.ui.last('error')?.message ?? '',
      /^func-sdk-live refused its own default function key \(HTTP 401\)\. If the app uses Microsoft Entra sign-in/,
    );
  });
});
