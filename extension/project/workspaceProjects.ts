// The workspace's MCP project, as every capability asks for it (issue 13, point 1): local run,
// deploy, Connect, the key fetch, the definition provider, Check Sign-in and the status view call
// `choose` rather than looking at files themselves. Plain Node: the quick pick is injected.
import type { McpProject } from './mcpProject';
import { chooseProject, rememberProject, type ChoiceMemory } from './projectChoice';
import { recognizeProjects, type Recognition } from './recognizeProjects';

export interface WorkspaceProjectsDeps {
  workspaceFolders(): readonly string[];
  /** The bundled catalogue as a project: used only when the workspace holds none of the user's. */
  bundled(): McpProject;
  memory: ChoiceMemory;
  /** Shows the projects and resolves with the one picked; rejects (CancelledError) when dismissed. */
  pick(title: string, projects: readonly McpProject[]): Promise<McpProject>;
}

export interface ChosenProject {
  project: McpProject;
  /** Everything recognition found, for callers that offer to host a candidate or report problems. */
  recognition: Recognition;
}

export class WorkspaceProjects {
  constructor(private readonly deps: WorkspaceProjectsDeps) {}

  /** Reads the workspace's files afresh: a project added or edited since is seen. */
  recognize(): Promise<Recognition> {
    return recognizeProjects(this.deps.workspaceFolders());
  }

  /**
   * The project `purpose` works on: the remembered or only one, else the user picks (and the pick is
   * remembered for every capability). The bundled project only when the workspace holds none.
   */
  async choose(purpose: string): Promise<ChosenProject> {
    const recognition = await this.recognize();
    const choice = chooseProject(recognition, this.deps.bundled(), this.deps.memory);
    if ('use' in choice) return { project: choice.use, recognition };
    const project = await this.deps.pick(`${purpose}: which MCP project?`, choice.ask);
    await rememberProject(this.deps.memory, project);
    return { project, recognition };
  }
}
