import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId, testApi } from '../vscode/suite/support';

describe('activation', () => {
  it('activates from the installed VSIX and registers its commands', async () => {
    await testApi();
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension?.isActive);
    assert.match(extension.extensionPath, /remote-mcp\.remote-mcp-functions-/);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['remoteMcp.startLocalServer', 'remoteMcp.stopLocalServer', 'remoteMcp.showLogs']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('lists no server and shows the welcome view while nothing runs', async () => {
    const api = await testApi();
    assert.equal(api.localServer.state.status, 'stopped');
    assert.deepEqual(api.provider.provideMcpServerDefinitions(), []);
    assert.deepEqual(await api.tree.getChildren(), []);
  });
});
