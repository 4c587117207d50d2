import * as vscode from 'vscode';
import type { LocalServerManager } from '../localServer/localServerManager';
import type { McpClientStarter } from '../vscodeMcpClient/mcpClientStarter';
import { statusViewNodes, type ServerNode } from './serverNodes';
import type { ServerStatusModel } from './serverStatus';

export type { ServerNode };

/** The thin VS Code side of the view: the nodes come from serverNodes.ts, the state from the model. */
export class ServersTreeProvider implements vscode.TreeDataProvider<ServerNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: { dispose(): void }[];
  /** Each node's parent in the latest tree, for reveal(). */
  private parents = new Map<string, ServerNode>();

  constructor(
    private readonly localServer: LocalServerManager,
    private readonly model: ServerStatusModel,
    private readonly timeoutSeconds: () => number,
    private readonly mcpClient: Pick<McpClientStarter, 'state' | 'onDidChange'>,
  ) {
    this.subscriptions = [
      localServer.onDidChange(() => this.changed.fire()),
      model.onDidChange(() => this.changed.fire()),
      mcpClient.onDidChange(() => this.changed.fire()),
    ];
  }

  async getChildren(node?: ServerNode): Promise<ServerNode[]> {
    if (node) return node.children ?? [];
    const nodes = statusViewNodes(this.localServer.state, await this.model.snapshot(), {
      timeoutSeconds: this.timeoutSeconds(),
      mcpClient: (label) => this.mcpClient.state(label),
    });
    const parents = new Map<string, ServerNode>();
    const walk = (parent: ServerNode) => {
      for (const child of parent.children ?? []) {
        parents.set(child.id, parent);
        walk(child);
      }
    };
    nodes.forEach(walk);
    this.parents = parents;
    return nodes;
  }

  getParent(node: ServerNode): ServerNode | undefined {
    return this.parents.get(node.id);
  }

  /** The node of a deployed server, wherever it sits in the tree (tests, reveal). */
  async findServer(resourceId: string): Promise<ServerNode | undefined> {
    const search = (nodes: readonly ServerNode[]): ServerNode | undefined => {
      for (const node of nodes) {
        if (node.server && node.server.resourceId.toLowerCase() === resourceId.toLowerCase()) return node;
        const found = node.children && !node.server ? search(node.children) : undefined;
        if (found) return found;
      }
      return undefined;
    };
    return search(await this.getChildren());
  }

  getTreeItem(node: ServerNode): vscode.TreeItem {
    const item = new vscode.TreeItem(
      node.label,
      node.children?.length
        ? node.expanded
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
    if (node.command) item.command = node.command;
    return item;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
