import { CancelledError, UserFacingError, errorMessage, type MessageAction } from './errors';
import type { Logger } from './log';
import type { UserInterface } from './ui';

/**
 * The one wrapper around every command: cancellation is silent; a UserFacingError is shown as it
 * is, with its fix as buttons; anything else is logged in full and summarised. Every error
 * message offers Show Logs. The handler's result is passed through (tests read it).
 */
export async function runCommand<T>(
  commandId: string,
  handler: () => Promise<T> | T,
  ui: UserInterface,
  log: Logger,
  showLogs: MessageAction,
): Promise<T | undefined> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof CancelledError) {
      log.info(`${commandId}: cancelled.`);
      return undefined;
    }
    if (error instanceof UserFacingError) {
      log.error(`${commandId}: ${error.message}`);
      await ui.showError(error.message, [...error.actions, showLogs]);
      return undefined;
    }
    log.error(
      `${commandId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    await ui.showError(`${commandId} failed: ${errorMessage(error)}`, [showLogs]);
    return undefined;
  }
}
