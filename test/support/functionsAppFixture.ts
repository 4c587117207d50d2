// Copies of the Functions MCP app fixtures (test/fixtures/projects/) in a temporary folder, as a
// user's fresh clone: no dist/, node_modules a link to the repository's (which holds
// @azure/functions and typescript), so the app's own `npm run build` works there.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixtureProjects, linkNodeModules } from './selfHostedFixture';

export interface FunctionsAppCopy {
  folder: string;
  remove(): void;
}

export function copyFunctionsApp(
  name: 'ts-functions-mcp' | 'python-functions-mcp' | 'dotnet-functions-mcp',
  options: {
    nodeModules?: boolean;
    /** Copy in the TypeScript app's build, made once per test process (default: as cloned, unbuilt). */
    built?: boolean;
  } = {},
): FunctionsAppCopy {
  const parent = mkdtempSync(path.join(os.tmpdir(), `remote-mcp-${name}-`));
  const folder = path.join(parent, name);
  copyAsCloned(name, folder);
  if (name === 'ts-functions-mcp' && options.nodeModules !== false) linkNodeModules(folder);
  if (name === 'ts-functions-mcp' && options.built)
    cpSync(builtDist(), path.join(folder, 'dist'), { recursive: true });
  return { folder, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

function copyAsCloned(name: string, folder: string): void {
  cpSync(path.join(fixtureProjects, name), folder, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist)$/.test(source),
  });
}

let cachedDist: string | undefined;

/** The TypeScript app's dist/, built with its own `npm run build` (tsc) once per test process. */
function builtDist(): string {
  if (cachedDist && existsSync(cachedDist)) return cachedDist;
  const parent = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-ts-functions-mcp-build-'));
  const folder = path.join(parent, 'ts-functions-mcp');
  copyAsCloned('ts-functions-mcp', folder);
  linkNodeModules(folder);
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: folder,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  if (build.status !== 0) throw new Error(`The fixture's build failed: ${build.stdout}${build.stderr}`);
  process.once('exit', () => rmSync(parent, { recursive: true, force: true }));
  cachedDist = path.join(folder, 'dist');
  return cachedDist;
}
