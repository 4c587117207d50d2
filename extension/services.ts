// The composition root's services: each built once here, by hand, from the ones it needs. The
// returned object is a Disposable that owns what it built; extension.ts registers the views,
// commands and providers over it.
import * as vscode from 'vscode';
import path from 'node:path';
import { entraAccess, type EntraAccess } from './auth/entraAccess';
import { vscodeEntraTokens, type EntraTokenSource } from './auth/entraToken';
import { createAzureAccess, readAzureAccessSettings, type AzureAccess } from './azure/azureAccess';
import { BuiltInCommandId, CommandId } from './commandIds';
import type { MessageAction } from './common/errors';
import { maskedLogger, SecretMasker, type Logger } from './common/log';
import type { SettingReader } from './common/settings';
import { VsCodeUserInterface } from './common/vscodeUi';
import { AzdProjects } from './deploy/azdProjects';
import { runAzdAsTask, type AzdRun } from './deploy/azdTask';
import { ensureAzurite } from './localServer/azurite';
import { funcTaskLauncher } from './localServer/funcTaskLauncher';
import { probeFunc } from './localServer/hostChoice';
import { offerToHost } from './localServer/candidateOffer';
import { directLauncher, embeddedLauncher } from './localServer/launchers';
import { LocalServerManager } from './localServer/localServerManager';
import { npmScriptRunner } from './localServer/preflight';
import { readLocalServerSettings } from './localServer/settings';
import { bundledProject, mcpProjectKindNames } from './project/mcpProject';
import { WorkspaceProjects } from './project/workspaceProjects';

import { loadProbe } from './probe/loadProbe';
import { RemoteMcpDefinitionProvider } from './provider/mcpDefinitionProvider';
import { RemoteKeyService } from './remote/keyService';
import { FunctionKeyStore } from './remote/keyStore';
import { RemoteServerRegistry } from './remote/remoteServers';
import { McpClientStarter, type McpClientCommands } from './vscodeMcpClient/mcpClientStarter';

export interface Services extends vscode.Disposable {
  context: vscode.ExtensionContext;
  channel: vscode.LogOutputChannel;
  masker: SecretMasker;
  log: Logger;
  ui: VsCodeUserInterface;
  setting: SettingReader;
  workspaceFolders: () => string[];
  /** The message buttons that run one of our commands, open the logs, or open a page. */
  actions: MessageActions;
  azdPath: () => string;
  runAzd: (args: string[], cwd: string, title: string, signal: AbortSignal) => Promise<AzdRun>;
  azdProjects: AzdProjects;
  /** Which MCP project a capability works on: `projects.choose(purpose)`. */
  projects: WorkspaceProjects;
  localServer: LocalServerManager;
  registry: RemoteServerRegistry;
  keyStore: FunctionKeyStore;
  azure: AzureAccess;
  /** Entra sign-in settings of deployed apps, read and written through `azure`. */
  entra: EntraAccess;
  keys: RemoteKeyService;
  tokens: EntraTokenSource;
  provider: RemoteMcpDefinitionProvider;
  vscodeCommands: McpClientCommands;
  mcpClient: McpClientStarter;
}

export interface MessageActions {
  showLogs: MessageAction;
  command: (title: string, id: CommandId | BuiltInCommandId, ...args: unknown[]) => MessageAction;
  openUrl: (url: string) => Thenable<boolean>;
}

export function createServices(context: vscode.ExtensionContext): Services {
  const channel = vscode.window.createOutputChannel('Remote MCP', { log: true });
  const masker = new SecretMasker();
  const log = maskedLogger(channel, masker);
  const ui = new VsCodeUserInterface();
  const setting: SettingReader = (key) => vscode.workspace.getConfiguration('remoteMcp').get(key);
  const workspaceFolders = () => (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const actions: MessageActions = {
    showLogs: { title: 'Show Logs', run: () => channel.show() },
    command: (title, id, ...args) => ({ title, run: () => vscode.commands.executeCommand(id, ...args) }),
    openUrl: (url) => vscode.env.openExternal(vscode.Uri.parse(url)),
  };
  const azdPath = () => (setting('azdPath') as string | undefined)?.trim() || 'azd';

  const projects = new WorkspaceProjects({
    workspaceFolders,
    bundled: () => bundledProject(path.join(context.extensionPath, 'server')),
    memory: context.workspaceState,
    pick: (title, choices) =>
      ui.pick(
        title,
        choices.map((project) => ({
          label: project.name,
          description: `${mcpProjectKindNames[project.kind]} · ${project.language}`,
          detail: project.folder,
          value: project,
        })),
      ),
  });
  const localServer = createLocalServer(context, setting, projects, log, ui, actions);
  const registry = new RemoteServerRegistry(context.workspaceState);
  const keyStore = new FunctionKeyStore(context.secrets, masker);
  const azure = createAzureAccess(() => readAzureAccessSettings(setting), azdPath);
  const keys = new RemoteKeyService(keyStore, azure.fetchKey, ui, log);
  const tokens = vscodeEntraTokens(
    () => (setting('auth.providerId') as string | undefined)?.trim() || 'microsoft',
  );
  const provider = new RemoteMcpDefinitionProvider(localServer, registry, keys, tokens, ui, log);
  const vscodeCommands: McpClientCommands = {
    has: async (id) => (await vscode.commands.getCommands(true)).includes(id),
    execute: (id, ...args) => Promise.resolve(vscode.commands.executeCommand(id, ...args)),
  };
  const mcpClient = new McpClientStarter(context.extension.id, provider, vscodeCommands, log);
  const owned: vscode.Disposable[] = [channel, ui, provider, mcpClient];

  return {
    context,
    channel,
    masker,
    log,
    ui,
    setting,
    workspaceFolders,
    actions,
    azdPath,
    runAzd: (args, cwd, title, signal) =>
      runAzdAsTask({ azdPath: azdPath(), args, cwd, env: process.env, title, log, signal }),
    azdProjects: new AzdProjects(context.extensionPath, context.globalStorageUri.fsPath, workspaceFolders),
    projects,
    localServer,
    registry,
    keyStore,
    azure,
    entra: entraAccess(azure),
    keys,
    tokens,
    provider,
    vscodeCommands,
    mcpClient,
    dispose: () => owned.forEach((disposable) => void disposable.dispose()),
  };
}

/** The local server: the project it runs, the hosts that can run it, and Azurite for its storage. */
function createLocalServer(
  context: vscode.ExtensionContext,
  setting: SettingReader,
  projects: WorkspaceProjects,
  log: Logger,
  ui: VsCodeUserInterface,
  actions: MessageActions,
): LocalServerManager {
  const bundledServerDir = path.join(context.extensionPath, 'server');
  // VS Code's own Node, for servers when no node is on PATH (see directCommand).
  const runtime = { execPath: process.execPath, isElectron: 'electron' in process.versions };
  return new LocalServerManager({
    settings: () => readLocalServerSettings(setting),
    chooseProject: (purpose) => projects.choose(purpose),
    offerToHost: (candidates) =>
      offerToHost(candidates, {
        memory: context.workspaceState,
        pick: (title, items) => ui.pick(title, items),
        hostOnFunctions: (folder) =>
          Promise.resolve(vscode.commands.executeCommand(CommandId.hostOnFunctions, vscode.Uri.file(folder))),
      }),
    probeFunc,
    launchers: {
      embedded: embeddedLauncher(log),
      func: funcTaskLauncher(() => readLocalServerSettings(setting).funcPath),
      direct: directLauncher(log, runtime),
    },
    bundledEmbeddedEntry: path.join(bundledServerDir, 'dist', 'embedded.js'),
    functionsAppEntry: path.join(bundledServerDir, 'dist', 'functionsApp.js'),
    preflight: {
      lookup: { env: process.env, execPath: runtime.execPath, execPathIsElectron: runtime.isElectron },
      runNpmScript: npmScriptRunner(log, process.env),
      log,
      actions: {
        showLogs: () => actions.showLogs,
        npmInstall: (folder) => ({ title: 'Run npm install', run: () => runNpmInstallTask(folder) }),
      },
    },
    ensureStorage: (blobPort) =>
      ensureAzurite(
        blobPort,
        {
          startThroughExtension: startAzuriteExtension,
          dataDir: path.join(context.globalStorageUri.fsPath, 'azurite'),
          env: process.env,
        },
        log,
      ),
    readCatalog: (url) => loadProbe().probeMcpServer(url, {}, 10_000),
    log,
    notify: { warning: (message, messageActions) => void ui.showWarning(message, messageActions) },
    actions: {
      openSetting: (id) => actions.command('Open Settings', BuiltInCommandId.openSettings, id),
      showLogs: () => actions.showLogs,
      startAgain: () => actions.command('Start Again', CommandId.startLocalServer),
      openUrl: actions.openUrl,
    },
    baseEnv: process.env,
  });
}

/** `npm install` as a Task: the user watches it in a terminal, then starts the server again. */
function runNpmInstallTask(folder: string): Thenable<vscode.TaskExecution> {
  const task = new vscode.Task(
    { type: 'remoteMcp', task: 'npm install' },
    vscode.TaskScope.Workspace,
    `npm install (${path.basename(folder)})`,
    'Remote MCP',
    new vscode.ShellExecution('npm install', { cwd: folder }),
  );
  return vscode.tasks.executeTask(task);
}

/** Starts Azurite through its VS Code extension, when that is installed. */
async function startAzuriteExtension(): Promise<boolean> {
  if (!vscode.extensions.getExtension('Azurite.azurite')) return false;
  await vscode.commands.executeCommand(BuiltInCommandId.startAzurite);
  return true;
}
