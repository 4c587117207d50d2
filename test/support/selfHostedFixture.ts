// Copies of the self-hosted fixture projects (test/fixtures/projects/) in a temporary folder, as
// a user's checkout: host.json's port set to a free one, node_modules resolvable (a link to the
// repository's, which holds the fixture's dependencies), and a build made once and shared.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './processes';

const repo = path.resolve(__dirname, '../..');
export const fixtureProjects = path.join(repo, 'test/fixtures/projects');

export interface FixtureCopy {
  folder: string;
  port: number;
  remove(): void;
}

export interface FixtureOptions {
  port?: number;
  /** Link node_modules to the repository's (default true for Node fixtures). */
  nodeModules?: boolean;
  /** Copy in a build made once for all tests (default false: the project is as cloned). */
  built?: boolean;
}

export async function copyFixture(
  name: 'node-self-hosted' | 'python-self-hosted',
  options: FixtureOptions = {},
): Promise<FixtureCopy> {
  const parent = mkdtempSync(path.join(os.tmpdir(), `remote-mcp-${name}-`));
  const folder = path.join(parent, name);
  copyAsCloned(name, folder);
  const port = options.port ?? (await freePort());
  setHostJsonPort(folder, port);
  if (name === 'node-self-hosted' && options.nodeModules !== false) linkNodeModules(folder);
  if (options.built) cpSync(builtDist(name), path.join(folder, 'dist'), { recursive: true });
  return { folder, port, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/** The fixture's files without what a clone never holds (a build or dependencies left by a run). */
export function copyAsCloned(name: string, folder: string): void {
  cpSync(path.join(fixtureProjects, name), folder, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist)$/.test(source),
  });
}

export function setHostJsonPort(folder: string, port: number): void {
  const file = path.join(folder, 'host.json');
  const hostJson = JSON.parse(readFileSync(file, 'utf8')) as { customHandler: { port: string } };
  hostJson.customHandler.port = String(port);
  writeFileSync(file, JSON.stringify(hostJson, null, 2));
}

export function linkNodeModules(folder: string): void {
  symlinkSync(path.join(repo, 'node_modules'), path.join(folder, 'node_modules'), 'junction');
}

const builtDists = new Map<string, string>();

/** A Node fixture's dist/, built once per test process with its own `npm run build` (tsc). */
export function builtDist(name: string): string {
  const cached = builtDists.get(name);
  if (cached && existsSync(cached)) return cached;
  const parent = mkdtempSync(path.join(os.tmpdir(), `remote-mcp-${name}-build-`));
  const folder = path.join(parent, name);
  copyAsCloned(name, folder);
  linkNodeModules(folder);
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: folder,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  if (build.status !== 0) throw new Error(`The fixture's build failed: ${build.stdout}${build.stderr}`);
  process.once('exit', () => rmSync(parent, { recursive: true, force: true }));
  const dist = path.join(folder, 'dist');
  builtDists.set(name, dist);
  return dist;
}
