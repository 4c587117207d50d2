// Which project a capability (local run, deploy, Connect, …) uses when the workspace holds several:
// the user picks once and the choice is remembered (issue 13, point 1). The bundled catalogue is
// used only when the workspace holds no project of the user's, never in place of one.
import path from 'node:path';
import type { McpCandidate, McpProject } from './mcpProject';

/** What `vscode.Memento` offers (workspaceState satisfies it), so this module needs no vscode. */
export interface ChoiceMemory {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** One choice for the whole workspace: every capability then works on the same project. */
export const rememberedProjectKey = 'remoteMcp.project.folder';

export type ProjectChoice =
  /** Use this project of the user's: the remembered one, or the only one. */
  | { use: McpProject; because: 'remembered' | 'only' }
  /** Several and none remembered (or the remembered one is gone): show a quick pick, then {@link rememberProject}. */
  | { ask: McpProject[] }
  /**
   * The workspace holds no hosted project: the bundled catalogue. `candidates` are SDK servers the
   * caller can offer to host, so the bundled server is never served silently in their place.
   */
  | { use: McpProject; because: 'bundled'; candidates: McpCandidate[] };

export function chooseProject(
  found: { projects: readonly McpProject[]; candidates: readonly McpCandidate[] },
  bundled: McpProject,
  memory: ChoiceMemory,
): ProjectChoice {
  const projects = found.projects.filter((project) => project.kind !== 'bundled');
  if (projects.length === 0) return { use: bundled, because: 'bundled', candidates: [...found.candidates] };
  const remembered = memory.get<string>(rememberedProjectKey);
  const match =
    typeof remembered === 'string'
      ? projects.find((project) => sameFolder(project.folder, remembered))
      : undefined;
  if (match) return { use: match, because: 'remembered' };
  const [only] = projects;
  if (projects.length === 1 && only) return { use: only, because: 'only' };
  return { ask: [...projects].sort((a, b) => a.folder.localeCompare(b.folder)) };
}

/** Remembers the user's pick (by folder path); a later {@link chooseProject} uses it while the folder still holds a project. */
export function rememberProject(memory: ChoiceMemory, project: McpProject): PromiseLike<void> {
  return memory.update(rememberedProjectKey, path.resolve(project.folder));
}

/** Windows paths compare without regard to case, as the file system does. */
function sameFolder(a: string, b: string): boolean {
  const [left, right] = [path.resolve(a), path.resolve(b)];
  return process.platform === 'win32' ? left.toLowerCase() === right.toLowerCase() : left === right;
}
