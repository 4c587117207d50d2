import type { ProcessExit } from '../common/processes';
import { startProcess, type ManagedProcess } from '../common/processes';
import type { Logger } from '../common/log';
import type { McpProject } from '../project/mcpProject';
import { directCommand } from '../../shared/selfHostedRun/directCommand';

/** `func`: Core Tools; `embedded`: our Node host for Functions MCP tools; `direct`: a self-hosted server's own command. */
export type LocalHostKind = 'func' | 'embedded' | 'direct';

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
  project: McpProject;
  /** The port the host listens on (for `direct`, host.json's, which the command line sets). */
  port: number;
  /** The environment to start from; each launcher adds what its host needs. */
  env: NodeJS.ProcessEnv;
  /** `embedded` only: the bundle to run. */
  embeddedEntry?: string;
  /** `embedded` only: its arguments (the app folder, for the Functions app host). */
  embeddedArgs?: string[];
}

export type HostLauncher = (request: LaunchRequest) => Promise<LaunchedHost>;

/**
 * The embedded host runs on VS Code's own Node (`process.execPath` with ELECTRON_RUN_AS_NODE), so
 * users need no separate Node.js; the IPC channel ties its life to VS Code's.
 */
export function embeddedLauncher(log: Logger): HostLauncher {
  return (request) => {
    if (!request.embeddedEntry) throw new Error('The embedded host needs its bundle.');
    const child = startProcess({
      name: 'embedded host',
      command: process.execPath,
      args: [request.embeddedEntry, ...(request.embeddedArgs ?? [])],
      cwd: request.project.folder,
      env: { ...request.env, ELECTRON_RUN_AS_NODE: '1', PORT: String(request.port), MCP_HOST: '127.0.0.1' },
      log,
      ipc: true,
    });
    return Promise.resolve(launchedProcess('embedded', child));
  };
}

/**
 * A self-hosted server's own command (host.json `customHandler.description`) in a process group of
 * its own, so Stop ends it and whatever it started (`npm start` → node). Nothing sits between the
 * client and the server: the MCP URL is the server's own port.
 */
export function directLauncher(
  log: Logger,
  runtime: { execPath: string; isElectron: boolean },
): HostLauncher {
  return (request) => {
    const command = directCommand(request.project, {
      env: request.env,
      execPath: runtime.execPath,
      execPathIsElectron: runtime.isElectron,
    });
    for (const note of command.notes) log.info(note);
    log.info(
      `Starting ${request.project.name}: ${[command.command, ...command.args].join(' ')} in ${command.cwd} (PORT=${command.port})`,
    );
    const child = startProcess({
      name: request.project.name,
      command: command.command,
      args: command.args,
      cwd: command.cwd,
      env: command.env,
      log,
    });
    return Promise.resolve(launchedProcess('direct', child));
  };
}

function launchedProcess(kind: LocalHostKind, child: ManagedProcess): LaunchedHost {
  return {
    kind,
    exited: child.exited,
    recentOutput: () => child.recentOutput,
    stop: async () => {
      await child.stop();
    },
    kill: () => child.kill(),
  };
}
