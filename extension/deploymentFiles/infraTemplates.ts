// The renderer of the azure.yaml and infra/ templates the extension ships in templates/: real
// azure.yaml, Bicep and JSON files, so the tests compile and lint exactly what users get
// (test/infra/*Infra.integration.test.ts). Both template sets render through it: self-hosted MCP
// servers (templates/self-hosted, "Host on Azure Functions…") and Functions MCP extension apps
// (templates/functions-mcp, "Add Azure Deployment Files"); the Bicep modules they share word for
// word sit once in templates/shared.
//
// Two things vary, and each the least textual way possible:
// - names and versions, as `{{name}}` placeholders (the Bicep reads them as parameters from
//   main.parameters.json, and azd substitutes `${AZURE_ENV_NAME}`-style values itself);
// - options such as the auth mode, as whole-line blocks `// #if entra` … `// #endif` (`# #if` in
//   YAML), comments to the compiler, in the manner of the .NET template engine's conditional
//   comments (https://github.com/dotnet/templating/wiki/Conditional-processing-and-comment-syntax).
//
// The API Management gateway's module and policies are not templates: they are the extension's own
// infra/app/gateway/ files (one copy in the repository, shipped in the VSIX), added to every project
// byte for byte. Their `{{mcp-…}}` are API Management named values, not placeholders.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserFacingError } from '../common/errors';
import type { GeneratedFile } from '../hosting/generatedFile';

/** The folder of the template sets inside the extension (the VSIX ships it: .vscodeignore). */
export const TEMPLATES_FOLDER = 'templates';

/** The modules both template sets deploy with, next to the sets themselves. */
export function sharedTemplatesDir(templateSetDir: string): string {
  return path.join(path.dirname(templateSetDir), 'shared');
}

export interface TemplateRendering {
  /** The set's folder; the shared modules (sharedTemplatesDir) come first, and the set's own files win. */
  templateSetDir: string;
  /** The options whose `#if` blocks are kept. */
  flags: readonly string[];
  /** Every option the set's templates may name; any other is a mistake in a template. */
  knownFlags: readonly string[];
  values: Record<string, string>;
}

/** Where the gateway's files sit, in the extension and in every project: the same relative path. */
export const GATEWAY_FILES_FOLDER = 'infra/app/gateway';

/** The extension's own gateway folder, found from a template set's folder (<extension>/templates/<set>). */
export function gatewayFilesDir(templateSetDir: string): string {
  return path.join(path.dirname(path.dirname(templateSetDir)), ...GATEWAY_FILES_FOLDER.split('/'));
}

/** The deployment files of one project: azure.yaml and infra/, with `/`-separated relative paths, sorted. */
export async function renderTemplates(rendering: TemplateRendering): Promise<GeneratedFile[]> {
  const { templateSetDir, flags, knownFlags, values } = rendering;
  const sources = new Map<string, string>();
  for (const dir of [sharedTemplatesDir(templateSetDir), templateSetDir]) {
    for (const file of await templateFiles(dir)) sources.set(file, path.join(dir, ...file.split('/')));
  }
  if (sources.size === 0) {
    throw new UserFacingError(
      `The deployment templates are missing from ${templateSetDir}: reinstall the Remote MCP extension.`,
    );
  }
  const rendered = await Promise.all(
    [...sources].map(async ([file, source]) => {
      const template = await readFile(source, 'utf8');
      const content = fillPlaceholders(keepBlocksOf(template, flags, knownFlags, file), values, file);
      return { path: file, content };
    }),
  );
  const gatewayDir = gatewayFilesDir(templateSetDir);
  const gatewayFiles = await templateFiles(gatewayDir);
  if (gatewayFiles.length === 0) {
    throw new UserFacingError(
      `The API Management gateway's files are missing from ${gatewayDir}: reinstall the Remote MCP extension.`,
    );
  }
  const copied = await Promise.all(
    gatewayFiles.map(async (file) => ({
      path: `${GATEWAY_FILES_FOLDER}/${file}`,
      content: await readFile(path.join(gatewayDir, ...file.split('/')), 'utf8'),
    })),
  );
  return [...rendered, ...copied].sort((a, b) => a.path.localeCompare(b.path));
}

/** Every file under `dir`, relative to it with `/` separators; none when it does not exist. */
async function templateFiles(dir: string, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? templateFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : Promise.resolve([`${prefix}${entry.name}`]),
    ),
  );
  return nested.flat();
}

/**
 * A runtime version as Flex Consumption names it: a major (Node.js `22`, Java `17`) or major.minor
 * (Python `3.12`, .NET `8.0`).
 */
export function checkedRuntimeVersion(version: string, runtime: string, example: string): string {
  if (!/^\d+(\.\d+)?$/.test(version)) {
    throw new UserFacingError(
      `"${version}" is not a ${runtime} version Flex Consumption names: expected one such as ${example}.`,
    );
  }
  return version;
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

// `//` in Bicep, `#` in YAML; JSON files have no blocks.
const BLOCK_START = /^\s*(?:\/\/|#) #if (\w+)\s*$/;
const BLOCK_END = /^\s*(?:\/\/|#) #endif\s*$/;

/** The template with the blocks of options not chosen removed, and every block's marker lines. */
function keepBlocksOf(
  template: string,
  flags: readonly string[],
  knownFlags: readonly string[],
  file: string,
): string {
  const kept: string[] = [];
  let block: string | undefined;
  for (const line of template.split('\n')) {
    const start = BLOCK_START.exec(line)?.[1];
    if (start !== undefined) {
      if (block !== undefined || !knownFlags.includes(start)) {
        throw new Error(
          `${file}: "${line.trim()}" opens a block inside another or names no auth mode or option of these templates (${knownFlags.join(', ')})`,
        );
      }
      block = start;
    } else if (BLOCK_END.test(line)) {
      if (block === undefined) throw new Error(`${file}: "#endif" closes no block`);
      block = undefined;
    } else if (block === undefined || flags.includes(block)) {
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
