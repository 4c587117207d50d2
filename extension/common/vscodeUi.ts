import * as vscode from 'vscode';
import { CancelledError, type MessageAction } from './errors';
import type { InputOptions, PickItem, ProgressReporter, UserInterface } from './ui';

export interface ShownMessage {
  severity: 'error' | 'warning' | 'info';
  message: string;
  actions: string[];
}

/** The scheme of the reports' virtual documents: read-only, never dirty, never saved. */
export const REPORT_SCHEME = 'remote-mcp-report';

/**
 * Messages are shown without awaiting the user's choice; a chosen action runs when it is picked.
 * With scripted answers (tests), picks and inputs take the next answer instead of prompting, and an
 * unexpected prompt fails at once instead of hanging the run.
 */
export class VsCodeUserInterface implements UserInterface, vscode.Disposable {
  /** What was shown, newest last; read by the test API so tests can assert on what users see. */
  readonly shown: ShownMessage[] = [];
  /** Web pages opened, newest last; read by the test API. */
  readonly opened: string[] = [];
  private readonly shownActions: (readonly MessageAction[])[] = [];
  private scripted: string[] | undefined;
  private linksCaptured = false;
  /** Registered with the first report, so activation registers nothing for reports never shown. */
  private reports: ReportDocuments | undefined;

  /**
   * Test mode: web pages are recorded, not opened. VS Code's test mode refuses the "open the
   * external website?" confirmation, and a test has no browser to look at anyway.
   */
  captureLinks(): void {
    this.linksCaptured = true;
  }

  /** Test mode: answers for the coming picks (by label) and inputs (by value), in order. */
  scriptAnswers(answers: string[]): void {
    this.scripted = [...(this.scripted ?? []), ...answers];
  }

  /** Test mode: presses a button of the newest message that has it, as a user would. */
  async press(title: string): Promise<unknown> {
    for (let i = this.shownActions.length - 1; i >= 0; i--) {
      const action = this.shownActions[i]?.find((candidate) => candidate.title === title);
      if (action) return await action.run();
    }
    throw new Error(`No message offers "${title}"; shown: ${JSON.stringify(this.shown)}`);
  }

  showError(message: string, actions: readonly MessageAction[] = []): Promise<void> {
    return this.show('error', message, actions);
  }

  showWarning(message: string, actions: readonly MessageAction[] = []): Promise<void> {
    return this.show('warning', message, actions);
  }

  showInfo(message: string, actions: readonly MessageAction[] = []): Promise<void> {
    return this.show('info', message, actions);
  }

  async pick<T>(
    title: string,
    items: readonly PickItem<T>[],
    options: { placeholder?: string } = {},
  ): Promise<T> {
    if (this.scripted) {
      const answer = this.nextAnswer(title);
      const item = items.find((candidate) => candidate.label === answer);
      if (!item)
        throw new Error(
          `Scripted answer "${answer}" is not an option of "${title}": ${items.map((i) => i.label).join(', ')}`,
        );
      return item.value;
    }
    const picked = await vscode.window.showQuickPick(
      items.map((item) => ({ ...item, item })),
      { title, placeHolder: options.placeholder, ignoreFocusOut: true },
    );
    if (!picked) throw new CancelledError();
    return picked.item.value;
  }

  async input(title: string, options: InputOptions): Promise<string> {
    if (this.scripted) {
      const answer = this.nextAnswer(title);
      const problem = options.validate?.(answer);
      if (problem) throw new Error(`Scripted answer "${answer}" for "${title}" is invalid: ${problem}`);
      return answer;
    }
    const value = await vscode.window.showInputBox({
      title,
      prompt: options.prompt,
      value: options.value,
      placeHolder: options.placeholder,
      ignoreFocusOut: true,
      validateInput: options.validate,
    });
    if (value === undefined) throw new CancelledError();
    return value;
  }

  async showReport(name: string, markdown: string): Promise<void> {
    this.reports ??= new ReportDocuments();
    const uri = this.reports.set(name, markdown);
    // Opened first so the report is among workspace.textDocuments; the preview renders it.
    await vscode.workspace.openTextDocument(uri);
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  }

  dispose(): void {
    this.reports?.dispose();
  }

  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
    if (!this.linksCaptured) await vscode.env.openExternal(vscode.Uri.parse(url, true));
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

  private nextAnswer(title: string): string {
    const answer = this.scripted?.shift();
    if (answer === undefined) throw new Error(`Unexpected prompt "${title}": no scripted answer left.`);
    return answer;
  }

  private show(
    severity: ShownMessage['severity'],
    message: string,
    actions: readonly MessageAction[],
  ): Promise<void> {
    this.shown.push({ severity, message, actions: actions.map((action) => action.title) });
    this.shownActions.push(actions);
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

/**
 * Reports as virtual documents (https://code.visualstudio.com/api/extension-guides/virtual-documents):
 * VS Code shows them read-only and never asks to save them, unlike an Untitled document.
 */
class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this);

  /** Stores a report under `name`; an open report of that name shows the new one. */
  set(name: string, markdown: string): vscode.Uri {
    // The .md extension makes VS Code take the document for Markdown.
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name}.md` });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
