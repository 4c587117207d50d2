// The sentences "Host on Azure Functions…" adds to its closing message: what it added, and what
// the user may still need to change for the server to run and deploy as hosted.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'jsonc-parser';
import { property } from '../project/projectFiles';
import { mcpCustomHandlerFlag, type WrittenFiles } from './hostingFiles';
import type { PortFinding } from './serverSource';

/** infra/ holds several files: named as a folder with its count, the rest one by one. */
export function summarise(files: readonly string[]): string {
  const infra = files.filter((file) => file.startsWith('infra/'));
  const named = files.filter((file) => !file.startsWith('infra/'));
  if (infra.length > 1) named.push(`infra/ (${infra.length} files)`);
  else named.push(...infra);
  return named.join(', ');
}

/** A fixed port works while host.json names the same one; say where to change it, or how to follow host.json. */
export function portNote(
  found: PortFinding | undefined,
  port: number,
  language: 'node' | 'python',
): string | undefined {
  if (!found || found.reads.length > 0) return undefined;
  const where = found.at ? `${found.at.file} line ${found.at.line}` : 'the code';
  const change =
    language === 'node'
      ? `\`const port = Number(process.env.PORT ?? ${port});\``
      : `\`port=int(os.environ.get("PORT", ${port}))\``;
  const listens =
    found.source === 'sdkDefault'
      ? `listens on FastMCP's default port ${port}`
      : `listens on the fixed port ${port} (${where})`;
  return `The server ${listens} and reads neither PORT nor FUNCTIONS_CUSTOMHANDLER_PORT, so it will not follow host.json's port if you change it; to follow it, listen on ${change}.`;
}

/**
 * Azure's remote build of a Python app installs requirements.txt
 * (https://learn.microsoft.com/azure/azure-functions/functions-reference-python#package-management);
 * a project that declares its dependencies in pyproject.toml alone would deploy without them.
 */
export function pythonRequirementsNote(folder: string, language: 'node' | 'python'): string | undefined {
  if (language !== 'python' || existsSync(path.join(folder, 'requirements.txt'))) return undefined;
  return "Azure's remote build installs requirements.txt, which this project does not have: add one listing the dependencies of pyproject.toml (for example `pip freeze > requirements.txt` in its environment) before you deploy.";
}

/**
 * A local.settings.json the user had already may lack the flag that makes the host start the server,
 * or name the older form's runtime `custom` (the host then refuses the MCP profile's routes).
 */
export async function localSettingsNote(
  folder: string,
  language: 'node' | 'python',
  written: WrittenFiles,
): Promise<string | undefined> {
  if (!written.kept.includes('local.settings.json')) return undefined;
  const text = await readFile(path.join(folder, 'local.settings.json'), 'utf8').catch(() => '');
  const values = property(parse(text, [], { allowTrailingComma: true }), 'Values');
  const runtime = property(values, 'FUNCTIONS_WORKER_RUNTIME');
  const flags = property(values, 'AzureWebJobsFeatureFlags');
  const fixes = [
    runtime === language
      ? undefined
      : `FUNCTIONS_WORKER_RUNTIME to "${language}"${typeof runtime === 'string' ? ` (it is "${runtime}")` : ''}`,
    typeof flags === 'string' && flags.includes(mcpCustomHandlerFlag)
      ? undefined
      : `AzureWebJobsFeatureFlags to "${mcpCustomHandlerFlag}"`,
  ].filter((fix) => fix !== undefined);
  if (fixes.length === 0) return undefined;
  return `Your local.settings.json needs, under Values, ${fixes.join(' and ')}, or func start will not run the server as an MCP server.`;
}
