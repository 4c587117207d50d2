// "Host on Azure Functions…": prepares an MCP SDK server to run as a Functions custom handler.
// The flow is hostOnFunctions.ts (plain Node); this registers it with what it needs from VS Code.
import { CommandId } from '../commandIds';
import type { Services } from '../services';
import { hostOnFunctions, type HostOnFunctionsDeps } from './hostOnFunctions';
import { selfHostedInfraFiles, selfHostedTemplatesDir } from './selfHostedInfra';
import { vscodeHostingEditor } from './vscodeHostingEditor';

export function hostOnFunctionsCommand(deps: HostOnFunctionsDeps) {
  return {
    // The Explorer's context menu passes the folder's Uri; the palette and the view's welcome pass nothing.
    [CommandId.hostOnFunctions]: (resource?: unknown) => hostOnFunctions(deps, resource),
  };
}

/** The command's dependencies from the composition root's services. */
export function hostingDependencies(services: Services): HostOnFunctionsDeps {
  const templatesDir = selfHostedTemplatesDir(services.context.extensionPath);
  return {
    workspaceFolders: services.workspaceFolders,
    ui: services.ui,
    log: services.log,
    editor: vscodeHostingEditor(services.context.subscriptions),
    infraFiles: (options) => selfHostedInfraFiles(templatesDir, options),
    actions: {
      startLocalServer: services.actions.command('Start Local Server', CommandId.startLocalServer),
      deploy: services.actions.command('Deploy to Azure', CommandId.deploy),
    },
  };
}
