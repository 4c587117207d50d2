// The command line of a self-hosted MCP server run without Core Tools: host.json's
// `customHandler.description` (https://learn.microsoft.com/azure/azure-functions/functions-custom-handlers),
// with the environment `func start` would give it. Plain Node: the extension's launcher and
// `npm start -- --project` both use it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'jsonc-parser';
import type { DirectRun, McpProject } from '../mcpProject/mcpProject';

export interface DirectCommand {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  port: number;
  /** Said in the log: which interpreter was chosen, and why when it is not the obvious one. */
  notes: string[];
}

/** The server cannot be run: what is missing and the fix. */
export class DirectRunError extends Error {
  override readonly name = 'DirectRunError';
}

export interface CommandLookup {
  /** The environment the server starts from (VS Code's, or the terminal's). */
  env: NodeJS.ProcessEnv;
  /** The Node that runs this code, to fall back on when no `node` is on PATH. */
  execPath: string;
  /** True when `execPath` is Electron (VS Code) and needs ELECTRON_RUN_AS_NODE to act as Node. */
  execPathIsElectron: boolean;
  platform?: NodeJS.Platform;
}

const pythonInstall = 'https://www.python.org/downloads/';
const nodeNames = new Set(['node', 'node.exe']);
const pythonNames = /^(python(3(\.\d+)?)?|py)(\.exe)?$/i;

export function directRunOf(project: McpProject): DirectRun {
  const direct = project.localRun.direct;
  if (!direct) {
    throw new DirectRunError(
      `${project.name} cannot run without Azure Functions Core Tools: its host.json does not describe the server's own command ` +
        '(customHandler.description.defaultExecutablePath and arguments). Fix host.json, or install Core Tools.',
    );
  }
  return direct;
}

/**
 * How to start the server: the interpreter host.json names, looked up as a user's shell would (on
 * PATH; for Python, the project's own `.venv`/`venv` first, since that is where its packages are),
 * with PORT and FUNCTIONS_CUSTOMHANDLER_PORT set to host.json's port and local.settings.json's
 * `Values` in the environment, as `func start` sets them.
 */
export function directCommand(project: McpProject, lookup: CommandLookup): DirectCommand {
  const direct = directRunOf(project);
  const platform = lookup.platform ?? process.platform;
  const notes: string[] = [];
  const extraEnv: NodeJS.ProcessEnv = {};
  const program = path.basename(direct.executable);
  let command: string;
  if (nodeNames.has(program.toLowerCase()) && direct.executable === program) {
    const onPath = findOnPath('node', lookup.env, platform);
    if (onPath) command = onPath;
    else {
      // A user's server may need their own Node version, so theirs comes first; VS Code's Node
      // still runs most servers, which beats refusing to start.
      command = lookup.execPath;
      if (lookup.execPathIsElectron) extraEnv.ELECTRON_RUN_AS_NODE = '1';
      notes.push(
        `No node was found on PATH, so ${project.name} runs on ${lookup.execPathIsElectron ? "VS Code's own Node" : lookup.execPath} (Node ${process.versions.node}). Install Node.js (https://nodejs.org) if your server needs another version.`,
      );
    }
  } else if (pythonNames.test(program) && direct.executable === program) {
    const venv = venvPython(project.folder, platform);
    const onPath = venv ?? findPython(program, lookup.env, platform);
    if (!onPath) {
      throw new DirectRunError(
        `Python was not found (no ${direct.executable} on PATH and no .venv in ${project.folder}), so ${project.name} cannot start. ` +
          `Install Python 3.10 or later (${pythonInstall}), then create the project's environment: ${pythonEnvironmentCommand(platform)}`,
      );
    }
    command = onPath;
    if (venv) notes.push(`Using the project's environment: ${venv}.`);
  } else {
    const resolved = path.isAbsolute(direct.executable)
      ? direct.executable
      : direct.executable.includes('/') || direct.executable.includes('\\')
        ? path.resolve(direct.cwd, direct.executable)
        : findOnPath(direct.executable, lookup.env, platform);
    if (!resolved || !isFile(resolved)) {
      throw new DirectRunError(
        `${direct.executable}, the program host.json names to start ${project.name}, was not found${resolved ? ` at ${resolved}` : ' on PATH'}. ` +
          'Install it, or correct customHandler.description.defaultExecutablePath in host.json.',
      );
    }
    command = resolved;
  }

  const port = String(direct.port);
  return {
    command,
    args: direct.args,
    cwd: direct.cwd,
    env: {
      ...lookup.env,
      ...localSettingsValues(project.folder),
      ...extraEnv,
      PORT: port,
      FUNCTIONS_CUSTOMHANDLER_PORT: port,
      // Servers that read these bind to loopback only; the rest bind as they would under func.
      HOST: '127.0.0.1',
      FASTMCP_HOST: '127.0.0.1',
    },
    port: direct.port,
    notes,
  };
}

/** The command that creates a Python project's environment, for messages. */
export function pythonEnvironmentCommand(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32'
    ? 'python -m venv .venv && .venv\\Scripts\\pip install -r requirements.txt'
    : 'python -m venv .venv && .venv/bin/pip install -r requirements.txt';
}

/**
 * local.settings.json `Values`, which `func start` puts in the worker's environment
 * (https://learn.microsoft.com/azure/azure-functions/functions-local-settings). Only strings count,
 * as in Core Tools; a missing or broken file gives none (recognition reports a broken one).
 */
export function localSettingsValues(folder: string): Record<string, string> {
  try {
    const settings: unknown = parse(readFileSync(path.join(folder, 'local.settings.json'), 'utf8'));
    const values = (settings as { Values?: unknown } | undefined)?.Values;
    if (typeof values !== 'object' || values === null) return {};
    return Object.fromEntries(
      Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    return {};
  }
}

function venvPython(folder: string, platform: NodeJS.Platform): string | undefined {
  const relative = platform === 'win32' ? ['Scripts', 'python.exe'] : ['bin', 'python'];
  return ['.venv', 'venv']
    .map((dir) => path.join(folder, dir, ...relative))
    .find((candidate) => existsSync(candidate));
}

/** The name host.json gives first; then the names Python installs under on the platform. */
function findPython(named: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const names = [named, ...(platform === 'win32' ? ['python', 'py'] : ['python3', 'python'])];
  for (const name of names) {
    const found = findOnPath(name, env, platform);
    if (found) return found;
  }
  return undefined;
}

/** What a shell finds for `name`: the first PATH entry holding it (with PATHEXT on Windows). */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const pathValue = env.PATH ?? env.Path ?? '';
  const delimiter = platform === 'win32' ? ';' : ':';
  const extensions =
    platform === 'win32' ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').toLowerCase().split(';')] : [''];
  for (const dir of pathValue.split(delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension);
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
