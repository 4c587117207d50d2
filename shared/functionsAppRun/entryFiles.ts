// The files a Functions app's package.json `main` names: a path or a glob pattern, which the
// Functions Node worker expands with globby (Azure/azure-functions-nodejs-worker: src/startApp.ts).
// tinyglobby reads the same patterns (`*`, `**`, `?`, `{a,b}`, `[…]`) without globby's weight.
import { globSync, isDynamicPattern } from 'tinyglobby';

/** The files under `folder` that `main` names, relative with `/` and sorted; never inside node_modules. */
export function entryFiles(folder: string, main: string): string[] {
  const pattern = main.replace(/\\/g, '/').replace(/^\.\//, '');
  return globSync(pattern, {
    cwd: folder,
    onlyFiles: true,
    // A folder is not an entry point: the worker needs files to load.
    expandDirectories: false,
    ignore: ['**/node_modules/**'],
  }).sort();
}

/** Whether `main` is a pattern rather than a path, for a message that says which it was. */
export function isEntryPattern(main: string): boolean {
  return isDynamicPattern(main.replace(/\\/g, '/'));
}
