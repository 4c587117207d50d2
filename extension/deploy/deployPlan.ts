// What "Deploy to Azure" deploys, decided from the project model (issue 13, point 1): the user's
// project whenever the workspace holds one, the bundled sample server only when it holds no MCP
// project, no SDK server that could be hosted, and no azd project at all. Plain Node, no prompts:
// the command asks what the plan leaves open.
import path from 'node:path';
import type { McpProject } from '../project/mcpProject';
import type { ChosenProject } from '../project/workspaceProjects';
import type { RemoteServerKind } from '../remote/remoteServers';
import { azdProjectOf, deployedKindOf, workspaceAzdProjects, type AzdProject } from './azdProject';

/** A folder "Host on Azure Functions…" can prepare: a candidate, or a self-hosted project in an older form. */
export interface HostableFolder {
  folder: string;
  name: string;
}

export type DeployPlan =
  /** azd deploys one of these (the user picks when there are several); `kind` says what it serves. */
  | { action: 'azd'; choices: { project: AzdProject; kind: RemoteServerKind }[] }
  /** An SDK server not hosted yet, or one in an older form: "Host on Azure Functions…" prepares it, azure.yaml and infra/ included. */
  | { action: 'host'; folders: HostableFolder[] }
  /** A project of the user's without azure.yaml: "Add Azure Deployment Files" adds it and infra/ first. */
  | { action: 'needsDeploymentFiles'; project: McpProject }
  /** The workspace holds nothing of the user's to deploy. */
  | { action: 'bundled' };

export function planDeploy(chosen: ChosenProject, workspaceFolders: readonly string[]): DeployPlan {
  const { project, recognition } = chosen;
  if (project.kind === 'bundled') {
    if (recognition.candidates.length > 0) {
      return {
        action: 'host',
        folders: recognition.candidates.map(({ folder, name }) => ({ folder, name })),
      };
    }
    // An azd project the recognition does not take for an MCP server is still the user's: it is
    // deployed as before, never replaced by the bundled server.
    const azdProjects = workspaceAzdProjects(workspaceFolders);
    if (azdProjects.length > 0) {
      return {
        action: 'azd',
        choices: azdProjects.map((azd) => ({ project: azd, kind: deployedKindOf(azd.dir) })),
      };
    }
    return { action: 'bundled' };
  }
  const azd = azdProjectOf(project.folder, workspaceFolderOf(project.folder, workspaceFolders));
  if (azd) return { action: 'azd', choices: [{ project: azd, kind: project.kind }] };
  // An older self-hosted form needs its host.json upgraded first, which Host on Azure Functions does
  // (adding azure.yaml with it); a project in the current form needs only the deployment files.
  if (project.kind === 'selfHosted' && project.legacyForms.length > 0) {
    return { action: 'host', folders: [{ folder: project.folder, name: project.name }] };
  }
  return { action: 'needsDeploymentFiles', project };
}

/** The workspace folder holding `folder` (the innermost, for nested workspace folders); else the folder itself. */
export function workspaceFolderOf(folder: string, workspaceFolders: readonly string[]): string {
  const inside = workspaceFolders
    .map((root) => path.resolve(root))
    .filter((root) => {
      const relative = path.relative(root, path.resolve(folder));
      return !relative.startsWith('..') && !path.isAbsolute(relative);
    })
    .sort((a, b) => b.length - a.length);
  return inside[0] ?? path.resolve(folder);
}
