// What stops a local start, said so the user can fix it: the project's own file problems, a port
// in use, a server that dies or never answers.
import path from 'node:path';
import { UserFacingError, type MessageAction } from '../common/errors';
import type { Logger } from '../common/log';
import { isPortFree } from '../../shared/net';
import { pythonEnvironmentCommand } from '../../shared/selfHostedRun/directCommand';
import type { McpProject, ProjectProblem } from '../project/mcpProject';
import type { LaunchedHost } from './launchers';
import type { LaunchPlan } from './launchPlan';
import type { LocalServerSettings } from './settings';

/** What these need from the manager's services (a subset, so this module does not import the manager). */
export interface StartProblemServices {
  log: Logger;
  notify: { warning(message: string, actions?: readonly MessageAction[]): void };
  actions: { showLogs(): MessageAction; openSetting(id: string): MessageAction };
}

/** Recognition's problems in the chosen project's files: all in the log, the first as a warning. */
export function reportProjectProblems(
  project: McpProject,
  problems: readonly ProjectProblem[],
  services: StartProblemServices,
): void {
  if (project.kind === 'bundled') return;
  const own = problems.filter((problem) => isInside(problem.file, project.folder));
  for (const problem of own) services.log.warn(`${problem.file}: ${problem.message}`);
  const [first] = own;
  if (!first) return;
  const more = own.length > 1 ? ` (${own.length - 1} more in the logs)` : '';
  services.notify.warning(`${project.name}: ${first.message}${more}`, [services.actions.showLogs()]);
}

export async function ensurePortsFree(
  project: McpProject,
  plan: LaunchPlan,
  settings: LocalServerSettings,
  actions: StartProblemServices['actions'],
): Promise<void> {
  if (plan.host === 'direct') {
    if (!(await isPortFree(plan.port))) {
      throw new UserFacingError(
        `Port ${plan.port}, where ${project.name} listens (customHandler.port in host.json), is already in use, so it cannot start. Stop the program using it, or change customHandler.port in host.json (your server reads it from PORT or FUNCTIONS_CUSTOMHANDLER_PORT).`,
      );
    }
    return;
  }
  if (!(await isPortFree(settings.port))) {
    throw new UserFacingError(
      `Port ${settings.port} is already in use, so the local MCP server cannot start. Stop the program using it, or change the setting remoteMcp.localServer.port.`,
      [actions.openSetting('remoteMcp.localServer.port')],
    );
  }
  if (plan.handlerPort !== undefined && !(await isPortFree(plan.handlerPort))) {
    throw new UserFacingError(
      `Port ${plan.handlerPort}, where func starts ${project.name} (customHandler.port in host.json), is already in use. Stop the program using it, or change customHandler.port in host.json.`,
    );
  }
}

export async function startFailure(
  reason: 'timeout' | 'exited' | 'cancelled',
  host: LaunchedHost,
  project: McpProject,
  plan: LaunchPlan,
  settings: LocalServerSettings,
  services: Pick<StartProblemServices, 'actions'>,
): Promise<Error> {
  const { actions } = services;
  const name =
    host.kind === 'func' ? 'func start' : host.kind === 'embedded' ? 'The embedded host' : project.name;
  if (reason === 'cancelled') return new UserFacingError('Starting the local MCP server was cancelled.');
  if (reason === 'timeout') {
    const where =
      plan.readiness === 'mcpInitialize'
        ? `did not answer an MCP initialize at ${plan.url}`
        : `did not answer on port ${plan.port}`;
    const hint =
      host.kind === 'direct'
        ? ` Check that it listens on the port in PORT or FUNCTIONS_CUSTOMHANDLER_PORT (${plan.port}) and serves Streamable HTTP at ${project.mcpPath}.`
        : '';
    return new UserFacingError(
      `${name} ${where} within ${settings.startTimeoutMs / 1000} s.${hint} See the logs, or raise remoteMcp.localServer.startTimeoutSeconds.`,
      [actions.showLogs(), actions.openSetting('remoteMcp.localServer.startTimeoutSeconds')],
    );
  }
  const exit = await host.exited;
  const output = host.recentOutput().filter((line) => line.trim());
  const how = exit.signal ?? `exit code ${exit.code}`;
  if (host.kind === 'direct' && project.language === 'python') {
    const missingModule = output
      .map((line) => /ModuleNotFoundError: No module named '([^']+)'/.exec(line)?.[1])
      .find((module) => module !== undefined);
    if (missingModule) {
      return new UserFacingError(
        `${project.name} stopped (${how}): the Python module "${missingModule}" is not installed. Create the project's environment in ${project.folder}: ${pythonEnvironmentCommand()} — then start again.`,
        [actions.showLogs()],
      );
    }
  }
  const lastLine = output.pop();
  if (host.kind === 'embedded' && plan.embeddedArgs) {
    // The Functions app host's contract: a problem in the user's app is one message on stderr naming
    // it and its fix, then exit 1 (server/src/hosts/functionsApp/main.ts). That message is the error.
    return new UserFacingError(
      lastLine
        ? `${project.name} could not start: ${lastLine}`
        : `${project.name} could not start on the embedded host (${how}). See the logs.`,
      [actions.showLogs()],
    );
  }
  return new UserFacingError(
    `${name} exited before it was ready (${how})${lastLine ? `: ${lastLine}` : '.'}`,
    [actions.showLogs()],
  );
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
