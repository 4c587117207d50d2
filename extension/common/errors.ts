/** A button on an error or warning message. */
export interface MessageAction {
  title: string;
  run(): unknown;
}

/**
 * A failure the user can fix. Its message says what failed and names the fix (a setting, a
 * command, something to install); the actions offer that fix as buttons.
 */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  constructor(
    message: string,
    readonly actions: readonly MessageAction[] = [],
  ) {
    super(message);
  }
}

/** The user cancelled (a dialog, a progress notification): nothing to report. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('Cancelled');
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
