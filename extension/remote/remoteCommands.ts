import { CancelledError, errorMessage, UserFacingError, type MessageAction } from '../common/errors';
import type { Logger } from '../common/log';
import type { UserInterface } from '../common/ui';
import type { McpClientStarter } from '../vscodeMcpClient/mcpClientStarter';
import { remoteServerLabel } from '../provider/serverLabels';
import type { RemoteKeyService } from './keyService';
import type { FunctionKeyStore } from './keyStore';
import type { McpJsonSignIn } from './mcpJson';
import {
  remoteServerArgument,
  sameResource,
  targetSignsInWithEntra,
  withKind,
  type RemoteServer,
  type RemoteServerKind,
  type RemoteServerRegistry,
} from './remoteServers';
import { mcpKeySpecOf } from './serverKind';
import { CommandId } from '../commandIds';

export interface RemoteCommandServices {
  registry: RemoteServerRegistry;
  keys: RemoteKeyService;
  keyStore: FunctionKeyStore;
  ui: UserInterface;
  log: Logger;
  /** Deployments found in the workspace's azd environments (and the bundled project's); a kind when known. */
  deployments(): Promise<RemoteServer[]>;
  /** What serves MCP on the server's app, read from Azure (AzureAccess.kindOf). */
  kindOf(server: RemoteServer): Promise<RemoteServerKind>;
  deployAction: MessageAction;
  addToMcpJson(server: RemoteServer, signIn: McpJsonSignIn): Promise<string>;
  /** Starts a connected server in VS Code's MCP client; the view shows how that went. */
  mcpClient: Pick<McpClientStarter, 'start'>;
}

/** Connect, Fetch Key, Forget Key and Add to mcp.json, for a server given by a button or picked. */
export function remoteCommands(services: RemoteCommandServices) {
  const { registry, keys, keyStore, ui, log } = services;

  async function pickKnown(
    title: string,
    target: unknown,
    filter: (server: RemoteServer) => boolean = () => true,
  ) {
    const given = remoteServerArgument(target);
    if (given) return registry.find(given.resourceId) ?? given;
    const servers = registry.list().filter(filter);
    if (servers.length === 0) {
      throw new UserFacingError(
        'No deployed MCP server is connected in this workspace. Deploy one, or run "Remote MCP: Connect".',
        [services.deployAction],
      );
    }
    return ui.pick(
      title,
      servers.map((server) => ({
        label: server.name,
        description: server.endpoint,
        detail: server.environment,
        value: server,
      })),
    );
  }

  /**
   * The server with its kind, and so its endpoint: a server that came without one (an azd
   * environment, a pick, a view row) is asked in Azure, and a remembered one remembers the answer.
   */
  async function withKnownKind(server: RemoteServer): Promise<RemoteServer> {
    if (server.kind) return server;
    let kind: RemoteServerKind;
    try {
      kind = await ui.withProgress(`Reading what serves MCP on ${server.name}`, () =>
        services.kindOf(server),
      );
    } catch (error) {
      // Signing in with Entra needs no right on the app in Azure, only on the API: someone who may call
      // the server but not read its settings still connects, to the endpoint as given.
      if (server.auth?.mode !== 'entra' || error instanceof CancelledError) throw error;
      log.warn(
        `Could not read what serves MCP on ${server.name} (${errorMessage(error)}); using ${server.endpoint}.`,
      );
      return server;
    }
    const known = withKind(server, kind);
    log.info(
      `${server.name} serves MCP ${kind === 'selfHosted' ? 'from a self-hosted server' : 'through the Functions MCP extension'} at ${known.endpoint}.`,
    );
    if (registry.find(server.resourceId)) await registry.upsert({ ...known });
    return known;
  }

  return {
    [CommandId.connect]: async (target?: unknown): Promise<RemoteServer> => {
      let server: RemoteServer;
      const given = remoteServerArgument(target);
      if (given) {
        server = given;
      } else {
        const known = await services.deployments();
        const merged = [
          ...known,
          ...registry.list().filter((s) => !known.some((k) => sameResource(k.resourceId, s.resourceId))),
        ];
        if (merged.length === 0) {
          throw new UserFacingError(
            'No deployment was found in this workspace\'s azd environments. Deploy first with "Remote MCP: Deploy to Azure".',
            [services.deployAction],
          );
        }
        server = await ui.pick(
          'Connect to which deployed MCP server?',
          merged.map((candidate) => ({
            label: candidate.name,
            description: candidate.environment
              ? `azd environment ${candidate.environment}`
              : candidate.resourceGroup,
            detail: candidate.endpoint,
            value: candidate,
          })),
        );
      }
      server = await withKnownKind(server);
      // The MCP Servers view's probe met a Bearer challenge on a server nothing is remembered of:
      // built-in auth is on, and VS Code finds the scopes itself from the PRM of the endpoint.
      if (!server.auth && targetSignsInWithEntra(target, server)) {
        server = { ...server, auth: { mode: 'entra', scopes: [] } };
      }
      // An Entra-protected server needs no key: VS Code signs in when it starts the server.
      if (server.auth?.mode !== 'entra') await keys.fetchAndStore(server);
      // A new version each time: VS Code drops a connection it still has and starts afresh.
      const connectedAt = new Date().toISOString();
      await registry.upsert({ ...server, connected: true, connectedAt });
      log.info(`Connected to ${server.name} at ${server.endpoint}.`);
      void services.mcpClient.start(remoteServerLabel(server), connectedAt);
      await ui.showInfo(
        `Connected to ${server.name}. Starting it in VS Code's MCP client, so Copilot agent mode lists its tools.`,
      );
      return server;
    },
    [CommandId.disconnect]: async (target?: unknown): Promise<void> => {
      const server = await pickKnown(
        'Disconnect which server?',
        target,
        (candidate) => candidate.connected === true,
      );
      await registry.upsert({ ...server, connected: false });
      log.info(`Disconnected ${server.name}; its key stays in secret storage until you forget it.`);
      await ui.showInfo(`Disconnected ${server.name}. VS Code no longer lists it; Connect brings it back.`);
    },
    [CommandId.fetchKey]: async (target?: unknown): Promise<void> => {
      const server = await withKnownKind(await pickKnown('Fetch the key of which server?', target));
      await keys.fetchAndStore(server);
      await ui.showInfo(
        `Fetched the ${mcpKeySpecOf(server).label} of ${server.name} into VS Code's secret storage.`,
      );
    },
    [CommandId.forgetKey]: async (target?: unknown): Promise<void> => {
      const server = await pickKnown('Forget the key of which server?', target);
      await keyStore.forget(server.resourceId);
      await ui.showInfo(
        `Forgot the MCP key of ${server.name}. It is fetched again the next time the server starts.`,
      );
    },
    [CommandId.addToMcpJson]: async (target?: unknown): Promise<void> => {
      const server = await pickKnown('Add which server to .vscode/mcp.json?', target);
      const signIn = targetSignsInWithEntra(target, server) ? 'entra' : 'key';
      const file = await services.addToMcpJson(server, signIn);
      await ui.showInfo(
        signIn === 'entra'
          ? `Added ${server.name} to ${file}. It signs in with Microsoft Entra: VS Code asks you to sign in when it starts the server.`
          : `Added ${server.name} to ${file}. Its key is not written there: VS Code asks this extension for it.`,
      );
    },
    /** For mcp.json's `${input:...}` of type command: hands VS Code the key, never writing it anywhere. */
    [CommandId.getFunctionKey]: async (resourceId?: unknown): Promise<string | undefined> => {
      const server = typeof resourceId === 'string' ? registry.find(resourceId) : undefined;
      if (!server)
        throw new UserFacingError(
          `No remembered MCP server has the resource id ${String(resourceId)}. Connect to it first.`,
        );
      return keys.keyForConnection(server);
    },
  };
}
