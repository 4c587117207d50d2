import type { UserInterface } from '../common/ui';
import type { LocalServerManager, LocalServerState } from './localServerManager';

/** Start and Stop as the user sees them: with progress, and a word when there is nothing to do. */
export function localServerCommands(localServer: LocalServerManager, ui: UserInterface) {
  return {
    'remoteMcp.startLocalServer': async (): Promise<LocalServerState> => {
      if (localServer.state.status === 'running') {
        await ui.showInfo(`The local MCP server is already running at ${localServer.state.url}.`);
        return localServer.state;
      }
      return ui.withProgress('Starting the local MCP server', (progress, signal) =>
        localServer.start(progress, signal),
      );
    },
    'remoteMcp.stopLocalServer': async (): Promise<LocalServerState> => {
      await localServer.stop();
      return localServer.state;
    },
  };
}
