import * as vscode from 'vscode';
import type { ProcessExit } from '../common/processes';
import type { HostLauncher } from './launchers';

/**
 * `func start` runs as a VS Code Task, so its output is in a terminal the user can watch and it
 * can be stopped like any task; its end is read from the task events.
 */
export function funcTaskLauncher(funcPath: () => string): HostLauncher {
  return async (request) => {
    const definition = { type: 'remoteMcp', task: 'func start' };
    const env = Object.fromEntries(
      Object.entries(request.env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const task = new vscode.Task(
      definition,
      vscode.TaskScope.Workspace,
      'func start',
      'Remote MCP',
      new vscode.ProcessExecution(funcPath(), ['start', '--port', String(request.port)], {
        cwd: request.project.folder,
        env,
      }),
    );
    task.presentationOptions = {
      reveal: vscode.TaskRevealKind.Silent,
      panel: vscode.TaskPanelKind.Dedicated,
      clear: true,
    };
    task.isBackground = true;

    let resolveExit: (exit: ProcessExit) => void = () => undefined;
    const exited = new Promise<ProcessExit>((resolve) => (resolveExit = resolve));
    const execution = await vscode.tasks.executeTask(task);
    const subscriptions = [
      vscode.tasks.onDidEndTaskProcess((event) => {
        if (event.execution === execution) resolveExit({ code: event.exitCode ?? null, signal: null });
      }),
      // A task that fails to launch its process ends without a process event.
      vscode.tasks.onDidEndTask((event) => {
        if (event.execution === execution) resolveExit({ code: null, signal: null });
      }),
    ];
    void exited.then(() => {
      for (const subscription of subscriptions) subscription.dispose();
    });

    return {
      kind: 'func',
      exited,
      recentOutput: () => [],
      stop: async () => {
        // Terminating the task ends its whole process tree (func and its language worker).
        execution.terminate();
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      },
      kill: () => execution.terminate(),
    };
  };
}
