import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { readHostJsonFacts } from '../project/hostJson';
import { ProblemList, isObject } from '../project/projectFiles';
import type { RemoteServerKind } from '../remote/remoteServers';

/** A folder azd can work in: it has azure.yaml; `.azure/` beside it holds its environments. */
export interface AzdProject {
  dir: string;
  source: 'workspace' | 'bundled';
}

/** azd reads either name (https://learn.microsoft.com/azure/developer/azure-developer-cli/azd-schema). */
const azureYamlNames = ['azure.yaml', 'azure.yml'];

function azureYamlIn(dir: string): string | undefined {
  return azureYamlNames.map((name) => path.join(dir, name)).find((file) => existsSync(file));
}

/**
 * The azd project a folder belongs to: the folder itself or the nearest ancestor with azure.yaml, up
 * to (and including) its workspace folder, as azd finds it from its working directory. Never above
 * the workspace folder: an azure.yaml there belongs to something the user did not open.
 */
export function azdProjectOf(folder: string, workspaceFolder: string): AzdProject | undefined {
  const root = path.resolve(workspaceFolder);
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    const relative = path.relative(root, dir);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    if (azureYamlIn(dir)) return { dir, source: 'workspace' };
    if (dir === root) return undefined;
  }
}

/**
 * The folders of azure.yaml's services (`services.<name>.project`, relative to azure.yaml), absolute.
 * azure.yaml is YAML, but azd's own files put each service's `project:` on one line under `services:`;
 * reading that one key by indentation spares a YAML parser in the activation bundle. Anything it
 * cannot read gives no folder, and the deployment is then taken for an MCP extension app, as before.
 */
export function azureYamlServiceFolders(projectDir: string): string[] {
  const file = azureYamlIn(projectDir);
  if (!file) return [];
  const folders: string[] = [];
  let inServices = false;
  let serviceIndent: number | undefined;
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '');
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      inServices = /^services\s*:\s*$/.test(line);
      serviceIndent = undefined;
      continue;
    }
    if (!inServices) continue;
    serviceIndent ??= indent;
    const project = /^\s+project\s*:\s*["']?([^"']+?)["']?\s*$/.exec(line)?.[1];
    if (indent > serviceIndent && project) folders.push(path.resolve(projectDir, project));
  }
  return folders;
}

/**
 * What an azd project deploys: a self-hosted SDK server when a service's folder has a custom handler
 * in host.json (https://learn.microsoft.com/azure/azure-functions/self-hosted-mcp-servers), else a
 * Functions MCP extension app (this extension's own template, and every deployment before self-hosted
 * servers were known).
 */
export function deployedKindOf(projectDir: string): RemoteServerKind {
  const selfHosted = azureYamlServiceFolders(projectDir).some((folder) => {
    const file = path.join(folder, 'host.json');
    if (!existsSync(file)) return false;
    const hostJson: unknown = parseJsonc(readFileSync(file, 'utf8'));
    if (!isObject(hostJson)) return false;
    const facts = readHostJsonFacts(hostJson, file, new ProblemList());
    return facts.selfHostedProfile || facts.hasCustomHandler;
  });
  return selfHosted ? 'selfHosted' : 'functionsMcpExtension';
}

/** The workspace folders that are azd projects. */
export function workspaceAzdProjects(folders: readonly string[]): AzdProject[] {
  return folders
    .filter((folder) => azureYamlIn(folder) !== undefined)
    .map((dir) => ({ dir, source: 'workspace' }));
}

/** Where the bundled server's copy (and its `.azure/` environments) lives in the extension's storage. */
export function bundledProjectDir(storageDir: string): string {
  return path.join(storageDir, 'bundled-server');
}

/**
 * A workspace without azure.yaml deploys the server bundled in the extension, from a copy in the
 * extension's storage: the installed extension's folder is replaced on update and must not hold
 * azd's `.azure/` environments. The copy is refreshed on every deploy; `.azure/` is kept.
 */
export function prepareBundledProject(extensionPath: string, storageDir: string): AzdProject {
  const dir = bundledProjectDir(storageDir);
  mkdirSync(dir, { recursive: true });
  for (const entry of ['azure.yaml', 'infra', 'server']) {
    rmSync(path.join(dir, entry), { recursive: true, force: true });
    cpSync(path.join(extensionPath, entry), path.join(dir, entry), { recursive: true });
  }
  // The bundle in server/dist is built and carries every dependency: without these edits azd would
  // install them all again and run a build script whose sources are not shipped.
  const manifestPath = path.join(dir, 'server', 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  delete manifest.dependencies;
  delete manifest.devDependencies;
  delete manifest.scripts;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, source: 'bundled' };
}
