// Composition root: builds the services, registers them with VS Code, and owns their disposal.
import * as vscode from 'vscode';
import path from 'node:path';
import { registerCommands } from './commands';
import type { MessageAction } from './common/errors';
import { maskedLogger, SecretMasker } from './common/log';
import { VsCodeUserInterface } from './common/vscodeUi';
import { ensureAzurite } from './localServer/azurite';
import { funcTaskLauncher } from './localServer/funcTaskLauncher';
import { probeFunc } from './localServer/hostChoice';
import { embeddedLauncher } from './localServer/launchers';
import { localServerCommands } from './localServer/localServerCommands';
import { LocalServerManager } from './localServer/localServerManager';
import { readLocalServerSettings } from './localServer/settings';
import { findServerProject } from './localServer/serverProject';
import { createLocalServerStatusBarItem } from './localServer/statusBarItem';
import { loadProbe } from './probe/loadProbe';
import { RemoteMcpDefinitionProvider } from './provider/mcpDefinitionProvider';
import { ServersTreeProvider } from './statusView/serversTreeProvider';

let localServer: LocalServerManager | undefined;

export function activate(context: vscode.ExtensionContext) {
  const channel = vscode.window.createOutputChannel('Remote MCP', { log: true });
  const masker = new SecretMasker();
  const log = maskedLogger(channel, masker);
  const ui = new VsCodeUserInterface();
  const bundledServerDir = path.join(context.extensionPath, 'server');
  const settings = () =>
    readLocalServerSettings((key) => vscode.workspace.getConfiguration('remoteMcp').get(key));

  const showLogs: MessageAction = { title: 'Show Logs', run: () => channel.show() };
  localServer = new LocalServerManager({
    settings,
    workspaceFolders: () => (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath),
    findProject: (folders) => findServerProject(folders, bundledServerDir),
    probeFunc,
    launchers: {
      embedded: embeddedLauncher(path.join(bundledServerDir, 'dist', 'embedded.js'), log),
      func: funcTaskLauncher(() => settings().funcPath),
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
    listTools: async (url) => (await loadProbe()(url, {}, 10_000)).tools,
    log,
    notify: { warning: (message, actions) => void ui.showWarning(message, actions) },
    actions: {
      openSetting: (id) => ({
        title: 'Open Settings',
        run: () => vscode.commands.executeCommand('workbench.action.openSettings', id),
      }),
      showLogs: () => showLogs,
      startAgain: () => ({
        title: 'Start Again',
        run: () => vscode.commands.executeCommand('remoteMcp.startLocalServer'),
      }),
      openUrl: (url) => vscode.env.openExternal(vscode.Uri.parse(url)),
    },
    baseEnv: process.env,
  });

  const provider = new RemoteMcpDefinitionProvider(localServer, ui);
  const tree = new ServersTreeProvider(localServer);
  context.subscriptions.push(
    channel,
    provider,
    tree,
    vscode.lm.registerMcpServerDefinitionProvider('remoteMcp.servers', provider),
    vscode.window.createTreeView('remoteMcp.servers', { treeDataProvider: tree, showCollapseAll: true }),
    createLocalServerStatusBarItem(localServer),
    ...registerCommands(
      {
        ...localServerCommands(localServer, ui),
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
    return { localServer, provider, tree, ui };
  }
  return undefined;
}

export function deactivate(): void {
  // VS Code does not wait long on shutdown; ask the server processes to exit now.
  localServer?.dispose();
  localServer = undefined;
}
