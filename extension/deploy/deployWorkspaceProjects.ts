// The WorkspaceProjects the deploy asks, until the composition root builds the one every capability
// shares (services.projects): the same recognition, choice memory and quick pick.
import path from 'node:path';
import type { UserInterface } from '../common/ui';
import { bundledProject } from '../project/mcpProject';
import type { ChoiceMemory } from '../project/projectChoice';
import { WorkspaceProjects } from '../project/workspaceProjects';

export function deployWorkspaceProjects(deps: {
  workspaceFolders: () => readonly string[];
  extensionPath: string;
  memory: ChoiceMemory;
  ui: UserInterface;
}): WorkspaceProjects {
  return new WorkspaceProjects({
    workspaceFolders: deps.workspaceFolders,
    bundled: () => bundledProject(path.join(deps.extensionPath, 'server')),
    memory: deps.memory,
    pick: (title, projects) =>
      deps.ui.pick(
        title,
        projects.map((project) => ({ label: project.name, description: project.folder, value: project })),
      ),
  });
}
