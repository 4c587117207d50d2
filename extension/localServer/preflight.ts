// What a project needs before its local run starts: a self-hosted server's interpreter, installed
// dependencies and build (issue 13, point 4); a Node.js Functions app's dependencies and build
// (issue 14). Each missing piece is a message with the exact command.
import path from 'node:path';
import { UserFacingError, type MessageAction } from '../common/errors';
import type { Logger } from '../common/log';
import { startProcess, type ProcessExit } from '../common/processes';
import type { ProgressReporter } from '../common/ui';
import type { McpProject } from '../project/mcpProject';
import { directCommand, DirectRunError, type CommandLookup } from '../../shared/selfHostedRun/directCommand';
import { entryFile, nodePreflight } from '../../shared/selfHostedRun/nodePreflight';
import { functionsAppPreflight } from '../../shared/functionsAppRun/appPreflight';

export interface ScriptRun {
  exit: ProcessExit;
  /** The last lines it printed, for the error message. */
  output: readonly string[];
}

export interface PreflightServices {
  lookup: CommandLookup;
  /** Runs `npm run <script>` in the folder, its output to the log; cancelled by the signal. */
  runNpmScript(folder: string, script: string, signal?: AbortSignal): Promise<ScriptRun>;
  log: Logger;
  actions: {
    showLogs(): MessageAction;
    /** Runs `npm install` in the folder where the user can watch it (a Task). */
    npmInstall(folder: string): MessageAction;
  };
}

/** Throws a UserFacingError naming the fix when the server cannot start yet; builds it when only that is missing. */
export async function prepareDirectRun(
  project: McpProject,
  services: PreflightServices,
  progress?: ProgressReporter,
  signal?: AbortSignal,
): Promise<void> {
  try {
    directCommand(project, services.lookup);
  } catch (error) {
    if (error instanceof DirectRunError) throw new UserFacingError(error.message);
    throw error;
  }
  const direct = project.localRun.direct;
  if (project.language !== 'node' || !direct) return;
  const check = nodePreflight(project.folder, direct);
  const folder = project.folder;
  switch (check.status) {
    case 'ready':
      return;
    case 'notInstalled':
      throw notInstalled(project, check.missing, services);
    case 'noEntry':
      throw new UserFacingError(
        `${relative(folder, check.entry)}, which host.json tells node to run, does not exist and package.json has no "build" script to make it. Build ${project.name}, or correct customHandler.description.arguments in host.json.`,
      );
    case 'notBuilt':
      break;
  }
  await runBuild(project, services, `${relative(folder, check.entry)} is missing`, progress, signal);
  const entry = entryFile(direct);
  if (entry && nodePreflight(folder, direct).status !== 'ready') {
    throw new UserFacingError(
      `"npm run build" finished, but ${relative(folder, entry)}, which host.json tells node to run, is still missing. Correct customHandler.description.arguments in host.json to name the file your build writes.`,
      [services.actions.showLogs()],
    );
  }
}

/**
 * What a Node.js Functions app needs before the embedded host loads it (issue 14): installed
 * dependencies, and a build when package.json `main` matches no file yet (a fresh clone of a
 * TypeScript app). The host itself reports what it finds in the code.
 */
export async function prepareFunctionsApp(
  project: McpProject,
  services: PreflightServices,
  progress?: ProgressReporter,
  signal?: AbortSignal,
): Promise<void> {
  const folder = project.folder;
  const check = functionsAppPreflight(folder);
  switch (check.status) {
    case 'ready':
      return;
    case 'notInstalled':
      throw notInstalled(project, check.missing, services);
    case 'noEntry':
      throw new UserFacingError(
        `package.json's "main" (${check.main}) matches no file in ${folder}, and package.json has no "build" script to make it. Build ${project.name}, or correct "main" in package.json to name your compiled functions.`,
      );
    case 'notBuilt':
      break;
  }
  await runBuild(
    project,
    services,
    `package.json's "main" (${check.main}) matches no file yet`,
    progress,
    signal,
  );
  if (functionsAppPreflight(folder).status !== 'ready') {
    throw new UserFacingError(
      `"npm run build" finished, but package.json's "main" (${check.main}) still matches no file. Correct "main" in package.json to name the files your build writes (the Functions samples use dist/src/functions/*.js).`,
      [services.actions.showLogs()],
    );
  }
}

function notInstalled(project: McpProject, missing: readonly string[], services: PreflightServices) {
  const folder = project.folder;
  return new UserFacingError(
    `The dependencies of ${project.name} are not installed (${missing.join(', ')} cannot be found from ${folder}). Run "npm install" in ${folder}, then start again.`,
    [services.actions.npmInstall(folder)],
  );
}

/** `npm run build`, with progress; a failure names the build's last lines. */
async function runBuild(
  project: McpProject,
  services: PreflightServices,
  why: string,
  progress: ProgressReporter | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  const folder = project.folder;
  progress?.report(`Building ${project.name} (npm run build)…`);
  services.log.info(`${why}: running "npm run build" in ${folder}.`);
  const build = await services.runNpmScript(folder, 'build', signal);
  if (signal?.aborted) throw new UserFacingError('Starting the local MCP server was cancelled.');
  if (build.exit.code !== 0) {
    const tail = build.output
      .filter((line) => line.trim())
      .slice(-3)
      .join(' | ');
    throw new UserFacingError(
      `Building ${project.name} failed (npm run build, ${build.exit.signal ?? `exit code ${build.exit.code}`})${tail ? `: ${tail}` : '.'} Fix the build, then start again.`,
      [services.actions.showLogs()],
    );
  }
}

/** `npm run <script>` through the one process wrapper; on Windows npm is a .cmd, which needs the shell. */
export function npmScriptRunner(log: Logger, env: NodeJS.ProcessEnv) {
  return async (folder: string, script: string, signal?: AbortSignal): Promise<ScriptRun> => {
    const windows = process.platform === 'win32';
    const child = startProcess({
      name: `npm run ${script}`,
      command: windows ? (env.ComSpec ?? 'cmd.exe') : 'npm',
      args: windows ? ['/d', '/s', '/c', `npm run ${script}`] : ['run', script],
      cwd: folder,
      env,
      log,
    });
    const cancel = () => void child.stop();
    signal?.addEventListener('abort', cancel, { once: true });
    const exit = await child.exited;
    signal?.removeEventListener('abort', cancel);
    if (exit.code === -1)
      return {
        exit,
        output: ['npm was not found: install Node.js (https://nodejs.org), which includes npm.'],
      };
    return { exit, output: [...child.recentOutput] };
  };
}

function relative(folder: string, file: string): string {
  return path.relative(folder, file) || file;
}
