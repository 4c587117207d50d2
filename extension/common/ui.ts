import type { MessageAction } from './errors';

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
  picked?: boolean;
}

export interface ProgressReporter {
  report(message: string): void;
}

/**
 * Every message and prompt goes through this, so logic stays testable in plain Node and a test
 * can record what a user would have seen instead of a dialog hanging the run.
 */
export interface InputOptions {
  prompt?: string;
  value?: string;
  placeholder?: string;
  /** Returns what is wrong with a value, or undefined when it is acceptable. */
  validate?: (value: string) => string | undefined;
}

export interface UserInterface {
  showError(message: string, actions?: readonly MessageAction[]): Promise<void>;
  showWarning(message: string, actions?: readonly MessageAction[]): Promise<void>;
  showInfo(message: string, actions?: readonly MessageAction[]): Promise<void>;
  /** A quick pick; rejects with CancelledError when dismissed. */
  pick<T>(title: string, items: readonly PickItem<T>[], options?: { placeholder?: string }): Promise<T>;
  /** An input box; `validate` returns a message for a bad value. Rejects with CancelledError when dismissed. */
  input(title: string, options: InputOptions): Promise<string>;
  /**
   * Shows a Markdown report read-only, under `name` (showing a name again replaces its report):
   * nothing for the user to save, so closing it asks nothing.
   */
  showReport(name: string, markdown: string): Promise<void>;
  /** Opens a web page in the user's browser (the Azure portal). */
  openExternal(url: string): Promise<void>;
  /** A cancellable notification; the signal aborts when the user cancels. */
  withProgress<T>(
    title: string,
    task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>,
  ): Promise<T>;
}
