import * as vscode from 'vscode';
import { runCommand } from './common/commandErrors';
import type { MessageAction } from './common/errors';
import type { Logger } from './common/log';
import type { UserInterface } from './common/ui';

export type CommandTable = Record<string, (...args: unknown[]) => unknown>;

/** Registers the command table, every handler behind the one error wrapper. */
export function registerCommands(
  table: CommandTable,
  ui: UserInterface,
  log: Logger,
  showLogs: MessageAction,
): vscode.Disposable[] {
  return Object.entries(table).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) =>
      runCommand(id, () => handler(...args), ui, log, showLogs),
    ),
  );
}
