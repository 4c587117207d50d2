import type { ProcessExit } from '../common/processes';
import { startProcess } from '../common/processes';
import type { Logger } from '../common/log';
import type { ServerProject } from './serverProject';

export type LocalHostKind = 'func' | 'embedded';

/** A local server process (or VS Code Task) as the manager sees it, whatever runs it. */
export interface LaunchedHost {
  readonly kind: LocalHostKind;
  readonly exited: Promise<ProcessExit>;
  /** What it printed last, for error messages (empty for a Task, whose output is in its terminal). */
  recentOutput(): readonly string[];
  stop(): Promise<void>;
  /** Synchronous best effort, for VS Code's shutdown. */
  kill(): void;
}

export interface LaunchRequest {
  project: ServerProject;
  port: number;
  env: NodeJS.ProcessEnv;
}

export type HostLauncher = (request: LaunchRequest) => Promise<LaunchedHost>;

/**
 * The embedded host runs on VS Code's own Node (`process.execPath` with ELECTRON_RUN_AS_NODE), so
 * users need no separate Node.js; the IPC channel ties its life to VS Code's.
 */
export function embeddedLauncher(bundledEntry: string, log: Logger): HostLauncher {
  return (request) => {
    const entry = request.project.embeddedEntry ?? bundledEntry;
    const child = startProcess({
      name: 'embedded host',
      command: process.execPath,
      args: [entry],
      cwd: request.project.dir,
      env: { ...request.env, ELECTRON_RUN_AS_NODE: '1', PORT: String(request.port), MCP_HOST: '127.0.0.1' },
      log,
      ipc: true,
    });
    return Promise.resolve({
      kind: 'embedded',
      exited: child.exited,
      recentOutput: () => child.recentOutput,
      stop: async () => {
        await child.stop();
      },
      kill: () => child.kill(),
    });
  };
}
