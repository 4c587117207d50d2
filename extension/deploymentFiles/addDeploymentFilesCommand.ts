// "Add Azure Deployment Files": the flow is addDeploymentFiles.ts (plain Node); this registers it with
// what it needs from VS Code, and hands Deploy to Azure the same flow for a project without azure.yaml.
import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { selfHostedInfraFiles, selfHostedTemplatesDir } from '../hosting/selfHostedInfra';
import type { Services } from '../services';
import {
  addDeploymentFiles,
  type AddDeploymentFilesDeps,
  type AddDeploymentFilesOptions,
} from './addDeploymentFiles';
import { functionsMcpInfraFiles, functionsMcpTemplatesDir } from './functionsMcpInfra';

export function addDeploymentFilesCommand(deps: AddDeploymentFilesDeps) {
  return {
    // The Explorer's context menu passes the folder's Uri; the palette passes nothing.
    [CommandId.addDeploymentFiles]: (resource?: unknown) => addDeploymentFiles(deps, resource),
  };
}

/** Deploy to Azure's way in: the same flow on the project's folder, saying the deployment follows. */
export function addDeploymentFilesBeforeDeploy(deps: AddDeploymentFilesDeps) {
  const options: AddDeploymentFilesOptions = { deployNext: true };
  return (folder: string) => addDeploymentFiles(deps, folder, options);
}

/** The command's dependencies from the composition root's services. */
export function deploymentFilesDependencies(services: Services): AddDeploymentFilesDeps {
  const { extensionPath } = services.context;
  return {
    workspaceFolders: services.workspaceFolders,
    chooseProject: (purpose) => services.projects.choose(purpose),
    ui: services.ui,
    log: services.log,
    functionsMcpInfraFiles: (options) =>
      functionsMcpInfraFiles(functionsMcpTemplatesDir(extensionPath), options),
    selfHostedInfraFiles: (options) => selfHostedInfraFiles(selfHostedTemplatesDir(extensionPath), options),
    openFile: async (file) => {
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    },
    actions: {
      deploy: services.actions.command('Deploy to Azure', CommandId.deploy),
      hostOnFunctions: services.actions.command('Host on Azure Functions…', CommandId.hostOnFunctions),
    },
  };
}
