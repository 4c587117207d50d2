import * as vscode from 'vscode';
import type { Logger } from '../common/log';
import type { UserInterface } from '../common/ui';
import type { LocalServerManager, LocalServerState } from '../localServer/localServerManager';
import type { EntraTokenSource } from '../auth/entraToken';
import type { RemoteKeyService } from '../remote/keyService';
import { mcpUrlOf, type RemoteServer, type RemoteServerRegistry } from '../remote/remoteServers';
import { Listeners } from '../common/listeners';
import type { DefinitionEvents, HandedDefinition } from '../vscodeMcpClient/mcpClientStarter';
import { remoteConnectionHeaders } from './remoteConnection';
import { localServerLabel, remoteServerLabel } from './serverLabels';
import { CommandId } from '../commandIds';

/**
 * Hands VS Code's MCP client (and so Copilot agent mode) our servers, with no mcp.json: the local
 * server while it runs, and every deployed server of the workspace. `provideMcpServerDefinitions`
 * must be fast and never prompt; keys, checks and prompts belong in `resolveMcpServerDefinition`,
 * which runs when VS Code starts a server. Keys go into the headers only there.
 *
 * Each definition's `version` changes on every Start (local) and Connect (remote): VS Code then
 * stops a server it still runs from before and refreshes its tool list; McpClientStarter starts it
 * again. Both calls from VS Code are announced (DefinitionEvents) so the starter knows when VS Code
 * has the definitions and when it starts a server.
 */
export class RemoteMcpDefinitionProvider
  implements vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition>, DefinitionEvents
{
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  private lastLocalKey = '';
  private readonly provided = new Listeners<readonly HandedDefinition[]>();
  private readonly resolvedListeners = new Listeners<{ label: string; started: boolean }>();

  constructor(
    private readonly localServer: LocalServerManager,
    private readonly remoteServers: RemoteServerRegistry,
    private readonly keys: RemoteKeyService,
    private readonly tokens: EntraTokenSource,
    private readonly ui: UserInterface,
    private readonly log: Logger,
  ) {
    localServer.onDidChange((state) => {
      // Only a start or a stop changes what VS Code should see; tool counts and progress do not.
      const key = state.status === 'running' ? `${state.url}#${state.version}` : '';
      if (key !== this.lastLocalKey) {
        this.lastLocalKey = key;
        this.changed.fire();
      }
    });
    remoteServers.onDidChange(() => this.changed.fire());
  }

  onDidProvide(listener: (definitions: readonly HandedDefinition[]) => void): { dispose(): void } {
    return this.provided.add(listener);
  }

  onDidResolve(listener: (label: string, started: boolean) => void): { dispose(): void } {
    return this.resolvedListeners.add(({ label, started }) => listener(label, started));
  }

  /**
   * VS Code passes a cancellation token; a call without one (a test reading the definitions) is
   * not VS Code reading them, so it is not announced.
   */
  provideMcpServerDefinitions(token?: vscode.CancellationToken): vscode.McpHttpServerDefinition[] {
    const state = this.localServer.state;
    const local = state.status === 'running' ? [localDefinition(state)] : [];
    const remote = this.remoteServers
      .list()
      .filter((server) => server.connected)
      .map(
        (server) =>
          new vscode.McpHttpServerDefinition(
            remoteServerLabel(server),
            // The gateway's URL when connected through API Management, else the app's endpoint.
            vscode.Uri.parse(mcpUrlOf(server)),
            {},
            server.connectedAt,
          ),
      );
    const definitions = [...local, ...remote];
    if (token) this.provided.fire(definitions.map(({ label, version }) => ({ label, version })));
    return definitions;
  }

  async resolveMcpServerDefinition(
    definition: vscode.McpHttpServerDefinition,
  ): Promise<vscode.McpHttpServerDefinition | undefined> {
    let resolved: vscode.McpHttpServerDefinition | undefined;
    try {
      resolved = await this.resolve(definition);
      return resolved;
    } finally {
      this.resolvedListeners.fire({ label: definition.label, started: resolved !== undefined });
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.provided.clear();
    this.resolvedListeners.clear();
  }

  private resolve(definition: vscode.McpHttpServerDefinition) {
    if (definition.label === localServerLabel) return this.resolveLocal(definition);
    const server = this.remoteServers
      .list()
      .find((candidate) => remoteServerLabel(candidate) === definition.label);
    return server ? this.resolveRemote(definition, server) : Promise.resolve(definition);
  }

  private async resolveLocal(definition: vscode.McpHttpServerDefinition) {
    const state = this.localServer.state;
    // The running server's own readiness check: a self-hosted server has no Functions status route.
    if (state.status !== 'running' || !(await this.localServer.isAnswering(5000))) {
      await this.ui.showError(
        `The local MCP server is not answering${state.status === 'running' ? ` on port ${state.port}` : ''}. Start it with "Remote MCP: Start Local Server".`,
        [
          {
            title: 'Start Local Server',
            run: () => vscode.commands.executeCommand(CommandId.startLocalServer),
          },
        ],
      );
      return undefined;
    }
    return definition;
  }

  private async resolveRemote(definition: vscode.McpHttpServerDefinition, server: RemoteServer) {
    const headers = await remoteConnectionHeaders(server, {
      keys: this.keys,
      tokens: this.tokens,
      ui: this.ui,
      log: this.log,
    });
    if (!headers) return undefined;
    definition.headers = { ...definition.headers, ...headers };
    return definition;
  }
}

function localDefinition(
  state: Extract<LocalServerState, { status: 'running' }>,
): vscode.McpHttpServerDefinition {
  return new vscode.McpHttpServerDefinition(localServerLabel, vscode.Uri.parse(state.url), {}, state.version);
}
