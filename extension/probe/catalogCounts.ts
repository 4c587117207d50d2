// How a server's offer is said in one line (the status view, its log): plain text, no SDK, so the
// view can use it without loading the MCP client bundle.
import type { ServerCatalog } from './mcpProbe';

/** "3 tools · 1 prompt · 2 resources": prompts and resources only for a server that offers them. */
export function catalogCounts(catalog: ServerCatalog, separator = ' · '): string {
  const counted = (items: readonly unknown[] | undefined, noun: string) =>
    items ? `${items.length} ${noun}${items.length === 1 ? '' : 's'}` : undefined;
  return [
    counted(catalog.tools, 'tool'),
    counted(catalog.prompts, 'prompt'),
    counted(catalog.resources, 'resource'),
  ]
    .filter(Boolean)
    .join(separator);
}
