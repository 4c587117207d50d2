import * as vscode from 'vscode';
import { CancelledError, type MessageAction } from './errors';
import type { ProgressReporter, UserInterface } from './ui';

export interface ShownMessage {
  severity: 'error' | 'warning' | 'info';
  message: string;
  actions: string[];
}

/** Messages are shown without awaiting the user's choice; a chosen action runs when it is picked. */
export class VsCodeUserInterface implements UserInterface {
  /** What was shown, newest last; read by the test API so tests can assert on what users see. */
  readonly shown: ShownMessage[] = [];

  showError(message: string, actions: readonly MessageAction[] = []): Promise<void> {
    return this.show('error', message, actions);
  }

  showWarning(message: string, actions: readonly MessageAction[] = []): Promise<void> {
    return this.show('warning', message, actions);
  }

  showInfo(message: string, actions: readonly MessageAction[] = []): Promise<void> {
    return this.show('info', message, actions);
  }

  async withProgress<T>(
    title: string,
    task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        try {
          const result = await task({ report: (message) => progress.report({ message }) }, controller.signal);
          if (controller.signal.aborted) throw new CancelledError();
          return result;
        } finally {
          subscription.dispose();
        }
      },
    );
  }

  private show(
    severity: ShownMessage['severity'],
    message: string,
    actions: readonly MessageAction[],
  ): Promise<void> {
    this.shown.push({ severity, message, actions: actions.map((action) => action.title) });
    const show =
      severity === 'error'
        ? vscode.window.showErrorMessage
        : severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    void Promise.resolve(show(message, ...actions.map((action) => action.title))).then((picked) =>
      actions.find((action) => action.title === picked)?.run(),
    );
    return Promise.resolve();
  }
}
