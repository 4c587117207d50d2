// Connect to a deployed self-hosted app, inside a real VS Code: the fake ARM holds the app (the custom
// handler's feature flag in its settings, `functionKeys.default` and no `mcp_extension` key), and the
// node-self-hosted fixture (a user's Express server with the MCP SDK) stands in for it behind https
// and the Functions host's key check (test/fakes/functionsKeyGate.ts). The server comes as an azd
// environment describes it, saying nothing of its kind: Connect asks Azure, and VS Code's MCP client
// lists and calls the fixture's own tools at /mcp with the default function key.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { controlCall, eventually, testApi } from '../../vscode/suite/support';
import type { RemoteServer } from '../../../extension/remote/remoteServers';

const fromAzd = JSON.parse(process.env.REMOTE_MCP_SELF_HOSTED_SERVER ?? '{}') as RemoteServer;
const label = `${fromAzd.name} (Azure)`;
const app = () =>
  controlCall<{ forwarded: number; refused: number; settingsReads: number; keyReads: number }>(
    'GET',
    '/self-hosted',
  );

/** The fixture's tools as VS Code lists them (`<server>_add_todo`, ...). */
function todoTools(): vscode.LanguageModelToolInformation[] {
  return vscode.lm.tools.filter(
    (tool) => tool.tags.includes('mcp') && /_(add_todo|list_todos)$/i.test(tool.name),
  );
}

async function invokeTodoTool(suffix: string, input: Record<string, unknown>): Promise<string> {
  const tool = todoTools().find((candidate) => candidate.name.toLowerCase().endsWith(`_${suffix}`));
  assert.ok(tool, `no tool ending in _${suffix}: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
  const result = await vscode.lm.invokeTool(tool.name, { input, toolInvocationToken: undefined });
  return result.content
    .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''))
    .join('');
}

describe('Connect to a deployed self-hosted app: /mcp and the default function key', () => {
  let connected: RemoteServer;

  it('Connect reads the kind from Azure, waits for the function key, and remembers the /mcp endpoint', async () => {
    const api = await testApi();
    assert.match(fromAzd.endpoint, /\/runtime\/webhooks\/mcp$/, 'the fixture gives the server as azd would');
    const before = await app();
    const result = await vscode.commands.executeCommand<RemoteServer>('remoteMcp.connect', fromAzd);
    assert.ok(result, JSON.stringify(api.ui.shown.at(-1)));
    connected = result;
    assert.equal(connected.kind, 'selfHosted');
    assert.equal(connected.endpoint, `https://${fromAzd.hostName}/mcp`);
    const after = await app();
    assert.equal(after.settingsReads - before.settingsReads, 1, 'the kind, read once from the app settings');
    assert.equal(
      after.keyReads - before.keyReads,
      2,
      'the function key: missing right after the deploy, then there',
    );
    const remembered = api.registry.find(fromAzd.resourceId);
    assert.equal(remembered?.kind, 'selfHosted');
    assert.equal(remembered?.endpoint, connected.endpoint);
    assert.ok(await api.keyStore.get(fromAzd.resourceId), 'the function key is in SecretStorage');
  });

  it("VS Code's MCP client lists the fixture's own tools and calls them through the key check", async () => {
    const api = await testApi();
    const definition = api.provider.provideMcpServerDefinitions().find((d) => d.label === label);
    assert.equal(definition?.uri.toString(), connected.endpoint);
    assert.deepEqual(definition?.headers, {}, 'the key is added only when VS Code starts the server');

    await eventually(
      `${label} started in VS Code's MCP client by the extension`,
      () => (api.mcpClient.state(label)?.status === 'started' ? true : undefined),
      40_000,
    );
    const tools = await eventually(
      'the fixture’s two tools',
      () => (todoTools().length === 2 ? todoTools() : undefined),
      30_000,
    );
    assert.deepEqual(
      tools.map((tool) => tool.name.replace(/^.*_(add_todo|list_todos)$/i, '$1').toLowerCase()).sort(),
      ['add_todo', 'list_todos'],
    );
    const before = await app();
    assert.match(
      await invokeTodoTool('add_todo', { title: 'Ship the self-hosted server' }),
      /^Added #\d+: Ship the self-hosted server$/,
    );
    assert.match(await invokeTodoTool('list_todos', {}), /\[ \] #\d+ Ship the self-hosted server/);
    const after = await app();
    assert.ok(
      after.forwarded > before.forwarded,
      'the calls passed the key check: they carried the function key',
    );
    assert.equal(after.refused, before.refused, 'none was refused');
  });

  it('Add to mcp.json: the /mcp URL and a reference to the key, never the key', async () => {
    const api = await testApi();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const file = path.join(folder, '.vscode/mcp.json');
    const existed = existsSync(file);
    await vscode.commands.executeCommand('remoteMcp.addToMcpJson', connected);
    try {
      const mcpJson = JSON.parse(readFileSync(file, 'utf8')) as {
        servers: Record<string, { url: string; headers?: Record<string, string> }>;
      };
      assert.deepEqual(mcpJson.servers[fromAzd.name], {
        type: 'http',
        url: connected.endpoint,
        headers: { 'x-functions-key': `\${input:${fromAzd.name}-mcp-key}` },
      });
      const key = (await api.keyStore.get(fromAzd.resourceId)) ?? '?';
      assert.ok(!readFileSync(file, 'utf8').includes(key));
    } finally {
      // Its server would otherwise be started with every later "start all servers".
      if (!existed) rmSync(file);
    }
  });

  it('Disconnect: VS Code no longer lists the fixture’s tools', async () => {
    await vscode.commands.executeCommand('remoteMcp.disconnect', connected);
    await eventually('the self-hosted tools to disappear', () => todoTools().length === 0);
  });
});
