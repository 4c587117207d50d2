// Before the embedded host loads a user's Node.js Functions app (issue 14): are its dependencies
// installed, and is it built? A fresh clone of a TypeScript app lacks both; here each becomes a
// state the caller turns into a message with the exact command (Start Local Server, npm start).
import { entryFiles } from './entryFiles';
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

/** Whether a path or glob pattern, relative to `folder`, names an existing file. */
export function matchesSomeFile(folder: string, pattern: string): boolean {
  return entryFiles(folder, pattern).length > 0;
}
