// Before the embedded host loads a user's Node.js Functions app (issue 14): are its dependencies
// installed, and is it built? A fresh clone of a TypeScript app lacks both; here each becomes a
// state the caller turns into a message with the exact command (Start Local Server, npm start).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { missingDependencies, objectField, readPackageJson } from '../selfHostedRun/nodePreflight';

export type FunctionsAppPreflight =
  | { status: 'ready' }
  /** Dependencies that do not resolve from the folder: `npm install` is needed there. */
  | { status: 'notInstalled'; missing: string[] }
  /** package.json `main` matches no file and package.json has a `build` script to make it. */
  | { status: 'notBuilt'; main: string }
  /** `main` matches no file and nothing in package.json builds it. */
  | { status: 'noEntry'; main: string };

/**
 * The Node worker loads package.json `main`, a file or a glob pattern (`dist/src/functions/*.js`),
 * and refuses an app whose pattern matches no file (Azure/azure-functions-nodejs-worker
 * src/startApp.ts, which expands it with globby). An app without `main` is left to the host, which
 * says what it found.
 */
export function functionsAppPreflight(folder: string): FunctionsAppPreflight {
  const packageJson = readPackageJson(folder);
  const missing = missingDependencies(folder, packageJson);
  if (missing.length > 0) return { status: 'notInstalled', missing };
  const main = packageJson.main;
  if (typeof main !== 'string' || !main.trim() || matchesSomeFile(folder, main)) return { status: 'ready' };
  return typeof objectField(packageJson, 'scripts').build === 'string'
    ? { status: 'notBuilt', main }
    : { status: 'noEntry', main };
}

/** Whether a path or glob pattern (`*`, `**`, `?`, `{a,b}`), relative to `folder`, names an existing file. */
export function matchesSomeFile(folder: string, pattern: string): boolean {
  const segments = pattern.replace(/\\/g, '/').replace(/^\.\//, '').split('/');
  const firstGlob = segments.findIndex((segment) => /[*?{[]/.test(segment));
  const fixed = firstGlob < 0 ? segments : segments.slice(0, firstGlob);
  const base = path.join(folder, ...fixed);
  if (firstGlob < 0) return isFile(base);
  const matcher = globRegExp(segments.slice(firstGlob).join('/'));
  return someFileUnder(base, '', matcher, 0);
}

const maxDepth = 12;

function someFileUnder(dir: string, relative: string, matcher: RegExp, depth: number): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    const name = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isFile() && matcher.test(name)) return true;
    if (entry.isDirectory() && entry.name !== 'node_modules' && depth < maxDepth) {
      if (someFileUnder(path.join(dir, entry.name), name, matcher, depth + 1)) return true;
    }
  }
  return false;
}

/**
 * The glob syntax of the patterns apps put in `main`, as a RegExp over '/'-separated paths. Node's
 * own path.matchesGlob is experimental (and prints a warning) in the Node versions VS Code ships.
 */
export function globRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern.charAt(index);
    if (char === '*' && pattern[index + 1] === '*') {
      const slashAfter = pattern[index + 2] === '/';
      source += slashAfter ? '(?:[^/]*/)*' : '.*';
      index += slashAfter ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') source += '(?:';
    else if (char === '}') source += ')';
    else if (char === ',' && pattern.lastIndexOf('{', index) > pattern.lastIndexOf('}', index)) source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
