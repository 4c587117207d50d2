// A user's TypeScript Functions MCP app in the workspace (the one-tool greet app), Start Local
// Server without Core Tools: the extension builds it with its own `npm run build`, runs it on the
// Functions app host it ships (server/dist/functionsApp.js), and VS Code's MCP client lists and
// invokes the app's tools, not the bundled ones; Stop ends the host (issue 14, point 1).
import * as assert from 'node:assert/strict';
import { cpSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { LocalServerState } from '../../../extension/localServer/localServerManager';
import { pidListeningOn } from '../../support/ports';
import { eventually, setSetting, testApi } from '../../vscode/suite/support';

// The suite bundle runs from dist/test/vscode in the repository.
const repo = path.resolve(__dirname, '../../..');
const fixture = path.join(repo, 'test/fixtures/projects/ts-functions-mcp');
const port = Number(process.env.REMOTE_MCP_TEST_PORT);

function greetInVsCode(): vscode.LanguageModelToolInformation | undefined {
  return vscode.lm.tools.find((tool) => tool.tags.includes('mcp') && tool.name.endsWith('_greet'));
}

describe("a user's Functions MCP app in the workspace, without Core Tools", () => {
  let folder = '';

  before(async () => {
    await vscode.commands.executeCommand('remoteMcp.stopLocalServer');
    await setSetting('localServer.host', 'auto');
    await setSetting('funcPath', path.join(repo, 'no-such-func'));
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace, 'the suite opens a workspace folder');
    // As a user's checkout: no dist/ yet, dependencies installed (the repository's node_modules).
    folder = path.join(workspace, 'greetings-app');
    cpSync(fixture, folder, {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|dist)$/.test(source),
    });
    symlinkSync(path.join(repo, 'node_modules'), path.join(folder, 'node_modules'), 'junction');
  });

  after(async () => {
    await vscode.commands.executeCommand('remoteMcp.stopLocalServer');
    rmSync(folder, { recursive: true, force: true });
    await setSetting('localServer.host', 'embedded');
    await setSetting('funcPath', undefined);
  });

  it("Start Local Server builds the app and serves it on the embedded host; VS Code's MCP client lists and invokes its tool, not the bundled ones; Stop ends the host", async function () {
    // The app's own build (tsc) runs first, on two shared cores.
    this.timeout(240_000);
    const api = await testApi();
    const state = await vscode.commands.executeCommand<LocalServerState>('remoteMcp.startLocalServer');
    assert.ok(state?.status === 'running', JSON.stringify(state));
    assert.equal(state.host, 'embedded');
    assert.equal(state.url, `http://127.0.0.1:${port}/runtime/webhooks/mcp`);
    assert.equal(state.project.kind, 'functionsMcpExtension');
    assert.equal(state.project.folder, folder);

    await eventually(
      "the server started in VS Code's MCP client",
      () => (api.mcpClient.state('Local MCP server')?.status === 'started' ? true : undefined),
      40_000,
    );
    const greet = await eventually('the app tool in vscode.lm.tools', () => greetInVsCode());
    const ours = vscode.lm.tools.filter(
      (tool) => tool.tags.includes('mcp') && /_(hello_mcp|save_snippet|get_weather)$/.test(tool.name),
    );
    assert.deepEqual(
      ours.map((tool) => tool.name),
      [],
      'the bundled tools are not served',
    );
    const result = await vscode.lm.invokeTool(greet.name, {
      input: { name: 'Ada' },
      toolInvocationToken: undefined,
    });
    assert.equal(
      result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join(''),
      'Hello, Ada!',
    );

    const [local] = await api.tree.getChildren();
    assert.equal(
      local?.children?.find((node) => node.id === 'local/project')?.description,
      'greetings-functions · Functions MCP extension app',
    );

    const hostPid = pidListeningOn(port);
    await vscode.commands.executeCommand('remoteMcp.stopLocalServer');
    assert.throws(() => process.kill(hostPid, 0), /ESRCH/, 'the Functions app host has exited');
    await eventually('the app tool to disappear', () => (greetInVsCode() ? undefined : true));
  });
});
