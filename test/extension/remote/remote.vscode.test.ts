import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { requestScreenshot } from '../../vscode/harness/mochaInHost';
import {
  controlCall,
  eventually,
  invokeTool,
  ourMcpTools,
  startMcpServersUntilTools,
  testApi,
  toolsOnceStartedByExtension,
} from '../../vscode/suite/support';
import type { RemoteServer } from '../../../extension/remote/remoteServers';

const siteName = process.env.REMOTE_MCP_SITE_NAME ?? '';
const subscriptionId = '6d0e1c3a-1b2c-4d5e-8f90-0a1b2c3d4e5f';
const keyFetches = async () => (await controlCall<{ count: number }>('GET', '/key-fetches')).count;
const appKeys = async () => (await controlCall<{ keys: string[] }>('GET', '/keys')).keys;
/** VS Code names a provided server `<extension id>/<label>`. */
const remoteServerId = `remote-mcp.remote-mcp-functions/${siteName} (Azure)`;

describe('deploy with azd, connect in one click, the key only in SecretStorage', () => {
  let deployed: RemoteServer;

  it('Deploy: a new azd environment, azd up as a task, then "Deployed to <host>" with Connect', async () => {
    const api = await testApi();
    // The workspace has no azure.yaml: the bundled server is deployed; no environment yet, so a new one.
    api.ui.scriptAnswers(['mcp-test', subscriptionId, 'eastus']);
    const result = await vscode.commands.executeCommand<RemoteServer>('remoteMcp.deploy');
    assert.ok(result, JSON.stringify(api.ui.shown.at(-1)));
    deployed = result;
    assert.equal(deployed.name, siteName);
    assert.match(deployed.endpoint, /^https:\/\/127\.0\.0\.1:\d+\/runtime\/webhooks\/mcp$/);
    assert.equal(deployed.environment, 'mcp-test');
    const last = api.ui.shown.at(-1);
    assert.equal(last?.message, `Deployed to ${deployed.hostName}`);
    assert.deepEqual(last?.actions, ['Connect']);
    // Deployed but not connected: VS Code is not handed the server yet.
    assert.ok(
      !api.provider.provideMcpServerDefinitions().some((definition) => definition.label.endsWith('(Azure)')),
    );
  });

  it('Connect: the key goes to SecretStorage, VS Code lists the server and calls its tools with the key', async () => {
    const api = await testApi();
    await api.ui.press('Connect');
    const [firstKey] = await appKeys();
    assert.equal(await api.keyStore.get(deployed.resourceId), firstKey);
    const definition = api.provider
      .provideMcpServerDefinitions()
      .find((d) => d.label === `${siteName} (Azure)`);
    assert.equal(definition?.uri.toString(), deployed.endpoint);
    assert.deepEqual(definition?.headers, {}, 'the key is added only when VS Code starts the server');

    // Connect itself has VS Code's MCP client start the server: the test starts nothing.
    await toolsOnceStartedByExtension(`${siteName} (Azure)`);
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');
    await vscode.commands.executeCommand('remoteMcp.servers.focus');
    await requestScreenshot('remote-connected');
  });

  it('Forget Key: the next start of the server fetches the key again', async () => {
    const api = await testApi();
    const before = await keyFetches();
    await vscode.commands.executeCommand('remoteMcp.forgetKey', deployed);
    assert.equal(await api.keyStore.get(deployed.resourceId), undefined);
    await vscode.commands.executeCommand('workbench.mcp.restartServer', remoteServerId);
    await startMcpServersUntilTools();
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');
    assert.equal(await keyFetches(), before + 1);
    assert.ok(await api.keyStore.get(deployed.resourceId));
  });

  it('A rotated key: the refused key is fetched once more, then the tools work', async () => {
    const api = await testApi();
    const { key } = await controlCall<{ key: string }>('POST', '/rotate-key');
    const before = await keyFetches();
    await vscode.commands.executeCommand('workbench.mcp.restartServer', remoteServerId);
    await eventually(
      'the new key in SecretStorage',
      async () => (await api.keyStore.get(deployed.resourceId)) === key,
    );
    await startMcpServersUntilTools();
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');
    assert.equal(await keyFetches(), before + 1, 'exactly one refetch');
  });

  it('Add to mcp.json writes a reference to the key, never the key', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    await vscode.commands.executeCommand('remoteMcp.addToMcpJson', deployed);
    const mcpJson = JSON.parse(readFileSync(path.join(folder, '.vscode/mcp.json'), 'utf8')) as {
      servers: Record<string, { url: string; headers: Record<string, string> }>;
      inputs: { id: string; type: string; command: string; args: string }[];
    };
    const inputId = `${siteName}-mcp-key`;
    assert.deepEqual(mcpJson.servers[siteName], {
      type: 'http',
      url: deployed.endpoint,
      headers: { 'x-functions-key': `\${input:${inputId}}` },
    });
    assert.deepEqual(mcpJson.inputs, [
      { id: inputId, type: 'command', command: 'remoteMcp.getFunctionKey', args: deployed.resourceId },
    ]);
    // The file's server would otherwise be started with every later "start all servers" and offer
    // the same tool names as the servers those tests are about.
    rmSync(path.join(folder, '.vscode/mcp.json'));
  });

  it('Disconnect: VS Code no longer lists the server or its tools', async () => {
    const api = await testApi();
    await vscode.commands.executeCommand('remoteMcp.disconnect', deployed);
    assert.ok(
      !api.provider
        .provideMcpServerDefinitions()
        .some((definition) => definition.label === `${siteName} (Azure)`),
    );
    await eventually('the remote tools to disappear', () => ourMcpTools().length === 0);
    assert.equal(
      api.registry.find(deployed.resourceId)?.connected,
      false,
      'still remembered, just not connected',
    );
  });
});
