// Composition root: builds the services, registers views, commands and providers, and owns their disposal.
import * as vscode from 'vscode';
import { commandTable, registerCommands } from './commands';
import type { LocalServerManager } from './localServer/localServerManager';
import { createLocalServerStatusBarItem } from './localServer/statusBarItem';
import { createServices, type Services } from './services';
import { registerStatusView, type StatusView } from './statusView/registerStatusView';

let localServer: LocalServerManager | undefined;

export function activate(context: vscode.ExtensionContext) {
  const services = createServices(context);
  localServer = services.localServer;
  const statusView = registerStatusView(services);
  context.subscriptions.push(
    services,
    ...statusView.disposables,
    vscode.lm.registerMcpServerDefinitionProvider('remoteMcp.servers', services.provider),
    createLocalServerStatusBarItem(services.localServer),
    ...registerCommands(
      commandTable(services, statusView.commands),
      services.ui,
      services.log,
      services.actions.showLogs,
    ),
  );
  return context.extensionMode === vscode.ExtensionMode.Test ? testApi(services, statusView) : undefined;
}

/**
 * What tests inside a real VS Code reach the services through, never by importing modules (the
 * bundle and the test would each hold their own copies). Only an extension host started for tests
 * (`--extensionTestsPath`) runs the extension in ExtensionMode.Test.
 */
function testApi(services: Services, statusView: StatusView) {
  return {
    localServer: services.localServer,
    provider: services.provider,
    mcpClient: services.mcpClient,
    tree: statusView.tree,
    statusView: { model: statusView.model, view: statusView.view },
    ui: services.ui,
    registry: services.registry,
    keyStore: services.keyStore,
    globalStoragePath: services.context.globalStorageUri.fsPath,
  };
}

export function deactivate(): void {
  // VS Code does not wait long on shutdown; ask the server processes to exit now.
  localServer?.dispose();
  localServer = undefined;
}
