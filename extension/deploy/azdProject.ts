import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A folder azd can work in: it has azure.yaml; `.azure/` beside it holds its environments. */
export interface AzdProject {
  dir: string;
  source: 'workspace' | 'bundled';
}

/** The workspace folders that are azd projects. */
export function workspaceAzdProjects(folders: readonly string[]): AzdProject[] {
  return folders
    .filter((folder) => existsSync(path.join(folder, 'azure.yaml')))
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
