import type { UserInterface } from '../common/ui';
import type { McpClientStarter } from '../vscodeMcpClient/mcpClientStarter';
import { localServerLabel } from '../provider/serverLabels';
import type { LocalServerManager, LocalServerState } from './localServerManager';
import { CommandId } from '../commandIds';

/**
 * Start and Stop as the user sees them: with progress, and a word when there is nothing to do. A
 * started server is then started in VS Code's MCP client too, without holding up the command: the
 * view shows how that went.
 */
export function localServerCommands(
  localServer: LocalServerManager,
  ui: UserInterface,
  mcpClient: Pick<McpClientStarter, 'start'>,
) {
  return {
    [CommandId.startLocalServer]: async (): Promise<LocalServerState> => {
      if (localServer.state.status === 'running') {
        await ui.showInfo(`The local MCP server is already running at ${localServer.state.url}.`);
        return localServer.state;
      }
      const state = await ui.withProgress('Starting the local MCP server', (progress, signal) =>
        localServer.start(progress, signal),
      );
      if (state.status === 'running') void mcpClient.start(localServerLabel, state.version);
      return state;
    },
    [CommandId.stopLocalServer]: async (): Promise<LocalServerState> => {
      await localServer.stop();
      return localServer.state;
    },
  };
}
