// The actions only the MCP Servers view has: Refresh, Open in Azure Portal, Copy MCP URL, Redeploy,
// Show Logs, Remove from the List (and Restore), Sign in to Azure. The actions of other capabilities
// (Connect, Fetch Key, Enable Entra Sign-in, ...) are those capabilities' own commands.
import { UserFacingError } from '../common/errors';
import type { Logger } from '../common/log';
import type { UserInterface } from '../common/ui';
import type { AzdProject } from '../deploy/azdProject';
import type { LocalServerState } from '../localServer/localServerManager';
import type { FunctionKeyStore } from '../remote/keyStore';
import {
  mcpUrlOf,
  remoteServerArgument,
  type RemoteServer,
  type RemoteServerRegistry,
} from '../remote/remoteServers';
import type { HiddenServers } from './hiddenServers';
import type { ServerStatusModel, StatusSnapshot } from './serverStatus';
import { CommandId } from '../commandIds';

export interface StatusViewCommandServices {
  model: ServerStatusModel;
  registry: RemoteServerRegistry;
  keyStore: FunctionKeyStore;
  hidden: HiddenServers;
  ui: UserInterface;
  log: Logger;
  localServer(): LocalServerState;
  /** The Azure portal's origin for the configured cloud. */
  portal(): string;
  copyText(text: string): Promise<void>;
  executeCommand(id: string, ...args: unknown[]): Promise<unknown>;
  /** The azd project whose environment deployed the server, made ready for azd to deploy it again. */
  prepareProjectToRedeploy(server: RemoteServer): AzdProject | undefined;
  /** Signs in to Azure the way remoteMcp.azureCredential says (this one may prompt: the user asked). */
  signIn(): Promise<void>;
}

/** The portal of the cloud whose Resource Manager is configured (sovereign clouds have their own). */
export function portalForArmEndpoint(armEndpoint: string): string {
  const host = (() => {
    try {
      return new URL(armEndpoint).hostname.toLowerCase();
    } catch {
      return '';
    }
  })();
  if (host.endsWith('usgovcloudapi.net')) return 'https://portal.azure.us';
  if (host.endsWith('chinacloudapi.cn')) return 'https://portal.azure.cn';
  return 'https://portal.azure.com';
}

/** `https://portal.azure.com/#@{tenant}/resource{resourceId}`: the tenant makes the portal switch directory. */
export function portalResourceUrl(portal: string, server: RemoteServer, blade = ''): string {
  const tenant = server.tenantId ? `@${server.tenantId}/` : '';
  return `${portal}/#${tenant}resource${server.resourceId}${blade}`;
}

export function statusViewCommands(services: StatusViewCommandServices) {
  const { model, ui, log } = services;

  const serverOf = (target: unknown, action: string): RemoteServer => {
    const server = remoteServerArgument(target);
    if (!server) {
      throw new UserFacingError(`Choose a deployed server in the MCP Servers view to ${action}.`);
    }
    return server;
  };

  return {
    [CommandId.refreshServers]: async (): Promise<StatusSnapshot> => {
      await model.refresh();
      return model.snapshot();
    },

    [CommandId.openInPortal]: async (target?: unknown): Promise<string> => {
      const url = portalResourceUrl(services.portal(), serverOf(target, 'open it in the Azure portal'));
      await ui.openExternal(url);
      return url;
    },

    [CommandId.copyMcpUrl]: async (target?: unknown): Promise<string> => {
      const server = remoteServerArgument(target);
      const local = services.localServer();
      // The URL VS Code talks to: the gateway's when connected through API Management.
      const url = server ? mcpUrlOf(server) : local.status === 'running' ? local.url : undefined;
      if (!url) throw new UserFacingError('No MCP server is selected, and the local server is not running.');
      await services.copyText(url);
      await ui.showInfo(`Copied the MCP URL of ${server?.name ?? 'the local server'}: ${url}`);
      return url;
    },

    [CommandId.redeploy]: async (target?: unknown): Promise<unknown> => {
      const server = serverOf(target, 'redeploy it');
      const project = services.prepareProjectToRedeploy(server);
      if (!server.environment || !project) {
        throw new UserFacingError(
          `${server.name} was not deployed from an azd environment of this workspace, so there is nothing to redeploy from here. Deploy it the way it was deployed, or use "Deploy to Azure" for a new azd environment.`,
        );
      }
      return services.executeCommand(CommandId.deploy, { project, environment: server.environment });
    },

    [CommandId.showServerLogs]: async (target?: unknown): Promise<string | undefined> => {
      const server = remoteServerArgument(target);
      if (!server) {
        await services.executeCommand(CommandId.showLogs);
        return undefined;
      }
      // The portal's log stream of the app: its host and function logs, live.
      const url = portalResourceUrl(services.portal(), server, '/logStream');
      await ui.openExternal(url);
      return url;
    },

    [CommandId.removeServer]: async (target?: unknown): Promise<void> => {
      const server = serverOf(target, 'remove it from the list');
      await services.hidden.hide(server.resourceId);
      if (services.registry.find(server.resourceId)) {
        // VS Code stops listing it too; its key would only be a secret lying around.
        await services.registry.remove(server.resourceId);
      }
      await services.keyStore.forget(server.resourceId);
      log.info(`Removed ${server.name} from the MCP Servers view.`);
      await ui.showInfo(
        `Removed ${server.name} from the list. Nothing changed in Azure; "Restore Removed Servers" lists it again.`,
      );
    },

    [CommandId.restoreRemovedServers]: async (): Promise<number> => {
      const count = await services.hidden.restoreAll();
      await ui.showInfo(
        count === 0
          ? 'No server was removed from the list.'
          : `${count} server${count > 1 ? 's are' : ' is'} listed again.`,
      );
      if (count > 0) await model.refresh();
      return count;
    },

    [CommandId.signInToAzure]: async (): Promise<void> => {
      await services.signIn();
      await model.refresh();
    },
  };
}
