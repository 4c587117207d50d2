// The Functions files "Host on Azure Functions…" adds to an MCP SDK server (issue 13, point 3), in the
// form of the public samples (github.com/Azure-Samples/mcp-sdk-functions-hosting-node and
// mcp-sdk-functions-hosting-python: host.json, local.settings.json, .funcignore), and the writer that
// never replaces a file the user has.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../common/processes';
import type { GeneratedFile } from './generatedFile';

export type HostingAuth = 'entra' | 'functionKey';

export interface HostingFileOptions {
  language: 'node' | 'python';
  /** What host.json runs, relative to the project folder (e.g. `dist/index.js`, `server.py`). */
  entry: string;
  port: number;
  auth: HostingAuth;
}

/** The feature flag that turns a custom handler into a self-hosted MCP server (Learn: "Self-hosted remote MCP server"). */
export const mcpCustomHandlerFlag = 'EnableMcpCustomHandlerPreview';

/** host.json, local.settings.json and .funcignore, in that order. */
export function hostingFiles(options: HostingFileOptions): GeneratedFile[] {
  return [
    { path: 'host.json', content: hostJsonText(options) },
    { path: 'local.settings.json', content: localSettingsText(options.language) },
    { path: '.funcignore', content: funcIgnoreText(options.language) },
  ];
}

/**
 * The current form (configurationProfile `mcp-custom-handler`). With Entra, built-in auth protects
 * the app and Functions lets every authenticated request through (`anonymous`); with keys, clients
 * send the default function key (`function`). The port is a string, as the samples write it.
 */
export function hostJsonText(options: HostingFileOptions): string {
  return jsonText({
    version: '2.0',
    configurationProfile: 'mcp-custom-handler',
    customHandler: {
      description: {
        defaultExecutablePath: options.language === 'node' ? 'node' : 'python',
        arguments: [options.entry],
      },
      http: { DefaultAuthorizationLevel: authorizationLevel(options.auth) },
      port: String(options.port),
    },
  });
}

export function authorizationLevel(auth: HostingAuth): 'anonymous' | 'function' {
  return auth === 'entra' ? 'anonymous' : 'function';
}

function localSettingsText(language: 'node' | 'python'): string {
  return jsonText({
    IsEncrypted: false,
    Values: {
      FUNCTIONS_WORKER_RUNTIME: language,
      AzureWebJobsFeatureFlags: mcpCustomHandlerFlag,
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    },
  });
}

/**
 * What deployment does not upload. As in the Node sample, `node_modules` stays behind because the
 * app is built remotely (npm install and the `build` script run in Azure), which is also why the
 * TypeScript sources are uploaded. Python's remote build installs the packages, so a local
 * virtual environment stays behind too.
 */
function funcIgnoreText(language: 'node' | 'python'): string {
  const common = [
    '.git*',
    '.vscode',
    'local.settings.json',
    'test',
    '__azurite_db*__.json',
    '__blobstorage__',
    '__queuestorage__',
  ];
  const perLanguage =
    language === 'node' ? ['node_modules', '*.js.map'] : ['.venv', 'venv', '__pycache__', '*.pyc'];
  return [...common, ...perLanguage].join('\n') + '\n';
}

/** Two-space JSON with short arrays on one line, as Prettier and the samples write them. */
function jsonText(value: unknown): string {
  return (
    JSON.stringify(value, null, 2).replace(
      /\[\n\s+("[^"\n]*"(?:,\n\s+"[^"\n]*")*)\n\s+\]/g,
      (_, items: string) => `[${items.split(/,\n\s+/).join(', ')}]`,
    ) + '\n'
  );
}

export interface WrittenFiles {
  /** Relative paths, in the order given. */
  added: string[];
  /** Files that were there already and were left exactly as they were. */
  kept: string[];
}

/** Writes each file that does not exist yet; `wx` makes "does not exist" and "write" one step. */
export async function writeNewFiles(folder: string, files: readonly GeneratedFile[]): Promise<WrittenFiles> {
  const written: WrittenFiles = { added: [], kept: [] };
  for (const file of files) {
    const target = path.join(folder, ...file.path.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await writeFile(target, file.content, { flag: 'wx' });
      written.added.push(file.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      written.kept.push(file.path);
    }
  }
  return written;
}

/**
 * Whether git would commit `file` (relative to `folder`): local.settings.json holds connection
 * strings and keys once a user adds them. Undefined when the folder is not in a git repository or
 * git is not installed: there is nothing to offer then.
 */
export async function isCommittedByGit(folder: string, file: string): Promise<boolean | undefined> {
  try {
    // Exit 0: ignored; 1: not ignored; 128: not a repository (https://git-scm.com/docs/git-check-ignore).
    const { exitCode } = await runCli('git', ['check-ignore', '--quiet', file], {
      timeoutMs: 10_000,
      cwd: folder,
    });
    return exitCode === 1 ? true : exitCode === 0 ? false : undefined;
  } catch {
    return undefined;
  }
}

/** Adds `file` to the folder's .gitignore (creating it), on a line of its own. */
export async function addToGitIgnore(folder: string, file: string): Promise<void> {
  const gitignore = path.join(folder, '.gitignore');
  const existing = await readFile(gitignore, 'utf8').catch(() => '');
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await writeFile(gitignore, `${existing}${separator}${file}\n`);
}
