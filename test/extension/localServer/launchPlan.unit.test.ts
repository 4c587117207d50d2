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
) =>
  planLaunch(project, {
    settings: { ...settings, ...overrides },
    probe,
    bundledEmbeddedEntry: '/ext/server/dist/embedded.js',
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

  for (const language of ['node', 'python', 'dotnet', 'java'] as const) {
    test(`a ${language} MCP extension app without Core Tools: an error naming Core Tools, never the bundled tools`, () => {
      assert.throws(
        () => plan(extensionApp(language), missing),
        (error: unknown) =>
          error instanceof UserFacingError &&
          error.message ===
            `app is an Azure Functions MCP extension app (${language}): only the Functions host runs its MCP tools, so Start Local Server needs Azure Functions Core Tools. Install Core Tools, then start again.`,
      );
    });
  }

  test('host "embedded" on an MCP extension app: the error also names the setting', () => {
    assert.throws(
      () => plan(extensionApp('node'), undefined, { host: 'embedded' }),
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
