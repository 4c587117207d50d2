import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The Functions app the local server runs. */
export interface ServerProject {
  dir: string;
  /** A folder of the user's workspace, or the copy of the server bundled in the extension. */
  source: 'workspace' | 'bundled';
  /** The embedded host bundle of this project, when it has one. */
  embeddedEntry: string | undefined;
  /** `Values` of local.settings.json: the app settings a local run should see. */
  localSettings: Record<string, string>;
}

/**
 * A workspace folder (or its `server/` sub-folder, this repository's layout) whose host.json
 * configures `extensions.mcp` is the user's own MCP project and wins; otherwise the bundled server.
 */
export function findServerProject(
  workspaceFolders: readonly string[],
  bundledServerDir: string,
): ServerProject {
  for (const folder of workspaceFolders) {
    for (const dir of [folder, path.join(folder, 'server')]) {
      if (hasMcpHostJson(dir)) return describeProject(dir, 'workspace');
    }
  }
  return describeProject(bundledServerDir, 'bundled');
}

function describeProject(dir: string, source: ServerProject['source']): ServerProject {
  const embeddedEntry = path.join(dir, 'dist', 'embedded.js');
  return {
    dir,
    source,
    embeddedEntry: existsSync(embeddedEntry) ? embeddedEntry : undefined,
    localSettings: readLocalSettings(dir),
  };
}

function hasMcpHostJson(dir: string): boolean {
  const hostJson = readJsonObject(path.join(dir, 'host.json'));
  const extensions = hostJson?.extensions as Record<string, unknown> | undefined;
  return typeof extensions?.mcp === 'object' && extensions.mcp !== null;
}

function readLocalSettings(dir: string): Record<string, string> {
  const values = readJsonObject(path.join(dir, 'local.settings.json'))?.Values;
  if (typeof values !== 'object' || values === null) return {};
  return Object.fromEntries(
    Object.entries(values as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/** host.json may carry comments, which plain JSON.parse rejects; a file that still fails to parse does not count. */
function readJsonObject(file: string): Record<string, unknown> | undefined {
  try {
    const text = readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
