import * as vscode from 'vscode';
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { CancelledError } from '../common/errors';
import type { Logger } from '../common/log';

export interface AzdRun {
  exitCode: number | null;
  lines: string[];
}

/**
 * Runs a long azd command (up, deploy, provision) as a VS Code Task the user can watch in the
 * terminal and stop like any task. A custom execution is used rather than a process execution so
 * the extension also reads the output: azd's result is in its last lines (ERROR:, Endpoint:).
 */
export async function runAzdAsTask(options: {
  azdPath: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  title: string;
  log: Logger;
  signal?: AbortSignal;
}): Promise<AzdRun> {
  const lines: string[] = [];
  let resolveRun!: (run: AzdRun) => void;
  let rejectRun!: (error: unknown) => void;
  const finished = new Promise<AzdRun>((resolve, reject) => {
    resolveRun = resolve;
    rejectRun = reject;
  });

  const execution = new vscode.CustomExecution(() => {
    const write = new vscode.EventEmitter<string>();
    const close = new vscode.EventEmitter<number>();
    let kill: () => void = () => undefined;
    const terminal: vscode.Pseudoterminal = {
      onDidWrite: write.event,
      onDidClose: close.event,
      open: () => {
        write.fire(`> azd ${options.args.join(' ')}\r\n\r\n`);
        const child = spawn(options.azdPath, options.args, {
          cwd: options.cwd,
          env: options.env,
          windowsHide: true,
        });
        kill = () => child.kill('SIGTERM');
        options.signal?.addEventListener('abort', kill, { once: true });
        for (const stream of [child.stdout, child.stderr]) {
          readline.createInterface({ input: stream }).on('line', (line) => {
            lines.push(line);
            options.log.info(`[azd] ${line}`);
            write.fire(`${line}\r\n`);
          });
        }
        child.once('error', (error) => {
          write.fire(`\r\n${error.message}\r\n`);
          close.fire(1);
          rejectRun(error);
        });
        child.once('close', (code) => {
          write.fire(`\r\nazd exited with code ${code}.\r\n`);
          close.fire(code ?? 1);
          if (options.signal?.aborted) rejectRun(new CancelledError());
          else resolveRun({ exitCode: code, lines });
        });
      },
      // Closing the terminal or terminating the task stops azd.
      close: () => kill(),
    };
    return Promise.resolve(terminal);
  });

  const task = new vscode.Task(
    { type: 'remoteMcp', task: `azd ${options.args[0]}` },
    vscode.TaskScope.Workspace,
    options.title,
    'Remote MCP',
    execution,
  );
  task.presentationOptions = {
    reveal: vscode.TaskRevealKind.Always,
    panel: vscode.TaskPanelKind.Dedicated,
    clear: true,
  };
  await vscode.tasks.executeTask(task);
  return finished;
}
