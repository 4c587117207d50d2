import * as vscode from 'vscode';
import { hostIsRunning } from '../common/net';
import type { UserInterface } from '../common/ui';
import type { LocalServerManager, LocalServerState } from '../localServer/localServerManager';

export const localServerLabel = 'Local MCP server';

/**
 * Hands VS Code's MCP client (and so Copilot agent mode) our servers, with no mcp.json: the local
 * server while it runs. `provideMcpServerDefinitions` must be fast and never prompt; checks and
 * prompts belong in `resolveMcpServerDefinition`, which runs when VS Code starts a server.
 */
export class RemoteMcpDefinitionProvider implements vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  private lastKey = '';

  constructor(
    private readonly localServer: LocalServerManager,
    private readonly ui: UserInterface,
  ) {
    localServer.onDidChange((state) => {
      // Only a start or a stop changes what VS Code should see; tool counts and progress do not.
      const key = state.status === 'running' ? `${state.url}#${state.version}` : '';
      if (key !== this.lastKey) {
        this.lastKey = key;
        this.changed.fire();
      }
    });
  }

  provideMcpServerDefinitions(): vscode.McpHttpServerDefinition[] {
    const state = this.localServer.state;
    return state.status === 'running' ? [localDefinition(state)] : [];
  }

  async resolveMcpServerDefinition(
    definition: vscode.McpHttpServerDefinition,
  ): Promise<vscode.McpHttpServerDefinition | undefined> {
    const state = this.localServer.state;
    if (definition.label === localServerLabel) {
      if (state.status !== 'running' || !(await hostIsRunning(state.port, 5000))) {
        await this.ui.showError(
          `The local MCP server is not answering${state.status === 'running' ? ` on port ${state.port}` : ''}. Start it with "Remote MCP: Start Local Server".`,
          [
            {
              title: 'Start Local Server',
              run: () => vscode.commands.executeCommand('remoteMcp.startLocalServer'),
            },
          ],
        );
        return undefined;
      }
    }
    return definition;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function localDefinition(
  state: Extract<LocalServerState, { status: 'running' }>,
): vscode.McpHttpServerDefinition {
  return new vscode.McpHttpServerDefinition(localServerLabel, vscode.Uri.parse(state.url), {}, state.version);
}
