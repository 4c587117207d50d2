// The whole local half of issue 13 in a real VS Code, as a user with an MCP SDK server goes through
// it: a workspace holding a server that is not hosted yet, "Host on Azure Functions…" on its folder
// (the stateless check runs it once; the files are added), then Start Local Server without Core
// Tools, and VS Code's MCP client lists and invokes the server's own tool. No file is edited by hand.
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as vscode from 'vscode';
import type { PickItem } from '../../../extension/common/ui';
import type { LocalServerState } from '../../../extension/localServer/localServerManager';
import { eventually, setSetting, testApi } from '../../vscode/suite/support';

// The suite bundle runs from dist/test/vscode in the repository.
const repo = path.resolve(__dirname, '../../..');
const fixture = path.join(repo, 'test/fixtures/projects/node-candidate');

function forecastTool(): vscode.LanguageModelToolInformation | undefined {
  return vscode.lm.tools.find((tool) => tool.tags.includes('mcp') && tool.name.endsWith('_get_forecast'));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('Host on Azure Functions, then Start Local Server, in a real VS Code', () => {
  let folder = '';
  const asked: string[] = [];
  let restoreUi: () => void = () => undefined;

  before(async () => {
    await vscode.commands.executeCommand('remoteMcp.stopLocalServer');
    await setSetting('localServer.host', 'auto');
    await setSetting('funcPath', path.join(repo, 'no-such-func'));
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace, 'the suite opens a workspace folder');
    // As a user's checkout of an SDK server: no host.json, no dist/, dependencies installed.
    folder = path.join(workspace, 'weather-mcp');
    cpSync(fixture, folder, { recursive: true });
    symlinkSync(path.join(repo, 'node_modules'), path.join(folder, 'node_modules'), 'junction');

    // The user's answers: the suggested choice of each quick pick (Entra sign-in, for the auth
    // question). Quick picks cannot be clicked from an extension test, so the shared UI answers.
    const api = await testApi();
    const ui = api.ui as { pick: <T>(title: string, items: readonly PickItem<T>[]) => Promise<T> };
    const original = ui.pick;
    ui.pick = <T>(title: string, items: readonly PickItem<T>[]) => {
      asked.push(title);
      const choice = items.find((item) => item.picked) ?? items[0];
      return choice ? Promise.resolve(choice.value) : Promise.reject(new Error(`nothing to pick: ${title}`));
    };
    restoreUi = () => (ui.pick = original);
  });

  after(async () => {
    restoreUi();
    await vscode.commands.executeCommand('remoteMcp.stopLocalServer');
    rmSync(folder, { recursive: true, force: true });
    await setSetting('localServer.host', 'embedded');
    await setSetting('funcPath', undefined);
  });

  it("prepares the server, then VS Code's MCP client lists and invokes its tool", async () => {
    await vscode.commands.executeCommand('remoteMcp.hostOnFunctions', vscode.Uri.file(folder));

    for (const file of [
      'host.json',
      'local.settings.json',
      '.funcignore',
      'azure.yaml',
      'infra/main.bicep',
    ]) {
      assert.ok(existsSync(path.join(folder, file)), `${file} was added`);
    }
    assert.deepEqual(asked, ['Host on Azure Functions: how do clients authenticate?']);
    const hostJsonFile = path.join(folder, 'host.json');
    const hostJson = JSON.parse(readFileSync(hostJsonFile, 'utf8')) as {
      configurationProfile: string;
      customHandler: { description: { arguments: string[] }; port: string };
    };
    assert.equal(hostJson.configurationProfile, 'mcp-custom-handler');
    assert.deepEqual(hostJson.customHandler.description.arguments, ['dist/main.js']);
    assert.equal(hostJson.customHandler.port, '8080', 'the default port read from the code');
    assert.ok(
      vscode.window.visibleTextEditors.some((editor) => editor.document.uri.fsPath === hostJsonFile),
      'host.json is opened',
    );

    // Isolation only: another program on this machine may hold 8080. The server follows host.json.
    const port = await freePort();
    hostJson.customHandler.port = String(port);
    writeFileSync(hostJsonFile, JSON.stringify(hostJson, null, 2));

    const api = await testApi();
    const state = await vscode.commands.executeCommand<LocalServerState>('remoteMcp.startLocalServer');
    assert.ok(state?.status === 'running', JSON.stringify(state));
    assert.equal(state.project.folder, folder);
    assert.equal(state.url, `http://127.0.0.1:${port}/mcp`);
    await eventually(
      "the server started in VS Code's MCP client",
      () => (api.mcpClient.state('Local MCP server')?.status === 'started' ? true : undefined),
      40_000,
    );
    const tool = await eventually('get_forecast in vscode.lm.tools', forecastTool);
    const result = await vscode.lm.invokeTool(tool.name, {
      input: { city: 'Madrid' },
      toolInvocationToken: undefined,
    });
    const text = result.content
      .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''))
      .join('');
    assert.equal(text, 'Sunny, 24°C');

    await vscode.commands.executeCommand('remoteMcp.stopLocalServer');
    await eventually('the tool to disappear', () => forecastTool() === undefined);
  });
});
