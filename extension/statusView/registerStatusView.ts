// The MCP Servers view with its model and its own commands, registered together: the composition
// root (extension.ts) adds the commands to its table, behind the one error wrapper.
import * as vscode from 'vscode';
import { readAzureAccessSettings } from '../azure/azureAccess';
import { signInWithAzdInTerminal } from '../deploy/azdSignInTerminal';
import { loadProbe } from '../probe/loadProbe';
import type { Services } from '../services';
import { createSubscriptionScanner } from './azureScanner';
import { HiddenServers } from './hiddenServers';
import { ScanCache } from './scanCache';
import { ServerStatusModel } from './serverStatus';
import { ServersTreeProvider } from './serversTreeProvider';
import { portalForArmEndpoint, statusViewCommands } from './statusViewCommands';
import { readStatusViewSettings } from './statusViewSettings';

export type StatusViewServices = Pick<
  Services,
  | 'context'
  | 'localServer'
  | 'mcpClient'
  | 'registry'
  | 'keyStore'
  | 'tokens'
  | 'ui'
  | 'log'
  | 'setting'
  | 'azdPath'
  | 'azdProjects'
>;

export type StatusView = ReturnType<typeof registerStatusView>;

export function registerStatusView(services: StatusViewServices) {
  const { context, log } = services;
  const settings = () => readStatusViewSettings(services.setting);
  const azureSettings = () => readAzureAccessSettings(services.setting);
  const hidden = new HiddenServers(context.workspaceState);
  const scanCache = new ScanCache(context.globalState, () => {
    try {
      const { credential, armEndpoint } = azureSettings();
      return `${credential}|${armEndpoint}`;
    } catch {
      return 'invalid settings';
    }
  });
  const model = new ServerStatusModel({
    registry: services.registry,
    keys: services.keyStore,
    azdDeployments: () => services.azdProjects.deployments(),
    scanner: createSubscriptionScanner(azureSettings, services.azdPath),
    probe: (url, options) => loadProbe().probeServer(url, options),
    // Probes never prompt: a token only if VS Code has a session already.
    silentToken: (scopes, tenantId) => services.tokens(scopes, tenantId, false),
    settings,
    hidden,
    scanCache,
    log,
  });
  const tree = new ServersTreeProvider(
    services.localServer,
    model,
    () => settings().settings.probeTimeoutMs / 1000,
    services.mcpClient,
  );
  const view = vscode.window.createTreeView('remoteMcp.servers', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });

  // Refreshes start when the view is first shown (nothing reaches Azure before), and repeat while
  // it is visible when remoteMcp.statusView.autoRefreshSeconds asks for it.
  let refreshedOnce = false;
  const applyVisibility = () => {
    if (!view.visible) {
      model.setAutoRefresh(0);
      return;
    }
    if (!refreshedOnce) {
      refreshedOnce = true;
      void model.refresh();
    }
    model.setAutoRefresh(settings().settings.autoRefreshMs);
  };
  applyVisibility();

  const commands = statusViewCommands({
    model,
    registry: services.registry,
    keyStore: services.keyStore,
    hidden,
    ui: services.ui,
    log,
    localServer: () => services.localServer.state,
    portal: () => portalForArmEndpoint(azureSettings().armEndpoint),
    copyText: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
    executeCommand: (id, ...args) => Promise.resolve(vscode.commands.executeCommand(id, ...args)),
    prepareProjectToRedeploy: (server) => services.azdProjects.prepareProjectToRedeploy(server),
    signIn: async () => {
      const { credential, armEndpoint } = azureSettings();
      if (credential === 'azd') {
        signInWithAzdInTerminal(services.azdPath());
        await services.ui.showInfo('Sign in with azd in the terminal, then refresh the MCP Servers view.');
        return;
      }
      await vscode.authentication.getSession('microsoft', [`${new URL(armEndpoint).origin}/.default`], {
        createIfNone: true,
      });
    },
  });

  const disposables: vscode.Disposable[] = [
    model,
    tree,
    view,
    view.onDidChangeVisibility(applyVisibility),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('remoteMcp.statusView')) applyVisibility();
    }),
  ];
  return { model, tree, view, commands, disposables };
}
