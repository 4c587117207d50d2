// Which host runs the chosen project, on which port, and how readiness is seen (issue 13, point 4).
// The project's kind decides, never a guess from files: see McpProject.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserFacingError, type MessageAction } from '../common/errors';
import { mcpRoutes } from '../../shared/mcpRoutes';
import { usesDevelopmentStorage } from '../../shared/functionsAppRun/appEnvironment';
import { localSettingsValues } from '../../shared/selfHostedRun/directCommand';
import { languageRuntime, missingRuntime } from '../../shared/functionsAppRun/languageRuntimes';
import type { McpProject } from '../project/mcpProject';
import { chooseHost, coreToolsInstallUrl, describeFuncProblem, type FuncProbe } from './hostChoice';
import type { LocalHostKind } from './launchers';
import type { LocalServerSettings } from './settings';

export interface LaunchPlan {
  host: LocalHostKind;
  /** Where clients connect: func's port, the embedded host's, or the server's own (host.json). */
  port: number;
  url: string;
  /**
   * `hostStatus`: the Functions host's status route (the bundled catalogue and MCP extension apps);
   * `mcpInitialize`: an MCP initialize at the project's MCP path (self-hosted servers, whose only
   * route is theirs, also behind func).
   */
  readiness: 'hostStatus' | 'mcpInitialize';
  /** Azurite: the bundled tools' snippets, and MCP extension apps whose AzureWebJobsStorage is the emulator. */
  needsStorage: boolean;
  /** The embedded host's bundle, for `embedded`. */
  embeddedEntry?: string;
  /** What the bundle is given on its command line: the app folder, for the Functions app host. */
  embeddedArgs?: string[];
  /** The self-hosted server's own port behind func, which must be free too. */
  handlerPort?: number;
  /** Said once, as a warning: why the host is not the one the user may expect. */
  notice?: string;
}

export interface PlanContext {
  settings: LocalServerSettings;
  /** `func --version`, or undefined when the host setting is `embedded`. */
  probe: FuncProbe | undefined;
  bundledEmbeddedEntry: string;
  /** The extension's Functions app host (server/dist/functionsApp.js), which runs a user's Node.js app. */
  functionsAppEntry: string;
  /** Whether a command is on PATH: a language runtime `func start` needs. */
  hasCommand: (name: string) => boolean;
  openUrl: (url: string) => unknown;
}

export function planLaunch(project: McpProject, context: PlanContext): LaunchPlan {
  const { settings } = context;
  const choice = chooseHost(settings.host, context.probe, context.openUrl);
  const local = (port: number) => `http://127.0.0.1:${port}${project.mcpPath}`;
  // A missing func is the normal case without Core Tools: no notice. An old or broken one is worth a word.
  const probe = context.probe;
  const funcProblem =
    choice.host === 'embedded' && probe && probe.status !== 'supported' && probe.status !== 'missing'
      ? describeFuncProblem(probe)
      : undefined;

  if (project.kind === 'selfHosted') {
    const direct = project.localRun.direct;
    if (choice.host === 'func') {
      // func starts the handler itself on host.json's port and forwards /mcp to it.
      return {
        host: 'func',
        port: settings.port,
        url: local(settings.port),
        readiness: 'mcpInitialize',
        needsStorage: false,
        ...(direct ? { handlerPort: direct.port } : {}),
      };
    }
    if (!direct) {
      throw new UserFacingError(
        `${project.name} cannot run without Azure Functions Core Tools: its host.json does not describe a usable command for the server (customHandler.description) or port (customHandler.port). Fix host.json (see the logs for what is wrong), or install Core Tools.`,
        [installCoreTools(context)],
      );
    }
    return {
      host: 'direct',
      port: direct.port,
      url: local(direct.port),
      readiness: 'mcpInitialize',
      needsStorage: false,
      ...(funcProblem ? { notice: `${funcProblem} Running ${project.name}'s own command instead.` } : {}),
    };
  }

  const functionsHost = {
    port: settings.port,
    url: local(settings.port),
    readiness: 'hostStatus' as const,
    needsStorage: true,
  };
  if (choice.host === 'func') return { host: 'func', ...functionsHost };
  const notice = funcProblem ? `${funcProblem} Using the embedded host instead.` : undefined;
  if (project.kind === 'bundled')
    return {
      host: 'embedded',
      ...functionsHost,
      url: `http://127.0.0.1:${settings.port}${mcpRoutes.streamableHttp}`,
      embeddedEntry: context.bundledEmbeddedEntry,
      ...(notice ? { notice } : {}),
    };

  // The repository's own server (and any Node app shipping an embedded host bundle of its own) runs on that.
  const ownEmbedded = path.join(project.folder, 'dist', 'embedded.js');
  if (project.language === 'node' && existsSync(ownEmbedded))
    return { host: 'embedded', ...functionsHost, embeddedEntry: ownEmbedded, ...(notice ? { notice } : {}) };
  // Any other Node.js MCP extension app runs on the extension's Functions app host, which loads the
  // app's own code (package.json main); it needs Azurite only when the app's storage is the emulator.
  if (project.language === 'node')
    return {
      host: 'embedded',
      ...functionsHost,
      needsStorage: usesDevelopmentStorage(localSettingsValues(project.folder)),
      embeddedEntry: context.functionsAppEntry,
      embeddedArgs: [project.folder],
      ...(notice ? { notice } : {}),
    };
  throw coreToolsNeeded(project, context, funcProblem);
}

/** What a non-Node app needs to run locally: Core Tools, and its language's runtime when that is missing too. */
function coreToolsNeeded(project: McpProject, context: PlanContext, funcProblem: string | undefined) {
  const runtime = missingRuntime(project.language, context.hasCommand);
  const language = languageRuntime(project.language)?.language ?? 'an unknown language';
  const why =
    context.settings.host === 'embedded'
      ? ' The setting remoteMcp.localServer.host is "embedded"; set it to "auto" once Core Tools is installed.'
      : funcProblem
        ? ` ${funcProblem}`
        : '';
  return new UserFacingError(
    `${project.name} is an Azure Functions MCP extension app in ${language}: the embedded host runs Node.js apps only, so Start Local Server runs it with Azure Functions Core Tools (func start). Install Core Tools${runtime ? ` and ${runtime.name}` : ''}, then start again.${why}`,
    [
      installCoreTools(context),
      ...(runtime
        ? [{ title: `Install ${runtime.name}`, run: () => context.openUrl(runtime.installUrl) }]
        : []),
    ],
  );
}

function installCoreTools(context: PlanContext): MessageAction {
  return { title: 'Install Core Tools', run: () => context.openUrl(coreToolsInstallUrl) };
}
