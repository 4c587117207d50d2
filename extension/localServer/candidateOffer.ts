// The workspace holds MCP SDK servers that are not hosted on Functions yet, and no hosted project:
// Start Local Server must not silently serve the bundled tools in their place (issue 13, point 1).
import path from 'node:path';
import type { PickItem } from '../common/ui';
import type { McpCandidate } from '../project/mcpProject';
import type { ChoiceMemory } from '../project/projectChoice';

/**
 * "Start the bundled sample tools" is remembered for the workspace, so Start does not ask every
 * time: it only matters while the workspace holds no hosted project, and once the user hosts a
 * server that project is chosen instead. "Host…" is not remembered: hosting makes it a project.
 */
export const bundledInsteadOfCandidatesKey = 'remoteMcp.localServer.bundledInsteadOfCandidates';

export interface CandidateOfferDeps {
  memory: ChoiceMemory;
  pick<T>(title: string, items: readonly PickItem<T>[]): Promise<T>;
  /** Runs "Host on Azure Functions…" on the folder. */
  hostOnFunctions(folder: string): Promise<unknown>;
}

/** True when the user chose to host a candidate (the hosting command has run); false to start the bundled tools. */
export async function offerToHost(
  candidates: readonly McpCandidate[],
  deps: CandidateOfferDeps,
): Promise<boolean> {
  if (candidates.length === 0 || deps.memory.get<boolean>(bundledInsteadOfCandidatesKey) === true)
    return false;
  const names = candidates.map((candidate) => candidate.name).join(', ');
  const items: PickItem<McpCandidate | 'bundled'>[] = [
    ...candidates.map((candidate) => ({
      label: `Host ${candidate.name} on Azure Functions…`,
      description: candidate.language === 'node' ? 'Node.js' : 'Python',
      detail: `Adds host.json and the files Functions needs to ${candidate.folder}, so Start Local Server runs its own tools.`,
      value: candidate,
    })),
    {
      label: 'Start the bundled sample tools',
      detail: `Runs the extension's sample tools, not ${names}. Remembered for this workspace.`,
      value: 'bundled',
    },
  ];
  const title =
    candidates.length === 1
      ? `Start Local Server: ${names} (${path.basename(candidates[0]?.evidence ?? '')}) is an MCP server not hosted on Azure Functions yet`
      : `Start Local Server: ${names} are MCP servers not hosted on Azure Functions yet`;
  const choice = await deps.pick(title, items);
  if (choice === 'bundled') {
    await deps.memory.update(bundledInsteadOfCandidatesKey, true);
    return false;
  }
  await deps.hostOnFunctions(choice.folder);
  return true;
}
