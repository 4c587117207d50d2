// Before a Node self-hosted server starts: are its dependencies installed, and is it built? Both
// are the first things a fresh clone lacks, and both fail later with a stack trace the user has to
// decode; here they become a message with the exact command.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DirectRun } from '../mcpProject/mcpProject';

export type NodePreflight =
  | { status: 'ready' }
  /** Dependencies that do not resolve from the folder: `npm install` is needed there. */
  | { status: 'notInstalled'; missing: string[] }
  /** The entry file is missing and package.json has a `build` script to make it. */
  | { status: 'notBuilt'; entry: string }
  /** The entry file is missing and nothing in package.json builds it. */
  | { status: 'noEntry'; entry: string };

/**
 * Dependencies are looked up the way Node resolves them from the folder (`require.resolve.paths`,
 * every node_modules up the tree), not by the folder's own node_modules: npm workspaces hoist them
 * to the root.
 */
export function nodePreflight(folder: string, direct: DirectRun): NodePreflight {
  const packageJson = readPackageJson(folder);
  const missing = missingDependencies(folder, packageJson);
  if (missing.length > 0) return { status: 'notInstalled', missing };

  const entry = entryFile(direct);
  if (entry === undefined || existsSync(entry)) return { status: 'ready' };
  return typeof objectField(packageJson, 'scripts').build === 'string'
    ? { status: 'notBuilt', entry }
    : { status: 'noEntry', entry };
}

/**
 * The script node runs: the first argument that is not an option (`--enable-source-maps dist/index.js`).
 * Other programs (`npm start`, `npx tsx src/index.ts`) name no file to check.
 */
export function entryFile(direct: DirectRun): string | undefined {
  if (!/^node(\.exe)?$/i.test(path.basename(direct.executable))) return undefined;
  const script = direct.args.find((arg) => !arg.startsWith('-'));
  return script === undefined ? undefined : path.resolve(direct.cwd, script);
}

/** package.json `dependencies` that do not resolve from the folder. */
export function missingDependencies(folder: string, packageJson = readPackageJson(folder)): string[] {
  const dependencies = Object.keys(objectField(packageJson, 'dependencies'));
  const lookupDirs = createRequire(path.join(folder, 'package.json')).resolve.paths('x') ?? [];
  return dependencies.filter(
    (name) => !lookupDirs.some((dir) => existsSync(path.join(dir, name, 'package.json'))),
  );
}

export function readPackageJson(folder: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function objectField(object: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = object[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
