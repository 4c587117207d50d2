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
import { embeddedLauncher } from './localServer/launchers';
import { LocalServerManager } from './localServer/localServerManager';
import { findServerProject } from './localServer/serverProject';
import { readLocalServerSettings } from './localServer/settings';
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

  const localServer = createLocalServer(context, setting, workspaceFolders, log, ui, actions);
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

/** The local server: the project it runs, the two hosts that can run it, and Azurite for its storage. */
function createLocalServer(
  context: vscode.ExtensionContext,
  setting: SettingReader,
  workspaceFolders: () => string[],
  log: Logger,
  ui: VsCodeUserInterface,
  actions: MessageActions,
): LocalServerManager {
  const bundledServerDir = path.join(context.extensionPath, 'server');
  return new LocalServerManager({
    settings: () => readLocalServerSettings(setting),
    workspaceFolders,
    findProject: (folders) => findServerProject(folders, bundledServerDir),
    probeFunc,
    launchers: {
      embedded: embeddedLauncher(path.join(bundledServerDir, 'dist', 'embedded.js'), log),
      func: funcTaskLauncher(() => readLocalServerSettings(setting).funcPath),
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
    listTools: async (url) => (await loadProbe().probeMcpServer(url, {}, 10_000)).tools,
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

/** Starts Azurite through its VS Code extension, when that is installed. */
async function startAzuriteExtension(): Promise<boolean> {
  if (!vscode.extensions.getExtension('Azurite.azurite')) return false;
  await vscode.commands.executeCommand(BuiltInCommandId.startAzurite);
  return true;
}
