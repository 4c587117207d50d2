import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue } from '../../../server/src/tools';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { UserFacingError } from '../../../extension/common/errors';
import { isPortFree } from '../../../shared/net';
import { ensureAzurite } from '../../../extension/localServer/azurite';
import { probeFunc } from '../../../extension/localServer/hostChoice';
import { embeddedLauncher } from '../../../extension/localServer/launchers';
import { LocalServerManager, type LocalServerState } from '../../../extension/localServer/localServerManager';
import type { LocalServerSettings } from '../../../extension/localServer/settings';
import { bundledProject, type McpProject } from '../../../extension/project/mcpProject';
import { probeMcpServer } from '../../../extension/probe/mcpProbe';
import { startAzurite, type RunningAzurite } from '../../support/azurite';
import { localServerNodes } from '../../../extension/statusView/serverNodes';
import { STORAGE_API_VERSION } from '../../../shared/developmentStorage';
import { startOutdatedAzurite } from '../../fakes/outdatedAzurite';
import { connectClient, firstText } from '../../support/mcpClients';
import { freePort } from '../../support/processes';
import { recordedManagerActions, titledAction } from '../../support/localServerActions';
import { pidListeningOn } from '../../support/ports';
import { untilState } from './workspaceLocalServer';

const repo = path.resolve(__dirname, '../../..');
const bundledServer = path.join(repo, 'server');
const silentLog = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const withoutNodeModulesBin = (env: NodeJS.ProcessEnv) => ({
  ...env,
  PATH: (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .join(path.delimiter),
});

interface Harness {
  manager: LocalServerManager;
  warnings: { message: string; actions: string[] }[];
  /** What the extension's log received at warning level. */
  loggedWarnings: string[];
  states: LocalServerState['status'][];
  settings: LocalServerSettings;
}

let azurite: RunningAzurite;
let scratch: string;
const managers: LocalServerManager[] = [];

before(async () => {
  azurite = await startAzurite();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-manager-'));
});
after(async () => {
  for (const manager of managers) await manager.stop();
  await azurite.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function harness(
  overrides: Partial<LocalServerSettings> = {},
  options: { project?: McpProject; env?: NodeJS.ProcessEnv } = {},
): Promise<Harness> {
  const settings: LocalServerSettings = {
    port: await freePort(),
    host: 'embedded',
    funcPath: 'func',
    startTimeoutMs: 30_000,
    azuriteBlobPort: azurite.blobPort,
    ...overrides,
  };
  const warnings: Harness['warnings'] = [];
  const loggedWarnings: string[] = [];
  const log = { ...silentLog, warn: (message: string) => loggedWarnings.push(message) };
  const states: Harness['states'] = [];
  const action = titledAction;
  const env = options.env ?? process.env;
  const manager = new LocalServerManager({
    settings: () => settings,
    chooseProject: () =>
      Promise.resolve({
        project: options.project ?? bundledProject(bundledServer),
        recognition: { projects: [], candidates: [], problems: [] },
      }),
    offerToHost: () => Promise.reject(new Error('the workspace holds no candidates')),
    probeFunc,
    launchers: {
      embedded: embeddedLauncher(silentLog),
      func: () => Promise.reject(new Error('func is not used in these tests')),
      direct: () => Promise.reject(new Error('no self-hosted project in these tests')),
    },
    bundledEmbeddedEntry: path.join(bundledServer, 'dist/embedded.js'),
    functionsAppEntry: path.join(bundledServer, 'dist/functionsApp.js'),
    preflight: {
      lookup: { env, execPath: process.execPath, execPathIsElectron: false },
      runNpmScript: () => Promise.reject(new Error('nothing to build in these tests')),
      log,
      actions: { showLogs: () => action('Show Logs'), npmInstall: () => action('Run npm install') },
    },
    ensureStorage: (port) =>
      ensureAzurite(
        port,
        {
          startThroughExtension: () => Promise.resolve(false),
          dataDir: path.join(scratch, `azurite-${port}`),
          env,
        },
        log,
      ),
    readCatalog: (url) => probeMcpServer(url, {}, 10_000),
    log,
    notify: {
      warning: (message, actions = []) => warnings.push({ message, actions: actions.map((a) => a.title) }),
    },
    actions: recordedManagerActions(),
    baseEnv: env,
  });
  manager.onDidChange((state) => states.push(state.status));
  managers.push(manager);
  return { manager, warnings, loggedWarnings, states, settings };
}

describe('the local server manager with the embedded host', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });

  test('start: running at the loopback URL, tools read, snippets stored in Azurite; stop frees the port', async () => {
    const state = await h.manager.start();
    assert.equal(state.status, 'running');
    assert.ok(state.status === 'running');
    assert.equal(state.url, `http://127.0.0.1:${h.settings.port}/runtime/webhooks/mcp`);
    assert.equal(state.host, 'embedded');
    assert.equal(state.storageAvailable, true);
    const withTools = await untilState(h.manager, (s) => s.status === 'running' && s.tools !== undefined);
    assert.equal(withTools.status === 'running' && withTools.tools?.length, catalogue.length);

    const client = await connectClient(state.url, 'streamable-http');
    const saved = await client.callTool({
      name: 'save_snippet',
      arguments: { snippetname: 'from-manager', snippet: 'kept' },
    });
    assert.notEqual(saved.isError, true, firstText(saved));
    assert.equal(
      firstText(await client.callTool({ name: 'get_snippet', arguments: { snippetname: 'from-manager' } })),
      'kept',
    );
    await client.close();

    await h.manager.stop();
    assert.equal(h.manager.state.status, 'stopped');
    assert.equal(await isPortFree(h.settings.port), true);
    assert.deepEqual(h.states.slice(0, 3), ['starting', 'starting', 'running']);
    assert.deepEqual(h.states.slice(-2), ['stopping', 'stopped']);
  });

  test('every start gets a new version, so VS Code re-reads the tools', async () => {
    const first = await h.manager.start();
    await h.manager.stop();
    const second = await h.manager.start();
    assert.ok(first.status === 'running' && second.status === 'running');
    assert.notEqual(first.version, second.version);
    await h.manager.stop();
  });

  test('starting twice at once joins the first start', async () => {
    const [a, b] = await Promise.all([h.manager.start(), h.manager.start()]);
    assert.equal(a, b);
    await h.manager.stop();
  });

  test('a port in use is refused, naming the port and the setting', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(h.settings.port, '127.0.0.1', resolve));
    try {
      await assert.rejects(
        h.manager.start(),
        (error: unknown) =>
          error instanceof UserFacingError &&
          error.message ===
            `Port ${h.settings.port} is already in use, so the local MCP server cannot start. Stop the program using it, or change the setting remoteMcp.localServer.port.` &&
          error.actions[0]?.title === 'Open Settings',
      );
      assert.equal(h.manager.state.status, 'stopped');
    } finally {
      blocker.close();
    }
  });

  test('a server killed from outside is noticed, reported, and can be started again', async () => {
    const state = await h.manager.start();
    assert.ok(state.status === 'running');
    // Find the process by its port and kill it, as a user or a crash would.
    const pid = pidListeningOn(h.settings.port);
    process.kill(pid, 'SIGKILL');
    await untilState(h.manager, (s) => s.status === 'stopped');
    assert.match(h.warnings.at(-1)?.message ?? '', /stopped unexpectedly \(SIGKILL\)/);
    assert.deepEqual(h.warnings.at(-1)?.actions, ['Start Again', 'Show Logs']);
    const again = await h.manager.start();
    assert.equal(again.status, 'running');
    await h.manager.stop();
  });
});

test('a host that dies during start fails at once with its last words, not after the time limit', async () => {
  // A Node MCP extension app with its own embedded host bundle, which crashes.
  const dir = mkdtempSync(path.join(scratch, 'crashing-'));
  mkdirSync(path.join(dir, 'dist'));
  writeFileSync(
    path.join(dir, 'dist/embedded.js'),
    "console.error('Cannot find module @azure/functions'); process.exit(3);",
  );
  const project: McpProject = {
    ...bundledProject(dir),
    name: 'crashing',
    kind: 'functionsMcpExtension',
  };
  const h = await harness({ startTimeoutMs: 60_000 }, { project });
  const started = Date.now();
  await assert.rejects(
    h.manager.start(),
    /The embedded host exited before it was ready \(exit code 3\): Cannot find module @azure\/functions/,
  );
  assert.ok(Date.now() - started < 10_000);
  assert.equal(h.manager.state.status, 'stopped');
});

test('with no Azurite reachable or installable, the server still starts and says what to install', async () => {
  const h = await harness({ azuriteBlobPort: await freePort() }, { env: withoutNodeModulesBin(process.env) });
  const state = await h.manager.start();
  assert.ok(state.status === 'running');
  assert.equal(state.storageAvailable, false);
  assert.match(
    h.warnings[0]?.message ?? '',
    /Install the Azurite extension \(Azurite\.azurite\) or run "npm install -g azurite"/,
  );
  const client = await connectClient(state.url, 'streamable-http');
  const saved = await client.callTool({
    name: 'save_snippet',
    arguments: { snippetname: 'lost', snippet: 'x' },
  });
  assert.equal(saved.isError, true, 'a save without storage must fail loudly, not vanish');
  assert.match(firstText(saved), /not reachable/);
  await client.close();
  await h.manager.stop();
});

test('with azurite-blob installed but not running, the manager starts it and stops it with the server', async () => {
  const port = await freePort();
  const binDir = path.join(repo, 'node_modules/.bin');
  const h = await harness(
    { azuriteBlobPort: port },
    { env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}` } },
  );
  const state = await h.manager.start();
  assert.ok(state.status === 'running' && state.storageAvailable);
  assert.equal(await isPortFree(port), false);
  await h.manager.stop();
  assert.equal(await isPortFree(port), true);
});

test("a default-flag Azurite accepts the server's storage API version: no warning in the log, notifications or view", async () => {
  const h = await harness();
  const state = await h.manager.start();
  assert.ok(state.status === 'running' && state.storageAvailable);
  assert.equal(state.storageWarning, undefined);
  assert.deepEqual(h.warnings, []);
  assert.deepEqual(h.loggedWarnings, []);
  const storageRow = localServerNodes(state)[0]?.children?.find((node) => node.id === 'local/storage');
  assert.deepEqual(storageRow, {
    id: 'local/storage',
    label: 'Snippet storage',
    description: 'Azurite',
    icon: 'database',
  });
  await h.manager.stop();
});

test('an Azurite that refuses the storage API version: the log, a notification and the storage row name the cause and the fix', async () => {
  const outdated = await startOutdatedAzurite();
  try {
    const h = await harness({ azuriteBlobPort: outdated.port });
    const state = await h.manager.start();
    assert.ok(state.status === 'running' && state.storageAvailable, 'the server still starts');
    const expected = new RegExp(
      `^Azurite on 127\\.0\\.0\\.1:${outdated.port} does not accept the storage API version ${STORAGE_API_VERSION} ` +
        `that the MCP server sends .*Update Azurite \\(npm install -g azurite@latest.*docker pull ` +
        `mcr\\.microsoft\\.com/azure-storage/azurite\\), or start it with --skipApiVersionCheck \\(in the Azurite ` +
        `extension, turn on the setting azurite\\.skipApiVersionCheck\\)\\.$`,
    );
    assert.match(state.storageWarning ?? '', expected);
    assert.deepEqual(h.loggedWarnings, [state.storageWarning]);
    assert.deepEqual(h.warnings, [{ message: state.storageWarning, actions: ['Show Logs'] }]);
    const storageRow = localServerNodes(state)[0]?.children?.find((node) => node.id === 'local/storage');
    assert.deepEqual(storageRow, {
      id: 'local/storage',
      label: 'Snippet storage',
      description: 'Azurite too old: update it or skip its API version check',
      tooltip: state.storageWarning,
      icon: 'warning',
    });
    assert.deepEqual(outdated.versions, [STORAGE_API_VERSION], 'one request checked the version');
    await h.manager.stop();
  } finally {
    await outdated.close();
  }
});
