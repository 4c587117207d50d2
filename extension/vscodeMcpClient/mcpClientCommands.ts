import { UserFacingError } from '../common/errors';
import {
  listServersCommand,
  type McpClientCommands,
  type McpClientStarter,
  type McpClientState,
} from './mcpClientStarter';
import { CommandId } from '../commandIds';

/**
 * "Start in VS Code's MCP client": the MCP Servers view's one click for a server that Start or
 * Connect could not start there (its row passes the server's label).
 */
export function mcpClientCommands(starter: Pick<McpClientStarter, 'start'>, commands: McpClientCommands) {
  return {
    [CommandId.startInMcpClient]: async (label?: unknown): Promise<McpClientState | undefined> => {
      if (typeof label !== 'string' || !label) {
        throw new UserFacingError(
          'Choose the server\'s "Start in VS Code\'s MCP client" row in the MCP Servers view.',
        );
      }
      const state = await starter.start(label);
      // Without the start command, VS Code's own list is where the user starts it (one more click).
      // Not awaited: the quick pick does not return until it is closed.
      if (
        state?.status === 'notStarted' &&
        state.reason === 'noCommand' &&
        (await commands.has(listServersCommand))
      ) {
        void commands.execute(listServersCommand);
      }
      return state;
    },
  };
}
