import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { invokeTool, setSetting, startMcpServersUntilTools, testApi } from '../../vscode/suite/support';
import type { LocalServerState } from '../../../extension/localServer/localServerManager';

const fakeFunc = process.env.REMOTE_MCP_FAKE_FUNC ?? '';
const fakeOldFunc = process.env.REMOTE_MCP_FAKE_FUNC_OLD ?? '';

describe('the func host (a fake Core Tools that prints the real lines)', () => {
  // The last test leaves the embedded host running on purpose: the runner checks that closing
  // VS Code takes it down.
  after(async () => {
    await setSetting('localServer.host', 'embedded');
    await setSetting('funcPath', undefined);
  });

  it('auto picks func start, run as a Task, and the loop works through it', async () => {
    await setSetting('funcPath', fakeFunc);
    await setSetting('localServer.host', 'auto');
    const state = await vscode.commands.executeCommand<LocalServerState>('remoteMcp.startLocalServer');
    assert.ok(state?.status === 'running', JSON.stringify(state));
    assert.equal(state.host, 'func');
    assert.ok(vscode.tasks.taskExecutions.some((execution) => execution.task.name === 'func start'));
    await startMcpServersUntilTools();
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');
    await vscode.commands.executeCommand('remoteMcp.stopLocalServer');
    assert.ok(!vscode.tasks.taskExecutions.some((execution) => execution.task.name === 'func start'));
  });

  it('host "func" refuses a Core Tools older than 4.0.7030, naming the version and the fix', async () => {
    const api = await testApi();
    await setSetting('funcPath', fakeOldFunc);
    await setSetting('localServer.host', 'func');
    const result = await vscode.commands.executeCommand('remoteMcp.startLocalServer');
    assert.equal(result, undefined);
    const last = api.ui.shown.at(-1);
    assert.equal(last?.severity, 'error');
    assert.match(
      last?.message ?? '',
      /Azure Functions Core Tools 4\.0\.6821 is too old for MCP tools: 4\.0\.7030 or later is needed\./,
    );
    assert.deepEqual(last?.actions, ['Install Core Tools', 'Show Logs']);
  });

  it('auto falls back to the embedded host when func is too old, and says so', async () => {
    const api = await testApi();
    await setSetting('funcPath', fakeOldFunc);
    await setSetting('localServer.host', 'auto');
    const state = await vscode.commands.executeCommand<LocalServerState>('remoteMcp.startLocalServer');
    assert.equal(state?.status === 'running' && state.host, 'embedded');
    assert.ok(
      api.ui.shown.some(
        (shown) =>
          shown.severity === 'warning' &&
          /4\.0\.6821 is too old.*Using the embedded host instead/.test(shown.message),
      ),
    );
  });
});
