// The built extension (dist/extension.js) activated in plain Node with a fake `vscode`: what it
// registers, that it matches the manifest, and that activation stays light (no Azure SDK, no MCP SDK
// client: only Node built-ins and 'vscode'). Plus checks of the manifest itself. `npm test` builds
// the bundle first; alone, run `node esbuild.mjs` before `node --import tsx test/run.ts activation`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { loadExtensionWithFakeVscode, type LoadedExtension } from '../support/fakeVscode';

const root = path.resolve(__dirname, '../..');
const bundle = path.join(root, 'dist/extension.js');

interface Manifest {
  main: string;
  icon: string;
  engines: { vscode: string };
  contributes: {
    commands: { command: string; title: string }[];
    mcpServerDefinitionProviders: { id: string; label: string }[];
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string; icon?: string }[]>;
    viewsWelcome: { view: string }[];
    configuration: { properties: Record<string, { type: string; default?: unknown; enum?: unknown[] }> };
  };
}

const manifestText = readFileSync(path.join(root, 'package.json'), 'utf8');
const manifest = JSON.parse(manifestText) as Manifest;
const declaredCommands = manifest.contributes.commands.map((c) => c.command).sort();

describe('activation with a fake vscode (dist/extension.js)', () => {
  let loaded: LoadedExtension;

  before(async () => {
    assert.ok(existsSync(bundle), `${bundle} is missing; run \`node esbuild.mjs\` first`);
    loaded = await loadExtensionWithFakeVscode(bundle, { extensionPath: root });
  });

  after(() => loaded?.dispose());

  test('registers the MCP server definition provider, the view and the commands', () => {
    assert.deepEqual(loaded.mcpProviderIds, ['remoteMcp.servers']);
    assert.deepEqual(loaded.createdViews, ['remoteMcp.servers']);
    for (const id of ['remoteMcp.startLocalServer', 'remoteMcp.stopLocalServer', 'remoteMcp.showLogs']) {
      assert.ok(loaded.registeredCommands.includes(id), `${id} is registered`);
    }
    assert.equal(new Set(loaded.registeredCommands).size, loaded.registeredCommands.length, 'no id twice');
  });

  test('every registered command is declared in package.json, and every declared one is registered', () => {
    assert.deepEqual([...loaded.registeredCommands].sort(), declaredCommands);
  });

  test('everything it registers is handed to context.subscriptions', () => {
    // provider + tree + channel + MCP registration + tree view + status bar item + the commands.
    assert.ok(
      loaded.context.subscriptions.length >= 6 + declaredCommands.length,
      `${loaded.context.subscriptions.length} subscriptions`,
    );
    for (const subscription of loaded.context.subscriptions) {
      assert.equal(typeof subscription.dispose, 'function');
    }
  });

  test('loading and activating require only Node built-ins and vscode (no Azure SDK, no MCP SDK client)', () => {
    assert.ok(loaded.requiredModules.includes('vscode'), 'vscode is required');
    const others = loaded.requiredModules.filter((id) => id !== 'vscode' && !isBuiltin(id));
    assert.deepEqual(others, [], `non-built-in modules required at activation: ${others.join(', ')}`);
    assert.deepEqual(loaded.loadedFiles, [bundle], 'no file besides the bundle is loaded');
    assert.ok(loaded.requires.some((r) => r.phase === 'load'));
  });

  test('the bundle holds no Azure SDK and no MCP SDK client transport', () => {
    const text = readFileSync(bundle, 'utf8');
    assert.ok(!text.includes('@azure/'), 'dist/extension.js mentions @azure/');
    assert.ok(
      !text.includes('StreamableHTTPClientTransport'),
      'dist/extension.js contains StreamableHTTPClientTransport',
    );
  });

  test('activation does not block on anything: no messages, the Show Logs command runs', async () => {
    assert.deepEqual(loaded.calls.messages, []);
    assert.ok(loaded.calls.outputChannels.length === 1, 'one output channel');
    await loaded.executeCommand('remoteMcp.showLogs');
  });

  test('a second load is independent of the first', async () => {
    const again = await loadExtensionWithFakeVscode(bundle, { extensionPath: root });
    try {
      assert.deepEqual(again.mcpProviderIds, ['remoteMcp.servers']);
      assert.deepEqual([...again.registeredCommands].sort(), declaredCommands);
    } finally {
      again.dispose();
    }
  });
});

describe('manifest (package.json)', () => {
  test('contributes the MCP server definition provider remoteMcp.servers', () => {
    assert.deepEqual(
      manifest.contributes.mcpServerDefinitionProviders.map((p) => p.id),
      ['remoteMcp.servers'],
    );
  });

  test('every %key% it uses exists in package.nls.json', () => {
    const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<
      string,
      string
    >;
    const keys = [...manifestText.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1] ?? '');
    assert.ok(keys.length > 0, 'package.json uses localized strings');
    const missing = keys.filter((key) => !(key in nls));
    assert.deepEqual(missing, [], `missing from package.nls.json: ${missing.join(', ')}`);
  });

  test('settings: port 7071, host auto|func|embedded (auto), funcPath', () => {
    const settings = manifest.contributes.configuration.properties;
    assert.equal(settings['remoteMcp.localServer.port']?.default, 7071);
    assert.equal(settings['remoteMcp.localServer.port']?.type, 'integer');
    assert.deepEqual(settings['remoteMcp.localServer.host']?.enum, ['auto', 'func', 'embedded']);
    assert.equal(settings['remoteMcp.localServer.host']?.default, 'auto');
    assert.ok(settings['remoteMcp.funcPath'], 'remoteMcp.funcPath is contributed');
  });

  test('engines.vscode is ^1.101.0', () => {
    assert.equal(manifest.engines.vscode, '^1.101.0');
  });

  test('the files it names exist (main after build, icon, view container and view icons)', () => {
    const files = [
      manifest.main,
      manifest.icon,
      ...manifest.contributes.viewsContainers.activitybar.map((c) => c.icon),
      ...Object.values(manifest.contributes.views)
        .flat()
        .flatMap((v) => (v.icon ? [v.icon] : [])),
    ];
    for (const file of files) {
      assert.ok(existsSync(path.join(root, file)), `${file} exists`);
    }
  });

  test('the view belongs to a declared container and the welcome content targets it', () => {
    const containers = manifest.contributes.viewsContainers.activitybar.map((c) => c.id);
    for (const container of Object.keys(manifest.contributes.views)) {
      assert.ok(containers.includes(container), `views container ${container} is declared`);
    }
    const views = Object.values(manifest.contributes.views)
      .flat()
      .map((v) => v.id);
    for (const welcome of manifest.contributes.viewsWelcome) {
      assert.ok(views.includes(welcome.view), `welcome content targets the declared view ${welcome.view}`);
    }
  });
});

describe('the test API (ExtensionMode.Test only)', () => {
  test('an installed extension (Production) and a development host expose nothing', async () => {
    for (const extensionMode of [1, 2] as const) {
      const loaded = await loadExtensionWithFakeVscode(bundle, { extensionPath: root, extensionMode });
      try {
        assert.equal(loaded.exports, undefined, `extensionMode ${extensionMode}`);
      } finally {
        loaded.dispose();
      }
    }
  });

  test('a host started for tests (--extensionTestsPath) gets the services', async () => {
    const loaded = await loadExtensionWithFakeVscode(bundle, { extensionPath: root, extensionMode: 3 });
    try {
      const api = loaded.exports as Record<string, unknown> | undefined;
      assert.deepEqual(Object.keys(api ?? {}).sort(), [
        'globalStoragePath',
        'keyStore',
        'localServer',
        'mcpClient',
        'provider',
        'registry',
        'statusView',
        'tree',
        'ui',
      ]);
    } finally {
      loaded.dispose();
    }
  });
});
