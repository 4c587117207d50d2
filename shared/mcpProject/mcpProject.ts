// The one model of a workspace MCP project that local run, deploy, Connect, the key fetch, the
// definition provider, Check Sign-in and the status view read (issue 13, point 1), so none of them
// guesses on its own. Plain Node: recognition and choice are tested without VS Code.
import path from 'node:path';
import { mcpRoutes } from '../mcpRoutes';

/**
 * - `bundled`: the catalogue shipped inside the extension, used only when the workspace holds no
 *   project of the user's.
 * - `functionsMcpExtension`: a Functions app whose tools are MCP triggers of the Azure Functions MCP
 *   extension (https://learn.microsoft.com/azure/azure-functions/functions-bindings-mcp).
 * - `selfHosted`: a server built with an MCP SDK and hosted as a custom handler
 *   (https://learn.microsoft.com/azure/azure-functions/self-hosted-mcp-servers).
 */
export type McpProjectKind = 'bundled' | 'functionsMcpExtension' | 'selfHosted';

/** How the kinds are named to users (quick picks, the status view). */
export const mcpProjectKindNames: Record<McpProjectKind, string> = {
  bundled: 'bundled sample tools',
  functionsMcpExtension: 'Functions MCP extension app',
  selfHosted: 'self-hosted MCP server',
};

/** The Functions worker runtime, as `FUNCTIONS_WORKER_RUNTIME` names it (`dotnet-isolated` is `dotnet`). */
export type McpProjectLanguage = 'node' | 'python' | 'dotnet' | 'java' | 'powershell' | 'unknown';

/** Where the server answers Streamable HTTP: the MCP extension's webhook, or the SDK server's own route. */
export type McpPath = typeof mcpRoutes.streamableHttp | '/mcp';

/** The route of a self-hosted server: the SDK samples serve `/mcp`, and Functions forwards it unchanged. */
export const selfHostedMcpPath = '/mcp';

/**
 * How a client authenticates to the deployed app:
 * - `systemKey`: the `mcp_extension` system key, sent as `x-functions-key` (MCP extension apps);
 * - `functionKey`: the `default` function key (`functionKeys.default` of listHostKeys), sent as
 *   `x-functions-key` (self-hosted apps with `DefaultAuthorizationLevel` `function`);
 * - `entra`: App Service built-in auth with protected resource metadata; the client signs in;
 * - `anonymous`: nothing is sent.
 *
 * Recognition reads files only, so it never answers `entra`: built-in auth is an app setting of the
 * deployed site (authsettingsV2), not a file in the workspace. Whoever reads the deployed site
 * (Connect, Check Sign-in, the status view) turns `anonymous` or a key into `entra` when the site
 * has built-in auth on.
 */
export type McpAuth = 'systemKey' | 'functionKey' | 'entra' | 'anonymous';

/** A command line: what to spawn, with what, from where. */
export interface CommandLine {
  executable: string;
  args: string[];
  /** Absolute. */
  cwd: string;
}

/** The server's own command, run without Core Tools (self-hosted Node and Python servers only). */
export interface DirectRun extends CommandLine {
  /**
   * The port the server must listen on: host.json `customHandler.port`, else the samples' default for
   * the language. The caller sets `PORT` and `FUNCTIONS_CUSTOMHANDLER_PORT` to it, as func does.
   */
  port: number;
  portSource: 'host.json' | 'default';
}

export interface LocalRun {
  /** Core Tools, `func start` in the project folder: works for every Functions app. */
  coreTools: CommandLine;
  /**
   * The server's own command, from host.json `customHandler.description`. Absent for MCP extension
   * apps (only the Functions host runs their triggers), and when host.json's description is not
   * usable (recognition then reports a problem that says why).
   */
  direct?: DirectRun;
}

/**
 * Older shapes of a self-hosted project that a later step offers to upgrade to
 * `configurationProfile: "mcp-custom-handler"`:
 * - `enableForwardingHttpRequest` / `enableProxyingHttpRequest`: the flag in `customHandler`;
 * - `mcpHandlerFunction`: an `mcp-handler/function.json` HTTP trigger with route `{*route}`;
 * - `emptyRoutePrefix`: `extensions.http.routePrefix: ""`.
 */
export type LegacyForm =
  'enableForwardingHttpRequest' | 'enableProxyingHttpRequest' | 'mcpHandlerFunction' | 'emptyRoutePrefix';

export interface McpProject {
  /** Absolute path of the folder holding host.json (for `bundled`, the bundled server's folder). */
  folder: string;
  /** package.json `name` when there is one, else the folder's name. */
  name: string;
  kind: McpProjectKind;
  language: McpProjectLanguage;
  mcpPath: McpPath;
  /** What the files say; see {@link McpAuth} for `entra`. */
  auth: McpAuth;
  localRun: LocalRun;
  /** In the order of {@link LegacyForm}; empty for a project in the current form. */
  legacyForms: LegacyForm[];
}

/** An MCP SDK server that is not hosted on Functions yet: "Host on Azure Functions…" offers to host it. */
export interface McpCandidate {
  folder: string;
  name: string;
  language: 'node' | 'python';
  /** The file that names the SDK: package.json, requirements.txt or pyproject.toml. */
  evidence: string;
}

/** Something wrong in a user's file, said so the user can fix it: the file, what is wrong, the fix. */
export interface ProjectProblem {
  /** Absolute path. */
  file: string;
  message: string;
}

/** The port a self-hosted server listens on when host.json names none, as the public samples do. */
export const defaultSelfHostedPort: Partial<Record<McpProjectLanguage, number>> = {
  node: 3000,
  python: 8000,
};

export function coreToolsRun(folder: string): CommandLine {
  return { executable: 'func', args: ['start'], cwd: folder };
}

/** The catalogue bundled in the extension, as a project: what a capability uses when the workspace holds none. */
export function bundledProject(folder: string): McpProject {
  const absolute = path.resolve(folder);
  return {
    folder: absolute,
    name: 'bundled',
    kind: 'bundled',
    language: 'node',
    mcpPath: mcpRoutes.streamableHttp,
    auth: 'systemKey',
    localRun: { coreTools: coreToolsRun(absolute) },
    legacyForms: [],
  };
}
