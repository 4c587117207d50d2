// Which host runs which kind of project (extension/localServer/launchPlan.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserFacingError } from '../../../extension/common/errors';
import { planLaunch } from '../../../extension/localServer/launchPlan';
import type { FuncProbe } from '../../../extension/localServer/hostChoice';
import type { LocalServerSettings } from '../../../extension/localServer/settings';
import { bundledProject, coreToolsRun, type McpProject } from '../../../extension/project/mcpProject';

const settings: LocalServerSettings = {
  port: 7071,
  host: 'auto',
  funcPath: 'func',
  startTimeoutMs: 90_000,
  azuriteBlobPort: 10000,
};
const supported: FuncProbe = { status: 'supported', version: '4.0.7030' };
const missing: FuncProbe = { status: 'missing' };
const plan = (
  project: McpProject,
  probe: FuncProbe | undefined,
  overrides: Partial<LocalServerSettings> = {},
  onPath: readonly string[] = ['node', 'python3', 'python', 'dotnet', 'java', 'pwsh'],
) =>
  planLaunch(project, {
    settings: { ...settings, ...overrides },
    probe,
    bundledEmbeddedEntry: '/ext/server/dist/embedded.js',
    functionsAppEntry: '/ext/server/dist/functionsApp.js',
    hasCommand: (name) => onPath.includes(name),
    openUrl: () => undefined,
  });

const selfHosted: McpProject = {
  folder: '/ws/todos',
  name: 'todos',
  kind: 'selfHosted',
  language: 'node',
  mcpPath: '/mcp',
  auth: 'anonymous',
  localRun: {
    coreTools: coreToolsRun('/ws/todos'),
    direct: {
      executable: 'node',
      args: ['dist/index.js'],
      cwd: '/ws/todos',
      port: 3000,
      portSource: 'host.json',
    },
  },
  legacyForms: [],
};

/** A Functions app folder with these local.settings.json Values (none: no local.settings.json). */
function appFolder(values: Record<string, string> | undefined): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-plan-'));
  if (values) writeFileSync(path.join(folder, 'local.settings.json'), JSON.stringify({ Values: values }));
  return folder;
}

function extensionApp(language: McpProject['language'], folder = '/ws/app'): McpProject {
  return { ...bundledProject(folder), name: 'app', kind: 'functionsMcpExtension', language };
}

describe('self-hosted servers', () => {
  test("with Core Tools: func start, clients at func's port /mcp, readiness by initialize, the handler port checked too", () => {
    assert.deepEqual(plan(selfHosted, supported), {
      host: 'func',
      port: 7071,
      url: 'http://127.0.0.1:7071/mcp',
      readiness: 'mcpInitialize',
      needsStorage: false,
      handlerPort: 3000,
    });
  });

  test('without Core Tools, or with host "embedded": the server\'s own command on host.json\'s port, no Azurite', () => {
    const direct = {
      host: 'direct',
      port: 3000,
      url: 'http://127.0.0.1:3000/mcp',
      readiness: 'mcpInitialize',
      needsStorage: false,
    };
    assert.deepEqual(plan(selfHosted, missing), direct);
    assert.deepEqual(plan(selfHosted, undefined, { host: 'embedded' }), direct);
  });

  test('a Core Tools too old: run directly, and say why', () => {
    const result = plan(selfHosted, { status: 'too-old', version: '4.0.6821' });
    assert.equal(result.host, 'direct');
    assert.match(result.notice ?? '', /4\.0\.6821 is too old.*Running todos's own command instead\.$/);
  });

  test('host.json without a usable command and no Core Tools: an error naming host.json and Core Tools', () => {
    const broken: McpProject = { ...selfHosted, localRun: { coreTools: selfHosted.localRun.coreTools } };
    assert.throws(
      () => plan(broken, missing),
      (error: unknown) =>
        error instanceof UserFacingError &&
        /^todos cannot run without Azure Functions Core Tools: its host\.json does not describe a usable command/.test(
          error.message,
        ) &&
        error.actions[0]?.title === 'Install Core Tools',
    );
  });
});

describe('MCP extension apps and the bundled tools', () => {
  test('the bundled tools: the embedded host without func, with Azurite', () => {
    const result = plan(bundledProject('/ext/server'), missing);
    assert.equal(result.host, 'embedded');
    assert.equal(result.embeddedEntry, '/ext/server/dist/embedded.js');
    assert.equal(result.url, 'http://127.0.0.1:7071/runtime/webhooks/mcp');
    assert.equal(result.needsStorage, true);
  });

  test('an MCP extension app with Core Tools: func start, readiness by the host status', () => {
    assert.deepEqual(plan(extensionApp('python'), supported), {
      host: 'func',
      port: 7071,
      url: 'http://127.0.0.1:7071/runtime/webhooks/mcp',
      readiness: 'hostStatus',
      needsStorage: true,
    });
  });

  test('a Node MCP extension app without Core Tools: the Functions app host with the app folder, never the bundled tools', () => {
    const folder = appFolder({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    assert.deepEqual(plan(extensionApp('node', folder), missing), {
      host: 'embedded',
      port: 7071,
      url: 'http://127.0.0.1:7071/runtime/webhooks/mcp',
      readiness: 'hostStatus',
      needsStorage: true,
      embeddedEntry: '/ext/server/dist/functionsApp.js',
      embeddedArgs: [folder],
    });
  });

  test('host "embedded" runs a Node MCP extension app on the Functions app host even when Core Tools is there', () => {
    const result = plan(extensionApp('node', appFolder({})), undefined, { host: 'embedded' });
    assert.equal(result.embeddedEntry, '/ext/server/dist/functionsApp.js');
  });

  test('Azurite only when the app stores in the emulator (or names no storage)', () => {
    const needsStorage = (values: Record<string, string> | undefined) =>
      plan(extensionApp('node', appFolder(values)), missing).needsStorage;
    assert.equal(needsStorage({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' }), true);
    assert.equal(needsStorage(undefined), true);
    assert.equal(
      needsStorage({
        AzureWebJobsStorage:
          'DefaultEndpointsProtocol=https;AccountName=mine;AccountKey=a2V5;EndpointSuffix=core.windows.net',
      }),
      false,
    );
  });

  const runtimes = [
    { language: 'python', name: 'Python', command: 'python3', install: 'Python' },
    { language: 'dotnet', name: '.NET', command: 'dotnet', install: 'the .NET SDK' },
    { language: 'java', name: 'Java', command: 'java', install: 'a Java JDK' },
  ] as const;
  for (const runtime of runtimes) {
    test(`a ${runtime.name} MCP extension app without Core Tools: an error naming Core Tools, never the bundled tools`, () => {
      assert.throws(
        () => plan(extensionApp(runtime.language), missing),
        (error: unknown) =>
          error instanceof UserFacingError &&
          error.message ===
            `app is an Azure Functions MCP extension app in ${runtime.name}: the embedded host runs Node.js apps only, so Start Local Server runs it with Azure Functions Core Tools (func start). Install Core Tools, then start again.` &&
          error.actions.map((action) => action.title).join() === 'Install Core Tools',
      );
    });

    test(`a ${runtime.name} app without Core Tools nor ${runtime.command}: the message names both installs`, () => {
      assert.throws(
        () => plan(extensionApp(runtime.language), missing, {}, ['node']),
        (error: unknown) =>
          error instanceof UserFacingError &&
          error.message.endsWith(`Install Core Tools and ${runtime.install}, then start again.`) &&
          error.actions.map((action) => action.title).join() ===
            `Install Core Tools,Install ${runtime.install}`,
      );
    });
  }

  test('host "embedded" on a Python app: the error also names the setting', () => {
    assert.throws(
      () => plan(extensionApp('python'), undefined, { host: 'embedded' }),
      /remoteMcp\.localServer\.host is "embedded"/,
    );
  });

  test('a Node MCP extension app with its own dist/embedded.js still runs on it without Core Tools', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-plan-'));
    mkdirSync(path.join(folder, 'dist'));
    writeFileSync(path.join(folder, 'dist/embedded.js'), '');
    const result = plan(extensionApp('node', folder), missing);
    assert.equal(result.host, 'embedded');
    assert.equal(result.embeddedEntry, path.join(folder, 'dist/embedded.js'));
  });
});
