// `npm start -- --project <folder>`: runs a user's MCP project from a terminal the way Start Local
// Server does in VS Code (issue 13, point 4), reading the same project model. A self-hosted SDK
// server runs its own command (host.json) with PORT / FUNCTIONS_CUSTOMHANDLER_PORT set to host.json's
// port, built first when its entry file is missing; readiness is an MCP initialize at /mcp. A Node.js
// Functions MCP app runs on the Functions app host (server/dist/functionsApp.js, issue 14), built
// first when package.json `main` matches no file yet; other languages need Core Tools.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { McpProject } from '../../shared/mcpProject/mcpProject';
import { recognizeProjects } from '../../shared/mcpProject/recognizeProjects';
import { isPortFree } from '../../shared/net';
import { directCommand, DirectRunError } from '../../shared/selfHostedRun/directCommand';
import { nodePreflight } from '../../shared/selfHostedRun/nodePreflight';
import { functionsAppPreflight } from '../../shared/functionsAppRun/appPreflight';
import { missingRuntime, languageRuntime } from '../../shared/functionsAppRun/languageRuntimes';
import { findOnPath } from '../../shared/selfHostedRun/directCommand';

/** Something the user must fix, said as the whole message. */
export class ProjectRunError extends Error {}

/** The project in `folder` (or its only sub-folder project), with its problems printed as warnings. */
export async function projectIn(folder: string): Promise<McpProject> {
  const absolute = path.resolve(folder);
  const { projects, candidates, problems } = await recognizeProjects([absolute]);
  for (const problem of problems) console.warn(`Warning: ${problem.file}: ${problem.message}`);
  const project =
    projects.find((found) => found.folder === absolute) ?? (projects.length === 1 ? projects[0] : undefined);
  if (project) return project;
  if (projects.length > 1)
    throw new ProjectRunError(
      `${absolute} holds several MCP projects (${projects.map((found) => found.folder).join(', ')}): pass one of them to --project.`,
    );
  const [candidate] = candidates;
  if (candidate)
    throw new ProjectRunError(
      `${candidate.name} (${candidate.folder}) is an MCP server not hosted on Azure Functions yet: run "Host on Azure Functions…" on it in VS Code, which adds host.json, then run this again.`,
    );
  throw new ProjectRunError(
    `No MCP project in ${absolute}: it needs a host.json for a self-hosted MCP server (configurationProfile "mcp-custom-handler") or a Functions app with MCP tools.`,
  );
}

export interface DirectStart {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  url: string;
}

/** Checks, builds when needed, and returns the command to spawn for a self-hosted server. */
export async function prepareSelfHosted(project: McpProject): Promise<DirectStart> {
  let command;
  try {
    command = directCommand(project, {
      env: process.env,
      execPath: process.execPath,
      execPathIsElectron: false,
    });
  } catch (error) {
    throw error instanceof DirectRunError ? new ProjectRunError(error.message) : error;
  }
  for (const note of command.notes) console.log(note);
  if (!(await isPortFree(command.port)))
    throw new ProjectRunError(
      `Port ${command.port}, where ${project.name} listens (customHandler.port in host.json), is already in use. Stop the program using it, or change customHandler.port in host.json.`,
    );
  const direct = project.localRun.direct;
  if (project.language === 'node' && direct) {
    const check = nodePreflight(project.folder, direct);
    if (check.status === 'notInstalled')
      throw new ProjectRunError(
        `The dependencies of ${project.name} are not installed (${check.missing.join(', ')}): run \`npm install\` in ${project.folder}, then run this again.`,
      );
    if (check.status === 'noEntry')
      throw new ProjectRunError(
        `${check.entry}, which host.json tells node to run, does not exist and package.json has no "build" script. Build ${project.name}, or correct customHandler.description.arguments in host.json.`,
      );
    if (check.status === 'notBuilt') build(project);
  }
  return {
    command: command.command,
    args: command.args,
    cwd: command.cwd,
    env: command.env,
    url: `http://127.0.0.1:${command.port}${project.mcpPath}`,
  };
}

/**
 * Checks a Node.js Functions MCP app before the Functions app host loads it: dependencies
 * installed, and built when package.json `main` matches no file yet (the same checks as Start Local
 * Server, shared/functionsAppRun/appPreflight.ts).
 */
export function prepareFunctionsApp(project: McpProject): void {
  const check = functionsAppPreflight(project.folder);
  switch (check.status) {
    case 'ready':
      return;
    case 'notInstalled':
      throw new ProjectRunError(
        `The dependencies of ${project.name} are not installed (${check.missing.join(', ')}): run \`npm install\` in ${project.folder}, then run this again.`,
      );
    case 'noEntry':
      throw new ProjectRunError(
        `package.json's "main" (${check.main}) matches no file in ${project.folder}, and package.json has no "build" script. Build ${project.name}, or correct "main" in package.json.`,
      );
    case 'notBuilt':
      console.log(`package.json's "main" (${check.main}) matches no file yet.`);
      build(project);
      if (functionsAppPreflight(project.folder).status !== 'ready')
        throw new ProjectRunError(
          `"npm run build" finished, but package.json's "main" (${check.main}) still matches no file. Correct "main" in package.json to name the files your build writes.`,
        );
  }
}

/** Without Core Tools, a non-Node app cannot run: what to install (Core Tools, and the language's runtime when missing). */
export function coreToolsNeeded(project: McpProject, folderArgument: string): ProjectRunError {
  const runtime = missingRuntime(project.language, (name) => findOnPath(name, process.env) !== undefined);
  const language = languageRuntime(project.language)?.language ?? 'an unknown language';
  return new ProjectRunError(
    `${project.name} is an Azure Functions MCP extension app in ${language}: without Core Tools, npm start runs Node.js apps only. Install Azure Functions Core Tools (https://learn.microsoft.com/azure/azure-functions/functions-run-local)${runtime ? ` and ${runtime.name} (${runtime.installUrl})` : ''}, then run \`npm start -- --project ${folderArgument} --func\`.`,
  );
}

function build(project: McpProject): void {
  console.log(`Building ${project.name} (npm run build) ...`);
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: project.folder,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0)
    throw new ProjectRunError(
      `Building ${project.name} failed (npm run build${result.error ? `: ${result.error.message}` : ''}): fix the build, then run this again.`,
    );
}
