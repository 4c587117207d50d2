import * as vscode from 'vscode';
import type { LocalServerManager, LocalServerState } from '../localServer/localServerManager';
import type { FunctionKeyStore } from '../remote/keyStore';
import type { RemoteServer, RemoteServerRegistry } from '../remote/remoteServers';

/** A node of the MCP Servers view. `contextValue` drives the inline actions in package.json. */
export interface ServerNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  contextValue?: string;
  children?: ServerNode[];
}

/** The view's content, as plain data: what the tree shows and what tests read. */
export function localServerNodes(state: LocalServerState): ServerNode[] {
  if (state.status === 'stopped') return [];
  const hostName = (host: 'func' | 'embedded' | undefined) =>
    host === 'func'
      ? 'Azure Functions Core Tools (func start)'
      : host === 'embedded'
        ? 'embedded host'
        : 'choosing…';
  if (state.status !== 'running') {
    return [
      {
        id: 'local',
        label: 'Local server',
        description: state.status === 'starting' ? 'starting…' : 'stopping…',
        icon: 'loading~spin',
        contextValue: `localServer.${state.status}`,
        tooltip: `Port ${state.port}, ${hostName(state.host)}`,
      },
    ];
  }
  const tools = state.tools;
  return [
    {
      id: 'local',
      label: 'Local server',
      description: `running · ${state.host} · ${tools ? `${tools.length} tools` : 'tools…'}`,
      tooltip: `${state.url}\nHost: ${hostName(state.host)}\nProject: ${state.project.dir}`,
      icon: 'vm-running',
      contextValue: 'localServer.running',
      children: [
        { id: 'local/url', label: 'URL', description: state.url, icon: 'link', tooltip: state.url },
        { id: 'local/host', label: 'Host', description: hostName(state.host), icon: 'server-process' },
        {
          id: 'local/storage',
          label: 'Snippet storage',
          description: state.storageAvailable ? 'Azurite' : 'unavailable: install Azurite',
          icon: state.storageAvailable ? 'database' : 'warning',
        },
        {
          id: 'local/tools',
          label: 'Tools',
          description: tools ? String(tools.length) : 'reading…',
          icon: 'tools',
          children: (tools ?? []).map((tool) => ({
            id: `local/tools/${tool.name}`,
            label: tool.name,
            description: tool.description,
            tooltip: tool.description,
            icon: 'symbol-method',
          })),
        },
      ],
    },
  ];
}

/** A deployed server: whether VS Code uses it, whether its key is stored, and where it is. */
export function remoteServerNode(server: RemoteServer, keyStored: boolean): ServerNode {
  const details: ServerNode[] = [
    {
      id: `${server.resourceId}/endpoint`,
      label: 'Endpoint',
      description: server.endpoint,
      icon: 'link',
      tooltip: server.endpoint,
    },
    server.auth?.mode === 'entra'
      ? {
          id: `${server.resourceId}/auth`,
          label: 'Sign-in',
          description: `Microsoft Entra (${server.auth.scopes.join(' ') || 'scope from the server'})`,
          icon: 'shield',
        }
      : {
          id: `${server.resourceId}/key`,
          label: 'Key',
          description: keyStored ? 'in secret storage' : 'not fetched',
          icon: 'key',
        },
  ];
  if (server.environment)
    details.push({
      id: `${server.resourceId}/env`,
      label: 'azd environment',
      description: server.environment,
      icon: 'symbol-namespace',
    });
  if (server.location)
    details.push({
      id: `${server.resourceId}/location`,
      label: 'Region',
      description: server.location,
      icon: 'globe',
    });
  if (server.lastDeployedAt) {
    details.push({
      id: `${server.resourceId}/deployed`,
      label: 'Last deployed',
      description: new Date(server.lastDeployedAt).toLocaleString(),
      icon: 'history',
    });
  }
  return {
    id: server.resourceId,
    label: server.name,
    description: `${server.connected ? 'connected' : 'deployed, not connected'} · ${
      server.auth?.mode === 'entra' ? 'Entra sign-in' : keyStored ? 'key stored' : 'no key'
    }`,
    tooltip: `${server.endpoint}\n${server.resourceId}`,
    icon: server.connected ? 'cloud' : 'cloud-upload',
    contextValue: server.connected ? 'remoteServer.connected' : 'remoteServer.deployed',
    children: details,
  };
}

export class ServersTreeProvider implements vscode.TreeDataProvider<ServerNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly localServer: LocalServerManager,
    private readonly remoteServers: RemoteServerRegistry,
    private readonly keys: FunctionKeyStore,
  ) {
    localServer.onDidChange(() => this.changed.fire());
    remoteServers.onDidChange(() => this.changed.fire());
    keys.onDidChange(() => this.changed.fire());
  }

  async getChildren(node?: ServerNode): Promise<ServerNode[]> {
    if (node) return node.children ?? [];
    const remote = await Promise.all(
      this.remoteServers
        .list()
        .map(async (server) =>
          remoteServerNode(server, (await this.keys.get(server.resourceId)) !== undefined),
        ),
    );
    return [...localServerNodes(this.localServer.state), ...remote];
  }

  getTreeItem(node: ServerNode): vscode.TreeItem {
    const item = new vscode.TreeItem(
      node.label,
      node.children?.length
        ? node.id === 'local' || node.contextValue?.startsWith('remoteServer')
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
