import * as vscode from 'vscode';
import { BuiltInCommandId } from '../commandIds';
import type { LocalServerManager, LocalServerState } from './localServerManager';

/** Shows the local server's state while it is not stopped; a click opens the MCP Servers view. */
export function createLocalServerStatusBarItem(localServer: LocalServerManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('remoteMcp.localServer', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Remote MCP: local server';
  item.command = BuiltInCommandId.focusServersView;
  const render = (state: LocalServerState) => {
    void vscode.commands.executeCommand(
      'setContext',
      'remoteMcp.localServerActive',
      state.status !== 'stopped',
    );
    if (state.status === 'stopped') {
      item.hide();
      return;
    }
    item.text =
      state.status === 'running'
        ? `$(vm-running) MCP :${state.port}`
        : `$(loading~spin) MCP ${state.status === 'starting' ? 'starting' : 'stopping'}`;
    item.tooltip =
      state.status === 'running'
        ? `Local MCP server ${state.project.name} (${state.host} host) at ${state.url}`
        : `Local MCP server ${state.status}…`;
    item.show();
  };
  render(localServer.state);
  const subscription = localServer.onDidChange(render);
  return vscode.Disposable.from(item, subscription);
}
