// "Host on Azure Functions…": prepares an MCP SDK server to run as a Functions custom handler.
import { CommandId } from '../commandIds';
import { UserFacingError } from '../common/errors';

/** Placeholder registration until the command lands (issue 13, point 3). */
export function hostOnFunctionsCommand() {
  return {
    [CommandId.hostOnFunctions]: (): never => {
      throw new UserFacingError('Host on Azure Functions is not available yet.');
    },
  };
}
