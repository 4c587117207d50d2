// azure.yaml and infra/ for a self-hosted MCP server, rendered from the templates the extension ships
// in templates/self-hosted/: real azure.yaml, Bicep and JSON files, so the tests compile and lint
// exactly what users get (test/infra/selfHostedInfra.integration.test.ts).
//
// Two things vary, and each the least textual way possible:
// - the language and names, as `{{name}}` placeholders in azure.yaml and main.parameters.json only
//   (the Bicep reads them as parameters, and azd substitutes `${AZURE_ENV_NAME}`-style values itself);
// - the auth mode, as whole-line blocks `// #if entra` … `// #endif` (or `functionKey`) in the Bicep,
//   comments to the compiler, in the manner of the .NET template engine's conditional comments
//   (https://github.com/dotnet/templating/wiki/Conditional-processing-and-comment-syntax); and files
//   only one mode has (the Entra app registration and the Microsoft Graph extension's config).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserFacingError } from '../common/errors';
import type { GeneratedFile } from './generatedFile';

export type SelfHostedAuth = 'entra' | 'functionKey';

export interface SelfHostedInfraOptions {
  language: 'node' | 'python';
  /** The project's name (package.json `name` or the folder's), which names the azd project and service. */
  projectName: string;
  /** Entra built-in auth with protected resource metadata (the default), or function keys. */
  auth: SelfHostedAuth;
  /** Node projects: azure.yaml says `ts` (the default, as the public Node sample does) or `js`. */
  typeScript?: boolean;
  /** The Flex Consumption runtime version; the language's default otherwise. */
  runtimeVersion?: string;
}

/** Where the templates sit inside the extension (the VSIX ships the folder: .vscodeignore). */
export const SELF_HOSTED_TEMPLATES = path.join('templates', 'self-hosted');

/** The template folder of the installed extension: the `templatesDir` for {@link selfHostedInfraFiles}. */
export function selfHostedTemplatesDir(extensionPath: string): string {
  return path.join(extensionPath, SELF_HOSTED_TEMPLATES);
}

/**
 * The Flex Consumption runtime version when none is given: what the public samples deploy. The
 * versions a region offers change over time: `az functionapp list-flexconsumption-runtimes`
 * (https://learn.microsoft.com/azure/azure-functions/flex-consumption-how-to).
 */
export const DEFAULT_RUNTIME_VERSION: Record<SelfHostedInfraOptions['language'], string> = {
  node: '22',
  python: '3.12',
};

/** Files only one auth mode has, relative to the template folder. */
const FILES_OF_MODE: Record<string, SelfHostedAuth> = {
  'infra/app/entra.bicep': 'entra',
  'infra/bicepconfig.json': 'entra',
};

const AUTH_MODES: readonly SelfHostedAuth[] = ['entra', 'functionKey'];

/** The deployment files for one project: azure.yaml and infra/, with `/`-separated relative paths. */
export async function selfHostedInfraFiles(
  templatesDir: string,
  options: SelfHostedInfraOptions,
): Promise<GeneratedFile[]> {
  const values = placeholderValues(options);
  const files = await templateFiles(templatesDir);
  if (files.length === 0) {
    throw new UserFacingError(
      `The deployment templates are missing from ${templatesDir}: reinstall the Remote MCP extension.`,
    );
  }
  return Promise.all(
    files
      .filter((file) => (FILES_OF_MODE[file] ?? options.auth) === options.auth)
      .map(async (file) => {
        const template = await readFile(path.join(templatesDir, ...file.split('/')), 'utf8');
        const content = fillPlaceholders(keepBlocksOf(template, options.auth, file), values, file);
        return { path: file, content };
      }),
  );
}

/** Every file under `dir`, relative to it with `/` separators, sorted. */
async function templateFiles(dir: string, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const nested = await Promise.all(
    entries
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((entry) =>
        entry.isDirectory()
          ? templateFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
          : Promise.resolve([`${prefix}${entry.name}`]),
      ),
  );
  return nested.flat();
}

function placeholderValues(options: SelfHostedInfraOptions): Record<string, string> {
  const runtimeVersion = options.runtimeVersion?.trim() || DEFAULT_RUNTIME_VERSION[options.language];
  // Flex Consumption names versions by major (Node.js `22`) or major.minor (Python `3.12`).
  if (!/^\d+(\.\d+)?$/.test(runtimeVersion)) {
    throw new UserFacingError(
      `"${runtimeVersion}" is not a ${options.language} version Flex Consumption names: expected one such as ${DEFAULT_RUNTIME_VERSION[options.language]}.`,
    );
  }
  const azdLanguage = options.language === 'python' ? 'python' : options.typeScript === false ? 'js' : 'ts';
  return {
    projectName: azdProjectName(options.projectName),
    azdLanguage,
    runtimeName: options.language,
    runtimeVersion,
  };
}

/** The longest project name main.bicep takes (it names the function app and the identity). */
const PROJECT_NAME_MAX = 24;

/**
 * A project name fit for azure.yaml and the Azure resource names built from it: lower-case letters,
 * digits and single hyphens, starting with a letter (`@contoso/Weather_MCP` → `contoso-weather-mcp`).
 */
export function azdProjectName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, PROJECT_NAME_MAX)
    .replace(/-+$/, '');
  return cleaned || 'mcp-server';
}

const BLOCK_START = /^\s*\/\/ #if (\w+)\s*$/;
const BLOCK_END = /^\s*\/\/ #endif\s*$/;

/** The template with the blocks of other auth modes removed, and every block's marker lines. */
function keepBlocksOf(template: string, auth: SelfHostedAuth, file: string): string {
  const kept: string[] = [];
  let block: string | undefined;
  for (const line of template.split('\n')) {
    const start = BLOCK_START.exec(line)?.[1];
    if (start !== undefined) {
      if (block !== undefined || !AUTH_MODES.includes(start as SelfHostedAuth)) {
        throw new Error(`${file}: "${line.trim()}" opens a block inside another or names no auth mode`);
      }
      block = start;
    } else if (BLOCK_END.test(line)) {
      if (block === undefined) throw new Error(`${file}: "#endif" closes no block`);
      block = undefined;
    } else if (block === undefined || block === auth) {
      kept.push(line);
    }
  }
  if (block !== undefined) throw new Error(`${file}: "#if ${block}" is never closed`);
  return kept.join('\n');
}

function fillPlaceholders(text: string, values: Record<string, string>, file: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${file}: no value for ${placeholder}`);
    return value;
  });
}
