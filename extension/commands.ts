// The table of command ids -> handlers, and their registration behind the one error wrapper.
import * as vscode from 'vscode';
import { enableApiManagementCommand } from './apiManagement/enableApiManagement';
import { entraCommands } from './auth/entraCommands';
import { CommandId } from './commandIds';
import { runCommand } from './common/commandErrors';
import type { MessageAction } from './common/errors';
import type { Logger } from './common/log';
import type { UserInterface } from './common/ui';
import { signInWithAzdInTerminal } from './deploy/azdSignInTerminal';
import { deployCommand } from './deploy/deployCommand';
import {
  addDeploymentFilesBeforeDeploy,
  addDeploymentFilesCommand,
  deploymentFilesDependencies,
} from './deploymentFiles/addDeploymentFilesCommand';
import { hostingDependencies, hostOnFunctionsCommand } from './hosting/hostOnFunctionsCommand';
import { localServerCommands } from './localServer/localServerCommands';
import { loadMcpClient } from './probe/loadProbe';
import { addServerToMcpJson } from './remote/mcpJson';
import { remoteCommands } from './remote/remoteCommands';
import type { Services } from './services';
import { mcpClientCommands } from './vscodeMcpClient/mcpClientCommands';

type CommandHandler = (...args: unknown[]) => unknown;
export type CommandTable = Partial<Record<CommandId, CommandHandler>>;

/** Every command of the extension; the MCP Servers view brings its own (registered with the view). */
export function commandTable(services: Services, statusViewCommands: CommandTable): CommandTable {
  const { localServer, mcpClient, registry, keyStore, ui, log, actions } = services;
  const deploymentFiles = deploymentFilesDependencies(services);
  return {
    ...localServerCommands(localServer, ui, mcpClient),
    ...mcpClientCommands(mcpClient, services.vscodeCommands),
    ...deployCommand({
      azdPath: services.azdPath,
      workspaceFolders: services.workspaceFolders,
      chooseProject: (purpose) => services.projects.choose(purpose),
      hostOnFunctions: (folder) =>
        Promise.resolve(vscode.commands.executeCommand(CommandId.hostOnFunctions, vscode.Uri.file(folder))),
      addDeploymentFiles: addDeploymentFilesBeforeDeploy(deploymentFiles),
      bundledProject: () => services.azdProjects.prepareBundled(),
      runAzd: services.runAzd,
      registry,
      ui,
      log,
      actions: {
        openUrl: (url) => ({ title: 'Install azd', run: () => actions.openUrl(url) }),
        signIn: (azdPath) => ({ title: 'Sign In', run: () => signInWithAzdInTerminal(azdPath) }),
        connect: (server) => actions.command('Connect', CommandId.connect, server),
        showLogs: actions.showLogs,
      },
    }),
    ...entraCommands({
      registry,
      keyStore,
      entra: services.entra,
      tokens: services.tokens,
      ui,
      log,
      azdPath: services.azdPath,
      azdProjectOf: (server) => services.azdProjects.azdProjectOf(server),
      mcpProjectOf: (server) => services.azdProjects.mcpProjectOf(server),
      runAzd: services.runAzd,
      checkSignIn: (input) => loadMcpClient().checkSignIn(input),
      checkSignInAction: (server) => actions.command('Check Sign-in', CommandId.checkSignIn, server),
    }),
    ...remoteCommands({
      registry,
      keys: services.keys,
      keyStore,
      ui,
      log,
      deployments: () => Promise.resolve(services.azdProjects.deployments()),
      kindOf: (server) => services.azure.kindOf(server),
      deployAction: actions.command('Deploy to Azure', CommandId.deploy),
      mcpClient,
      addToMcpJson: (server, signIn) => {
        const folder = services.workspaceFolders()[0];
        if (!folder) throw new Error('Open a folder first: mcp.json lives in the workspace.');
        return Promise.resolve(addServerToMcpJson(folder, server, signIn));
      },
    }),
    ...enableApiManagementCommand({
      azdPath: services.azdPath,
      projects: () => services.azdProjects.all(),
      azdProjectOf: (server) => services.azdProjects.azdProjectOf(server),
      prepareBundled: () => services.azdProjects.prepareBundled(),
      runAzd: services.runAzd,
      confirm: async (message, detail, buttons) =>
        vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons),
      registry,
      ui,
      log,
      actions: {
        connectThroughGateway: (server) =>
          actions.command('Connect', CommandId.connectThroughGateway, server),
        deploy: actions.command('Deploy to Azure', CommandId.deploy),
      },
    }),
    ...hostOnFunctionsCommand(hostingDependencies(services)),
    ...addDeploymentFilesCommand(deploymentFiles),
    ...statusViewCommands,
    [CommandId.showLogs]: () => services.channel.show(),
  };
}

/** Registers the command table, every handler behind the one error wrapper. */
export function registerCommands(
  table: CommandTable,
  ui: UserInterface,
  log: Logger,
  showLogs: MessageAction,
): vscode.Disposable[] {
  return Object.entries(table).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) =>
      runCommand(id, () => handler(...args), ui, log, showLogs),
    ),
  );
}
