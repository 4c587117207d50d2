// Loads a user's Functions app the way `func start` and the Node worker would: local.settings.json
// into the environment, host.json's MCP options, then every file package.json `main` names, with
// the core API in place so the app's `@azure/functions` registers its functions with this host.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionsCore } from './coreApi';
import { entryFiles as filesMatching, isEntryPattern } from '../../../../shared/functionsAppRun/entryFiles';

/** A problem in the user's app that they must fix; the host prints its message alone and exits 1. */
export class AppProblem extends Error {
  override readonly name = 'AppProblem';
}

export interface AppPackage {
  main: string | undefined;
  /** `"module"` makes .js files ES modules, as Node and the worker's loadScriptFile.ts decide. */
  type: string | undefined;
  hasBuildScript: boolean;
}

export function readAppPackage(folder: string): AppPackage {
  const file = path.join(folder, 'package.json');
  const json = readJsonObject(file, 'package.json', folder);
  if (json === undefined) {
    throw new AppProblem(
      `No package.json in ${folder}. Point the host at the Functions app's folder (the one holding package.json and host.json).`,
    );
  }
  const scripts = json.scripts;
  return {
    main: typeof json.main === 'string' && json.main.trim() ? json.main.trim() : undefined,
    type: typeof json.type === 'string' ? json.type : undefined,
    hasBuildScript:
      typeof scripts === 'object' &&
      scripts !== null &&
      typeof (scripts as Record<string, unknown>).build === 'string',
  };
}

/** host.json `extensions.mcp`, with the extension's defaults (Configuration/McpOptions.cs). */
export interface McpServerOptions {
  serverName: string;
  serverVersion: string;
  instructions: string | undefined;
}

export function readMcpServerOptions(folder: string): McpServerOptions {
  const hostJson = readJsonObject(path.join(folder, 'host.json'), 'host.json', folder);
  if (hostJson === undefined) {
    throw new AppProblem(
      `No host.json in ${folder}: every Functions app has one. Add {"version": "2.0"} with the extension bundle, as \`func init\` writes it.`,
    );
  }
  const extensions = hostJson.extensions as Record<string, unknown> | undefined;
  const mcp = (typeof extensions === 'object' && extensions !== null ? extensions.mcp : undefined) as
    Record<string, unknown> | undefined;
  const text = (key: string): string | undefined => {
    // host.json keys are case-insensitive in the Functions host's configuration binding.
    const entry = Object.entries(mcp ?? {}).find(([name]) => name.toLowerCase() === key.toLowerCase());
    return typeof entry?.[1] === 'string' ? entry[1] : undefined;
  };
  return {
    serverName: text('serverName') ?? 'Azure Functions MCP server',
    serverVersion: text('serverVersion') ?? '1.0.0',
    instructions: text('instructions'),
  };
}

/**
 * Puts local.settings.json `Values` into `env`, as `func start` does. A variable already set (and not
 * empty) in the environment wins and the setting is skipped with a notice: that is Core Tools' rule
 * (Azure/azure-functions-core-tools, StartHostAction.cs: "Skipping '<name>' from local settings as
 * it's already defined in current environment variables."), so a value exported in the terminal
 * overrides the file, and the extension's own variables (PORT, MCP_KEY ...) are never replaced.
 */
export function applyLocalSettings(
  folder: string,
  env: NodeJS.ProcessEnv,
  notice: (message: string) => void,
): void {
  const settings = readJsonObject(path.join(folder, 'local.settings.json'), 'local.settings.json', folder);
  if (settings?.IsEncrypted === true) {
    // Core Tools decrypts these with a machine key only it holds (func settings encrypt/decrypt).
    throw new AppProblem(
      `local.settings.json in ${folder} is encrypted ("IsEncrypted": true), and only Core Tools can read it. Run "func settings decrypt" there, or write the values in plain text with "IsEncrypted": false.`,
    );
  }
  applyValues(folder, settings?.Values, env, notice);
  // Host.LocalHttpPort is the port `func start` uses when not given --port; PORT plays --port here.
  const host = settings?.Host;
  const localPort =
    typeof host === 'object' && host !== null ? (host as Record<string, unknown>).LocalHttpPort : undefined;
  if (
    !env.PORT &&
    !env.FUNCTIONS_CUSTOMHANDLER_PORT &&
    (typeof localPort === 'number' || typeof localPort === 'string')
  ) {
    env.PORT = String(localPort);
  }
}

function applyValues(
  folder: string,
  values: unknown,
  env: NodeJS.ProcessEnv,
  notice: (message: string) => void,
): void {
  if (values === undefined) return;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new AppProblem(
      `local.settings.json in ${folder}: "Values" must be an object of setting names to strings.`,
    );
  }
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    if (env[name]) {
      notice(
        `Skipping '${name}' from local settings as it's already defined in current environment variables.`,
      );
      continue;
    }
    // Core Tools reads Values as strings; a number or boolean there becomes its JSON text.
    env[name] =
      typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);
  }
}

/** Checks that the app's own `@azure/functions` resolves, before loading code that imports it. */
export function resolveFunctionsLibrary(folder: string): string {
  try {
    return createRequire(path.join(folder, 'package.json')).resolve('@azure/functions');
  } catch {
    throw new AppProblem(
      `Cannot find the package @azure/functions for the app in ${folder}: its node_modules is missing or incomplete. Run "npm install" in ${folder}, then start again.`,
    );
  }
}

/** The entry files, in load order; a missing build is named with the command that makes it. */
export function entryFiles(folder: string, pkg: AppPackage): string[] {
  if (!pkg.main) {
    throw new AppProblem(
      `package.json in ${folder} has no "main": the Functions Node worker loads the files it names. Set it to your compiled functions, e.g. "dist/src/functions/*.js".`,
    );
  }
  const files = filesMatching(folder, pkg.main);
  if (files.length === 0) {
    const what = isEntryPattern(pkg.main) ? 'no file matches it' : 'that file does not exist';
    const fix = pkg.hasBuildScript
      ? `The app is not built yet: run "npm run build" in ${folder}, then start again.`
      : `Compile the app (for TypeScript, run "npx tsc" in ${folder}) or correct "main".`;
    throw new AppProblem(`package.json "main" is "${pkg.main}", but ${what} in ${folder}. ${fix}`);
  }
  return files;
}

/**
 * Loads each entry file with the core API current, as the worker's startApp.ts and loadScriptFile.ts
 * do: ES modules (.mjs, or .js with `"type": "module"`) through import(), the rest through require().
 */
export async function loadEntryFiles(
  folder: string,
  files: readonly string[],
  pkg: AppPackage,
  core: FunctionsCore,
): Promise<void> {
  for (const file of files) {
    const fullPath = path.join(folder, file);
    core.currentEntryPoint = fullPath;
    try {
      if (isEsModule(fullPath, pkg)) {
        await import(pathToFileURL(fullPath).href);
      } else {
        createRequire(fullPath)(fullPath);
      }
    } catch (error) {
      throw new AppProblem(describeLoadError(folder, file, error));
    } finally {
      core.currentEntryPoint = undefined;
    }
  }
}

function isEsModule(file: string, pkg: AppPackage): boolean {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  return pkg.type === 'module';
}

/** One message naming the file and line, and what to do; never a bare stack trace. */
export function describeLoadError(folder: string, file: string, error: unknown): string {
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as NodeJS.ErrnoException).code;
  if (err instanceof SyntaxError) {
    const where = syntaxErrorLocation(err) ?? file;
    return `Syntax error in ${where}: ${err.message}. Fix the code (then rebuild if it is compiled) and start again.`;
  }
  if (
    (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') &&
    /Cannot find (package|module) '([^']+)'/.test(err.message)
  ) {
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(err.message)?.[1] ?? '';
    const isPackage = !missing.startsWith('.') && !path.isAbsolute(missing) && !missing.startsWith('file:');
    return isPackage
      ? `${file} imports "${missing}", which is not installed in ${folder}. Run "npm install" there, then start again.`
      : `${file} imports "${missing}", which does not exist. Rebuild the app ("npm run build") or correct the import.`;
  }
  const location = firstUserFrame(err, folder);
  const upgrade = /\bmcp(Tool|Resource|Prompt)\b.* is not a function/.test(err.message)
    ? ' The app\'s @azure/functions is too old for MCP triggers: install 4.16 or later ("npm install @azure/functions@^4.16").'
    : '';
  return `Worker was unable to load entry point "${file}": ${err.message}${location ? ` (at ${location})` : ''}.${upgrade}`;
}

/** V8 puts "<file>:<line>" on the first stack line of a SyntaxError thrown while compiling a module. */
function syntaxErrorLocation(error: SyntaxError): string | undefined {
  const first = error.stack?.split('\n', 1)[0] ?? '';
  const [, location = '', line = ''] = /^(.*):(\d+)$/.exec(first) ?? [];
  if (!location) return undefined;
  const file = location.startsWith('file://') ? new URL(location).pathname : location;
  return `${file}, line ${line}`;
}

function firstUserFrame(error: Error, folder: string): string | undefined {
  for (const line of (error.stack ?? '').split('\n').slice(1)) {
    const [, location = '', lineNumber = ''] =
      /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?$/.exec(line.trim()) ?? [];
    if (!location) continue;
    const file = location.startsWith('file://') ? new URL(location).pathname : location;
    if (file.startsWith(folder) && !file.includes(`${path.sep}node_modules${path.sep}`)) {
      return `${file}, line ${lineNumber}`;
    }
  }
  return undefined;
}

function readJsonObject(file: string, label: string, folder: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    // Functions tolerates a byte-order mark, as editors on Windows write one.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new AppProblem(
      `${label} in ${folder} is not valid JSON (${error instanceof Error ? error.message : String(error)}). Fix the file and start again.`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AppProblem(`${label} in ${folder} must hold a JSON object.`);
  }
  return json as Record<string, unknown>;
}
