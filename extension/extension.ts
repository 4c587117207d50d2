// Composition root: builds the services, registers them with VS Code, and owns their disposal.
import * as vscode from 'vscode';
import path from 'node:path';
import { entraAccess } from './auth/entraAccess';
import { entraCommands } from './auth/entraCommands';
import { vscodeEntraTokens } from './auth/entraToken';
import { createAzureAccess, readAzureAccessSettings } from './azure/azureAccess';
import { registerCommands } from './commands';
import type { MessageAction } from './common/errors';
import { maskedLogger, SecretMasker } from './common/log';
import { VsCodeUserInterface } from './common/vscodeUi';
import { listAzdEnvironments } from './deploy/azdEnvironments';
import { prepareBundledProject, workspaceAzdProjects } from './deploy/azdProject';
import { runAzdAsTask } from './deploy/azdTask';
import { deployCommand, remoteServerFromEnvValues } from './deploy/deployCommand';
import { ensureAzurite } from './localServer/azurite';
import { funcTaskLauncher } from './localServer/funcTaskLauncher';
import { probeFunc } from './localServer/hostChoice';
import { embeddedLauncher } from './localServer/launchers';
import { localServerCommands } from './localServer/localServerCommands';
import { LocalServerManager } from './localServer/localServerManager';
import { readLocalServerSettings } from './localServer/settings';
import { findServerProject } from './localServer/serverProject';
import { createLocalServerStatusBarItem } from './localServer/statusBarItem';
import { mcpClientCommands } from './vscodeMcpClient/mcpClientCommands';
import { McpClientStarter, type McpClientCommands } from './vscodeMcpClient/mcpClientStarter';
import { loadMcpClient, loadProbe } from './probe/loadProbe';
import { RemoteMcpDefinitionProvider } from './provider/mcpDefinitionProvider';
import { RemoteKeyService } from './remote/keyService';
import { FunctionKeyStore } from './remote/keyStore';
import { addServerToMcpJson } from './remote/mcpJson';
import { remoteCommands } from './remote/remoteCommands';
import { RemoteServerRegistry, type RemoteServer } from './remote/remoteServers';
import { registerStatusView } from './statusView/registerStatusView';

let localServer: LocalServerManager | undefined;

export function activate(context: vscode.ExtensionContext) {
  const channel = vscode.window.createOutputChannel('Remote MCP', { log: true });
  const masker = new SecretMasker();
  const log = maskedLogger(channel, masker);
  const ui = new VsCodeUserInterface();
  const bundledServerDir = path.join(context.extensionPath, 'server');
  const setting = (key: string) => vscode.workspace.getConfiguration('remoteMcp').get(key);
  const workspaceFolders = () => (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const showLogs: MessageAction = { title: 'Show Logs', run: () => channel.show() };
  const command = (title: string, id: string, ...args: unknown[]): MessageAction => ({
    title,
    run: () => vscode.commands.executeCommand(id, ...args),
  });
  const openUrl = (url: string) => vscode.env.openExternal(vscode.Uri.parse(url));

  localServer = new LocalServerManager({
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
          startThroughExtension: async () => {
            if (!vscode.extensions.getExtension('Azurite.azurite')) return false;
            await vscode.commands.executeCommand('azurite.start');
            return true;
          },
          dataDir: path.join(context.globalStorageUri.fsPath, 'azurite'),
          env: process.env,
        },
        log,
      ),
    listTools: async (url) => (await loadProbe().probeMcpServer(url, {}, 10_000)).tools,
    log,
    notify: { warning: (message, actions) => void ui.showWarning(message, actions) },
    actions: {
      openSetting: (id) => command('Open Settings', 'workbench.action.openSettings', id),
      showLogs: () => showLogs,
      startAgain: () => command('Start Again', 'remoteMcp.startLocalServer'),
      openUrl,
    },
    baseEnv: process.env,
  });

  const registry = new RemoteServerRegistry(context.workspaceState);
  const keyStore = new FunctionKeyStore(context.secrets, masker);
  const azdPath = () => (setting('azdPath') as string | undefined)?.trim() || 'azd';
  const azure = createAzureAccess(() => readAzureAccessSettings(setting), azdPath);
  const keys = new RemoteKeyService(keyStore, azure.fetchKey, ui, log);
  const tokens = vscodeEntraTokens(
    () => (setting('auth.providerId') as string | undefined)?.trim() || 'microsoft',
  );
  const runAzd = (args: string[], cwd: string, title: string, signal: AbortSignal) =>
    runAzdAsTask({ azdPath: azdPath(), args, cwd, env: process.env, title, log, signal });
  const bundledProject = () => prepareBundledProject(context.extensionPath, context.globalStorageUri.fsPath);
  const azdProjectDirs = () => [
    ...workspaceAzdProjects(workspaceFolders()).map((project) => project.dir),
    path.join(context.globalStorageUri.fsPath, 'bundled-server'),
  ];

  const azdProjectDirOf = (server: RemoteServer) =>
    server.environment
      ? azdProjectDirs().find((dir) =>
          listAzdEnvironments(dir).some((env) => env.name === server.environment),
        )
      : undefined;

  const provider = new RemoteMcpDefinitionProvider(localServer, registry, keys, tokens, ui, log);
  const vscodeCommands: McpClientCommands = {
    has: async (id) => (await vscode.commands.getCommands(true)).includes(id),
    execute: (id, ...args) => Promise.resolve(vscode.commands.executeCommand(id, ...args)),
  };
  const mcpClient = new McpClientStarter(context.extension.id, provider, vscodeCommands, log);
  const statusView = registerStatusView({
    context,
    localServer,
    mcpClient,
    registry,
    keyStore,
    tokens,
    ui,
    log,
    setting,
    azureSettings: () => readAzureAccessSettings(setting),
    azdPath,
    azdDeployments: () => azdDeployments(azdProjectDirs()),
    azdProjectOf: (server) => {
      const dir = azdProjectDirOf(server);
      if (!dir) return undefined;
      // The bundled project's copy is refreshed before azd deploys it again.
      return (
        workspaceAzdProjects(workspaceFolders()).find((project) => project.dir === dir) ?? bundledProject()
      );
    },
  });
  context.subscriptions.push(
    channel,
    ui,
    provider,
    mcpClient,
    ...statusView.disposables,
    vscode.lm.registerMcpServerDefinitionProvider('remoteMcp.servers', provider),
    createLocalServerStatusBarItem(localServer),
    ...registerCommands(
      {
        ...localServerCommands(localServer, ui, mcpClient),
        ...mcpClientCommands(mcpClient, vscodeCommands),
        ...deployCommand({
          azdPath,
          workspaceProjects: () => workspaceAzdProjects(workspaceFolders()),
          bundledProject,
          runAzd,
          registry,
          ui,
          log,
          actions: {
            openUrl: (url) => ({ title: 'Install azd', run: () => openUrl(url) }),
            signIn: (path) => ({
              title: 'Sign In',
              run: () => {
                const terminal = vscode.window.createTerminal('azd auth login');
                terminal.show();
                terminal.sendText(`"${path}" auth login`);
              },
            }),
            connect: (server) => command('Connect', 'remoteMcp.connect', server),
            showLogs,
          },
        }),
        ...entraCommands({
          registry,
          keyStore,
          entra: entraAccess(azure),
          tokens,
          ui,
          log,
          azdPath,
          azdProjectOf: azdProjectDirOf,
          runAzd,
          checkSignIn: (input) => loadMcpClient().checkSignIn(input),
          checkSignInAction: (server) => command('Check Sign-in', 'remoteMcp.checkSignIn', server),
        }),
        ...remoteCommands({
          registry,
          keys,
          keyStore,
          ui,
          log,
          deployments: () => Promise.resolve(azdDeployments(azdProjectDirs())),
          deployAction: command('Deploy to Azure', 'remoteMcp.deploy'),
          mcpClient,
          addToMcpJson: (server) => {
            const folder = workspaceFolders()[0];
            if (!folder) throw new Error('Open a folder first: mcp.json lives in the workspace.');
            return Promise.resolve(addServerToMcpJson(folder, server));
          },
        }),
        ...statusView.commands,
        'remoteMcp.showLogs': () => channel.show(),
      },
      ui,
      log,
      showLogs,
    ),
  );

  // Tests inside a real VS Code reach the services through this, never by importing modules
  // (the bundle and the test would each hold their own copies).
  if (process.env.REMOTE_MCP_TEST_API === '1') {
    return {
      localServer,
      provider,
      mcpClient,
      tree: statusView.tree,
      statusView: { model: statusView.model, view: statusView.view },
      ui,
      registry,
      keyStore,
      globalStoragePath: context.globalStorageUri.fsPath,
    };
  }
  return undefined;
}

/** The deployments recorded in azd environments (those that have been provisioned). */
function azdDeployments(projectDirs: readonly string[]): RemoteServer[] {
  return projectDirs.flatMap((dir) =>
    listAzdEnvironments(dir).flatMap((env) => {
      try {
        return [remoteServerFromEnvValues({ ...env.values, AZURE_ENV_NAME: env.name })];
      } catch {
        return []; // Not provisioned yet.
      }
    }),
  );
}

export function deactivate(): void {
  // VS Code does not wait long on shutdown; ask the server processes to exit now.
  localServer?.dispose();
  localServer = undefined;
}
