// Reading the MCP Servers view's nodes (extension/statusView/serverNodes.ts) in tests.
import type { ServerNode } from '../../extension/statusView/serverNodes';

/** The node of the deployed server with this label, anywhere in the tree. */
export function findServerNode(nodes: readonly ServerNode[], label: string): ServerNode | undefined {
  for (const node of nodes) {
    if (node.label === label && node.server) return node;
    const found = findServerNode(node.children ?? [], label);
    if (found) return found;
  }
  return undefined;
}

/** The description of a server node's detail row (State, Endpoint, Kind, ...). */
export const detailOf = (node: ServerNode | undefined, label: string): string | undefined =>
  node?.children?.find((child) => child.label === label)?.description;
