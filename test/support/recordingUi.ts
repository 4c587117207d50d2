// A UserInterface for plain-Node tests: picks and inputs take scripted answers instead of prompting,
// and every message (with its buttons), prompt and progress notification is recorded, so a test can
// assert on what a user would have seen and press a button the way a user would.
import { CancelledError, type MessageAction } from '../../extension/common/errors';
import type { InputOptions, PickItem, ProgressReporter, UserInterface } from '../../extension/common/ui';
import type { Logger } from '../../extension/common/log';

export interface RecordedMessage {
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Button titles, in order. */
  actions: string[];
}

export interface RecordedPrompt {
  kind: 'pick' | 'input';
  title: string;
  /** The options a pick offered: "label" or "label — description". */
  options: string[];
}

/** An answer that dismisses the prompt (Escape), which rejects with CancelledError. */
export const dismiss: unique symbol = Symbol('dismiss');
export type ScriptedAnswer = string | typeof dismiss;

export class RecordingUi implements UserInterface {
  readonly shown: RecordedMessage[] = [];
  readonly prompts: RecordedPrompt[] = [];
  /** Input answers the prompt's validator refused, with its message; the next answer was tried instead. */
  readonly rejected: { title: string; answer: string; problem: string }[] = [];
  readonly progress: { title: string; reports: string[] }[] = [];
  /** Web pages opened, in order. */
  readonly opened: string[] = [];
  /** Reports shown read-only, in order. */
  readonly reports: { name: string; markdown: string }[] = [];
  private readonly shownActions: (readonly MessageAction[])[] = [];
  private readonly answers: ScriptedAnswer[];

  /** `answers` are taken in order: a pick's by label, an input's as typed. */
  constructor(answers: readonly ScriptedAnswer[] = []) {
    this.answers = [...answers];
  }

  answer(...answers: ScriptedAnswer[]): this {
    this.answers.push(...answers);
    return this;
  }

  /** Answers not used yet (a test usually expects none). */
  get unusedAnswers(): readonly ScriptedAnswer[] {
    return this.answers;
  }

  messages(severity?: RecordedMessage['severity']): RecordedMessage[] {
    return severity ? this.shown.filter((shown) => shown.severity === severity) : this.shown;
  }

  last(severity?: RecordedMessage['severity']): RecordedMessage | undefined {
    return this.messages(severity).at(-1);
  }

  /** Presses a button of the newest message that offers it and returns what the button did. */
  async press(title: string): Promise<unknown> {
    for (let i = this.shownActions.length - 1; i >= 0; i--) {
      const action = this.shownActions[i]?.find((candidate) => candidate.title === title);
      if (action) return await action.run();
    }
    throw new Error(`No message offers "${title}"; shown: ${JSON.stringify(this.shown, null, 2)}`);
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

  pick<T>(title: string, items: readonly PickItem<T>[]): Promise<T> {
    // A promise executor turns a throw into a rejection, as an async prompt would reject.
    return new Promise((resolve) => resolve(this.choose(title, items)));
  }

  private choose<T>(title: string, items: readonly PickItem<T>[]): T {
    this.prompts.push({
      kind: 'pick',
      title,
      options: items.map((item) => (item.description ? `${item.label} — ${item.description}` : item.label)),
    });
    const answer = this.next(title);
    if (answer === dismiss) throw new CancelledError();
    const item = items.find((candidate) => candidate.label === answer);
    if (!item) {
      const labels = items.map((candidate) => candidate.label).join(', ');
      throw new Error(`Scripted answer "${answer}" is not an option of "${title}": ${labels}`);
    }
    return item.value;
  }

  /** Like an input box: a value the validator refuses is not accepted, and the next answer is typed. */
  input(title: string, options: InputOptions): Promise<string> {
    return new Promise((resolve) => resolve(this.type(title, options.validate)));
  }

  private type(title: string, validate?: InputOptions['validate']): string {
    this.prompts.push({ kind: 'input', title, options: [] });
    for (;;) {
      const answer = this.next(title);
      if (answer === dismiss) throw new CancelledError();
      const problem = validate?.(answer);
      if (!problem) return answer;
      this.rejected.push({ title, answer, problem });
    }
  }

  openExternal(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  }

  showReport(name: string, markdown: string): Promise<void> {
    this.reports.push({ name, markdown });
    return Promise.resolve();
  }

  async withProgress<T>(
    title: string,
    task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const reports: string[] = [];
    this.progress.push({ title, reports });
    return task({ report: (message) => reports.push(message) }, new AbortController().signal);
  }

  private next(title: string): ScriptedAnswer {
    if (this.answers.length === 0) throw new Error(`Unexpected prompt "${title}": no scripted answer left.`);
    return this.answers.shift()!;
  }

  private show(
    severity: RecordedMessage['severity'],
    message: string,
    actions: readonly MessageAction[],
  ): Promise<void> {
    this.shown.push({ severity, message, actions: actions.map((action) => action.title) });
    this.shownActions.push(actions);
    return Promise.resolve();
  }
}

/** A Logger that keeps every line as "level: message". */
export function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return {
    lines,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}
