import { CancelledError, errorMessage, UserFacingError, type MessageAction } from '../common/errors';
import type { Logger } from '../common/log';
import type { PickItem, UserInterface } from '../common/ui';
import type { McpClientStarter } from '../vscodeMcpClient/mcpClientStarter';
import { remoteServerLabel } from '../provider/serverLabels';
import type { RemoteKeyService } from './keyService';
import type { FunctionKeyStore } from './keyStore';
import type { McpJsonSignIn } from './mcpJson';
import {
  mcpUrlOf,
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
        description: mcpUrlOf(server),
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

  /** The deployments and remembered servers, a gateway's server twice: once per door, the gateway first. */
  async function pickDoor(): Promise<{ server: RemoteServer; door: Door }> {
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
    return ui.pick('Connect to which deployed MCP server?', merged.flatMap(connectChoices));
  }

  /**
   * The server as its app endpoint serves it. Connected through the gateway, `auth` was the gateway's
   * sign-in: the app's own comes from its azd environment (built-in Entra with AUTH_ENABLED), else the key.
   */
  async function atAppEndpoint(server: RemoteServer): Promise<RemoteServer> {
    if (server.via !== 'gateway') return { ...server, via: 'app' };
    const deployment = (await services.deployments()).find((d) =>
      sameResource(d.resourceId, server.resourceId),
    );
    return { ...server, via: 'app', auth: deployment?.auth };
  }

  /**
   * Connect through a door: the one asked for (the view's "Connect through API Management" and
   * "Connect to the App Endpoint"), else the one picked; a server given by a button or another command
   * goes through its gateway unless it was connected to its app endpoint before.
   */
  async function connect(target: unknown, asked?: Door): Promise<RemoteServer> {
    const given = remoteServerArgument(target);
    const chosen = given ? { server: given, door: asked } : await pickDoor();
    // What the workspace remembers (the door used last, and its sign-in) completes a server a button
    // carries or an azd environment describes.
    let server: RemoteServer = { ...registry.find(chosen.server.resourceId), ...chosen.server };
    const door = chosen.door ?? (server.gateway ? (server.via ?? 'gateway') : 'app');
    if (door === 'gateway' && !server.gateway) {
      throw new UserFacingError(
        `${server.name} has no API Management gateway in front of it. Run "Remote MCP: Enable API Management" to add one, or connect to its app endpoint.`,
      );
    }
    server = door === 'gateway' ? await throughGateway(server) : await toAppEndpoint(server, target);
    // A new version each time: VS Code drops a connection it still has and starts afresh.
    const connectedAt = new Date().toISOString();
    await registry.upsert({ ...server, connected: true, connectedAt });
    log.info(`Connected to ${server.name} at ${mcpUrlOf(server)}.`);
    void services.mcpClient.start(remoteServerLabel(server), connectedAt);
    await ui.showInfo(connectedMessage(server));
    return server;
  }

  /**
   * Through the gateway, VS Code's own MCP client meets its 401 challenge, reads its Protected
   * Resource Metadata and signs in with Microsoft Entra: no key is fetched, and none is kept here.
   * Nothing is read from Azure either: someone allowed to call the API may not be allowed to read the app.
   */
  async function throughGateway(server: RemoteServer): Promise<RemoteServer> {
    if ((await keyStore.get(server.resourceId)) !== undefined) {
      await keyStore.forget(server.resourceId);
      log.info(
        `Forgot the stored key of ${server.name}: through API Management no key on this machine is needed.`,
      );
    }
    return {
      ...server,
      via: 'gateway',
      auth: { mode: 'entra', scopes: [], tenantId: server.tenantId },
    };
  }

  async function toAppEndpoint(given: RemoteServer, target: unknown): Promise<RemoteServer> {
    let server = await withKnownKind(await atAppEndpoint(given));
    // The MCP Servers view's probe met a Bearer challenge on a server nothing is remembered of:
    // built-in auth is on, and VS Code finds the scopes itself from the PRM of the endpoint. (Not a
    // row connected through the gateway: the challenge it shows is the gateway's.)
    if (!server.auth && given.via !== 'gateway' && targetSignsInWithEntra(target, server)) {
      server = { ...server, auth: { mode: 'entra', scopes: [] } };
    }
    // An Entra-protected server needs no key: VS Code signs in when it starts the server.
    if (server.auth?.mode !== 'entra') await keys.fetchAndStore(server);
    return server;
  }

  return {
    [CommandId.connect]: (target?: unknown): Promise<RemoteServer> => connect(target),
    [CommandId.connectThroughGateway]: (target?: unknown): Promise<RemoteServer> =>
      connect(target, 'gateway'),
    [CommandId.connectToAppEndpoint]: (target?: unknown): Promise<RemoteServer> => connect(target, 'app'),
    [CommandId.disconnect]: async (target?: unknown): Promise<void> => {
      const server = await pickKnown(
        'Disconnect which server?',
        target,
        (candidate) => candidate.connected === true,
      );
      await registry.upsert({ ...server, connected: false });
      log.info(
        server.via === 'gateway'
          ? `Disconnected ${server.name}; it was connected through API Management, with no key on this machine.`
          : `Disconnected ${server.name}; its key stays in secret storage until you forget it.`,
      );
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

type Door = 'gateway' | 'app';

/** A deployment's entries in Connect's picker: through its gateway first when it has one, then its app. */
export function connectChoices(server: RemoteServer): PickItem<{ server: RemoteServer; door: Door }>[] {
  const where = server.environment ? `azd environment ${server.environment}` : server.resourceGroup;
  if (!server.gateway) {
    return [
      { label: server.name, description: where, detail: server.endpoint, value: { server, door: 'app' } },
    ];
  }
  const appSignIn =
    server.auth?.mode === 'entra'
      ? 'Microsoft Entra sign-in (built-in auth)'
      : `its ${mcpKeySpecOf(server).label}`;
  return [
    {
      label: `${server.name} via API Management`,
      description: where,
      detail: `${server.gateway.endpoint} · Microsoft Entra sign-in, no key on this machine`,
      value: { server, door: 'gateway' },
    },
    {
      label: `${server.name} — app endpoint`,
      description: where,
      detail: `${server.endpoint} · ${appSignIn}`,
      value: { server, door: 'app' },
    },
  ];
}

/** What Connect says, naming the door it used when the server has two. */
function connectedMessage(server: RemoteServer): string {
  const starting = "Starting it in VS Code's MCP client, so Copilot agent mode lists its tools.";
  if (server.via === 'gateway') {
    return `Connected to ${server.name} through API Management. ${starting} VS Code asks you to sign in with Microsoft Entra; no key is kept on this machine.`;
  }
  if (server.gateway) {
    return `Connected to ${server.name} at its app endpoint, not through API Management. ${starting}`;
  }
  return `Connected to ${server.name}. ${starting}`;
}
