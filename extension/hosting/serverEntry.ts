// Which file starts a user's MCP SDK server (issue 13, point 3): what host.json's custom handler runs
// (`customHandler.description.arguments`), and which source files to read for its port and transport.
// Plain Node: reads files only.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'jsonc-parser';
import { isObject, type JsonObject } from '../project/projectFiles';

export interface ServerEntry {
  language: 'node' | 'python';
  /** Relative to the project folder, `/`-separated: what host.json's `arguments` holds (e.g. `dist/index.js`). */
  entry: string;
  /** Where the entry was found, for messages: "package.json main", "the start script", … */
  foundIn: string;
  /** The `build` script, when the entry is what it produces (TypeScript compiled to `dist/`). */
  buildScript?: string;
  /** Source files to read for the port and the transport, the entry's own source first; relative, `/`-separated. */
  sources: string[];
}

/** Source files are read to find the port and the transport; a server is a handful of files, not hundreds. */
const maxSources = 200;
const skippedDirs = new Set([
  'node_modules',
  '.git',
  '.venv',
  'venv',
  '__pycache__',
  '.vscode',
  'dist',
  'build',
  'out',
]);

/** The entry of a Node or Python server, or undefined when none can be told from its files. */
export async function findServerEntry(
  folder: string,
  language: 'node' | 'python',
): Promise<ServerEntry | undefined> {
  return language === 'node' ? findNodeEntry(folder) : findPythonEntry(folder);
}

async function findNodeEntry(folder: string): Promise<ServerEntry | undefined> {
  const packageJson = await readJson(path.join(folder, 'package.json'));
  if (!packageJson) return undefined;
  const scripts = isObject(packageJson.scripts) ? packageJson.scripts : {};
  const buildScript = typeof scripts.build === 'string' ? scripts.build : undefined;
  const found = nodeEntryFromPackage(packageJson, scripts);
  if (!found) return undefined;
  const entry = toPosix(path.normalize(found.file));
  const sourceFiles = await listSources(folder, /\.(ts|mts|cts|js|mjs|cjs)$/);
  const entrySource = await compiledFrom(folder, entry, sourceFiles);
  const compiled = entrySource !== undefined && entrySource !== entry;
  return {
    language: 'node',
    entry,
    foundIn: found.foundIn,
    ...(compiled && buildScript !== undefined ? { buildScript } : {}),
    sources: orderFirst(sourceFiles, entrySource ?? entry),
  };
}

/** package.json `main`, else the file the `start` script runs with `node`, else the first `bin`. */
function nodeEntryFromPackage(
  packageJson: JsonObject,
  scripts: JsonObject,
): { file: string; foundIn: string } | undefined {
  if (typeof packageJson.main === 'string' && packageJson.main.trim() !== '')
    return { file: withJsExtension(packageJson.main.trim()), foundIn: 'package.json "main"' };
  const start = typeof scripts.start === 'string' ? scripts.start : undefined;
  const started = start?.match(/(?:^|&&|;)\s*node\s+(?:--?[\w-]+(?:=\S+)?\s+)*([^\s&;|]+\.(?:c|m)?js)\b/);
  if (started?.[1]) return { file: started[1], foundIn: 'the "start" script of package.json' };
  const bin = packageJson.bin;
  const binFile =
    typeof bin === 'string'
      ? bin
      : isObject(bin)
        ? Object.values(bin).find((v) => typeof v === 'string')
        : undefined;
  if (typeof binFile === 'string') return { file: binFile, foundIn: 'package.json "bin"' };
  return undefined;
}

/** Node resolves `main: "dist/index"` to `dist/index.js`; host.json's arguments must name the file itself. */
function withJsExtension(file: string): string {
  return /\.(c|m)?js$/.test(file) ? file : `${file.replace(/\/$/, '')}.js`;
}

/**
 * The TypeScript source a compiled entry comes from: tsconfig.json's `outDir` mapped back to its
 * `rootDir` (or to `src/`, TypeScript's usual layout when rootDir is not set), `.js` to `.ts`.
 * Undefined when the entry is not in the output folder (plain JavaScript: the entry is the source).
 */
async function compiledFrom(
  folder: string,
  entry: string,
  sources: readonly string[],
): Promise<string | undefined> {
  const options = (await readJson(path.join(folder, 'tsconfig.json')))?.compilerOptions;
  const outDir = isObject(options) && typeof options.outDir === 'string' ? options.outDir : undefined;
  const rootDir = isObject(options) && typeof options.rootDir === 'string' ? options.rootDir : undefined;
  const out = toPosix(path.normalize(outDir ?? 'dist'));
  if (!entry.startsWith(`${out}/`)) return sources.includes(entry) ? entry : undefined;
  const inside = entry.slice(out.length + 1);
  const roots = rootDir !== undefined ? [toPosix(path.normalize(rootDir))] : ['src', '.'];
  for (const root of roots) {
    const base = (root === '.' ? inside : `${root}/${inside}`).replace(/\.(c|m)?js$/, '');
    const source = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']
      .map((extension) => base + extension)
      .find((candidate) => sources.includes(candidate));
    if (source) return source;
  }
  return undefined;
}

/**
 * The `.py` file that creates the server: the one that constructs `FastMCP(` / `Server(` or runs it
 * (`mcp.run(`, `uvicorn.run(`), preferring server.py, main.py, app.py as the samples name it.
 */
async function findPythonEntry(folder: string): Promise<ServerEntry | undefined> {
  const sources = await listSources(folder, /\.py$/);
  const preferred = ['server.py', 'main.py', 'app.py'];
  const creates = /\b(FastMCP|Server)\s*\(|\b\w+\.run\s*\(|\buvicorn\.run\s*\(/;
  const rank = (file: string) => {
    const index = preferred.indexOf(file);
    return index === -1 ? preferred.length + file.split('/').length : index;
  };
  const creators: string[] = [];
  for (const file of sources) {
    const text = await readFile(path.join(folder, file), 'utf8').catch(() => '');
    if (creates.test(text)) creators.push(file);
  }
  const entry = creators.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))[0];
  if (!entry) return undefined;
  return {
    language: 'python',
    entry,
    foundIn: 'the file that creates the MCP server',
    sources: orderFirst(sources, entry),
  };
}

/** Source files of the project, relative and sorted, skipping dependencies and build output. */
async function listSources(folder: string, pattern: RegExp): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(folder, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= maxSources) return;
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory() && !skippedDirs.has(entry.name) && !entry.name.startsWith('.'))
        await walk(child);
      else if (entry.isFile() && pattern.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(child);
    }
  };
  await walk('');
  return found;
}

function orderFirst(files: readonly string[], first: string): string[] {
  return files.includes(first) ? [first, ...files.filter((file) => file !== first)] : [...files];
}

async function readJson(file: string): Promise<JsonObject | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const value: unknown = parse(text, [], { allowTrailingComma: true });
  return isObject(value) ? value : undefined;
}

/** Whether the entry file exists (a TypeScript project's `dist/` is absent until it is built). */
export async function entryExists(folder: string, entry: string): Promise<boolean> {
  return (await stat(path.join(folder, entry)).catch(() => undefined))?.isFile() ?? false;
}

export function toPosix(file: string): string {
  return file.split(path.sep).join('/').replace(/^\.\//, '');
}
