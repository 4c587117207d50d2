// A user's self-hosted MCP SDK server in the workspace, Start Local Server without Core Tools:
// the extension builds it with its own `npm run build`, runs its own command on host.json's port,
// and VS Code's MCP client lists and invokes its tools, not the bundled ones (issue 13, point 4).
import * as assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as vscode from 'vscode';
import type { LocalServerState } from '../../../extension/localServer/localServerManager';
import { eventually, setSetting, testApi } from '../../vscode/suite/support';

// The suite bundle runs from dist/test/vscode in the repository.
const repo = path.resolve(__dirname, '../../..');
const fixture = path.join(repo, 'test/fixtures/projects/node-self-hosted');
const fixtureTools = ['add_todo', 'list_todos'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function fixtureToolsInVsCode(): vscode.LanguageModelToolInformation[] {
  return vscode.lm.tools.filter(
    (tool) => tool.tags.includes('mcp') && fixtureTools.some((name) => tool.name.endsWith(`_${name}`)),
  );
}

async function invoke(toolName: string, input: Record<string, unknown>): Promise<string> {
  const tool = fixtureToolsInVsCode().find((candidate) => candidate.name.endsWith(`_${toolName}`));
  assert.ok(tool, `no MCP tool ending in _${toolName}`);
  const result = await vscode.lm.invokeTool(tool.name, { input, toolInvocationToken: undefined });
  return result.content
    .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''))
    .join('');
}

describe('a self-hosted MCP SDK server in the workspace, without Core Tools', () => {
  let folder = '';
  let port = 0;

  before(async () => {
    await vscode.commands.executeCommand('remoteMcp.stopLocalServer');
    await setSetting('localServer.host', 'auto');
    await setSetting('funcPath', path.join(repo, 'no-such-func'));
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace, 'the suite opens a workspace folder');
    // As a user's checkout: no dist/ yet, dependencies installed (the repository's node_modules).
    folder = path.join(workspace, 'todo-server');
    cpSync(fixture, folder, { recursive: true });
    symlinkSync(path.join(repo, 'node_modules'), path.join(folder, 'node_modules'), 'junction');
    port = await freePort();
    const hostJsonFile = path.join(folder, 'host.json');
    const hostJson = JSON.parse(readFileSync(hostJsonFile, 'utf8')) as { customHandler: { port: string } };
    hostJson.customHandler.port = String(port);
    writeFileSync(hostJsonFile, JSON.stringify(hostJson, null, 2));
  });

  after(async () => {
    await vscode.commands.executeCommand('remoteMcp.stopLocalServer');
    rmSync(folder, { recursive: true, force: true });
    await setSetting('localServer.host', 'embedded');
    await setSetting('funcPath', undefined);
  });

  it("Start Local Server runs the project's own command; VS Code's MCP client lists and invokes its tools", async () => {
    const api = await testApi();
    const state = await vscode.commands.executeCommand<LocalServerState>('remoteMcp.startLocalServer');
    assert.ok(state?.status === 'running', JSON.stringify(state));
    assert.equal(state.host, 'direct');
    assert.equal(state.url, `http://127.0.0.1:${port}/mcp`);
    assert.equal(state.project.kind, 'selfHosted');
    assert.equal(state.project.folder, folder);

    // The extension itself has VS Code's MCP client start the server.
    await eventually(
      "the server started in VS Code's MCP client",
      () => (api.mcpClient.state('Local MCP server')?.status === 'started' ? true : undefined),
      40_000,
    );
    const tools = await eventually('the fixture tools in vscode.lm.tools', () => {
      const found = fixtureToolsInVsCode();
      return found.length === fixtureTools.length ? found : undefined;
    });
    assert.deepEqual(
      tools.map((tool) => fixtureTools.find((name) => tool.name.endsWith(`_${name}`))).sort(),
      fixtureTools,
    );
    assert.ok(
      !vscode.lm.tools.some((tool) => tool.tags.includes('mcp') && tool.name.endsWith('_hello_mcp')),
      'the bundled tools are not served',
    );
    assert.equal(
      await invoke('add_todo', { title: 'ship the self-hosted loop' }),
      'Added #1: ship the self-hosted loop',
    );
    assert.equal(await invoke('list_todos', {}), '[ ] #1 ship the self-hosted loop');

    const [local] = await api.tree.getChildren();
    assert.equal(
      local?.children?.find((node) => node.id === 'local/project')?.description,
      'todo-mcp-server · self-hosted MCP server',
    );
    assert.ok(!local?.children?.some((node) => node.id === 'local/storage'), 'no Azurite row');

    await vscode.commands.executeCommand('remoteMcp.stopLocalServer');
    await eventually('the fixture tools to disappear', () => fixtureToolsInVsCode().length === 0);
  });
});
