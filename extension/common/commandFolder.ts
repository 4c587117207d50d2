/**
 * The folder a command was run on: the Explorer's context menu passes the folder's Uri, Deploy to
 * Azure and tests pass a path, the Command Palette passes nothing.
 */
export function folderOfCommandArgument(resource: unknown): string | undefined {
  if (typeof resource === 'string') return resource;
  const fsPath = (resource as { fsPath?: unknown } | undefined)?.fsPath;
  return typeof fsPath === 'string' ? fsPath : undefined;
}
