import { mcpRoutes } from '../../shared/mcpRoutes';
import { Listeners } from '../common/listeners';
import { selfHostedMcpPath } from '../project/mcpProject';

/** A deployed MCP server this workspace knows about. */
export interface RemoteServer {
  /** The function app's resource id: the identity of a server, and the key's name in SecretStorage. */
  resourceId: string;
  name: string;
  hostName: string;
  /** https://<host>/runtime/webhooks/mcp, or https://<host>/mcp for a self-hosted server. */
  endpoint: string;
  /**
   * What serves MCP on the app: the Functions MCP extension (absent, for servers remembered before
   * self-hosted servers were known), or a self-hosted SDK server behind the MCP custom handler. It
   * decides the endpoint's path and which key a key-mode client sends.
   */
  kind?: RemoteServerKind;
  subscriptionId: string;
  resourceGroup: string;
  tenantId?: string;
  /** The azd environment it was deployed from, when it was. */
  environment?: string;
  location?: string;
  lastDeployedAt?: string;
  /** Connected servers are handed to VS Code's MCP client; a deployed one waits for Connect. */
  connected?: boolean;
  /**
   * When Connect last ran (ISO time): the version of the server's definition, so a new Connect
   * makes VS Code drop the running connection and its cached tool list and start afresh.
   */
  connectedAt?: string;
  /** How VS Code authenticates: the function key (the default), or a Microsoft Entra token. */
  auth?: RemoteServerAuth;
  /**
   * The API Management gateway in front of the app, when the deployment has one (APIM_ENABLED):
   * the gateway and the app are one server, reachable through either door.
   */
  gateway?: ApiManagementGateway;
  /**
   * Which door Connect used: the gateway (Microsoft Entra sign-in, no key on this machine) or the
   * app's own endpoint. Absent: the app's endpoint (servers without a gateway, or remembered before
   * gateways were known).
   */
  via?: 'gateway' | 'app';
}

export interface ApiManagementGateway {
  /** The gateway's MCP URL (SERVICE_MCP_GATEWAY_URL): https://<service>.azure-api.net/mcp. */
  endpoint: string;
  /**
   * The app registration's user_impersonation scope (from ENTRA_IDENTIFIER_URI), the one the gateway's
   * PRM offers: the status view probes with a token VS Code already holds for it, silently.
   */
  scopes?: string[];
}

export type RemoteServerKind = 'functionsMcpExtension' | 'selfHosted';

export type RemoteServerAuth =
  | { mode: 'key' }
  | {
      mode: 'entra';
      /** The API's scope, e.g. api://<tenant>/<app>/user_impersonation; discovered from PRM when absent. */
      scopes: string[];
      tenantId?: string;
      clientId?: string;
    };

/** The slice of VS Code's Memento this needs (workspaceState). */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const stateKey = 'remoteMcp.remoteServers';

/**
 * The URL VS Code's MCP client, the probe and Check Sign-in talk to: the gateway's when the server
 * was connected through it, else the app's own endpoint.
 */
export function mcpUrlOf(server: Pick<RemoteServer, 'endpoint' | 'gateway' | 'via'>): string {
  return server.via === 'gateway' && server.gateway ? server.gateway.endpoint : server.endpoint;
}

/** The path a client posts MCP to: the MCP extension's webhook, or the self-hosted server's own route. */
export function mcpPathOf(kind: RemoteServerKind = 'functionsMcpExtension'): string {
  return kind === 'selfHosted' ? selfHostedMcpPath : mcpRoutes.streamableHttp;
}

export function mcpEndpoint(hostName: string, kind: RemoteServerKind = 'functionsMcpExtension'): string {
  return `https://${hostName}${mcpPathOf(kind)}`;
}

/**
 * The server as an app of this kind: the kind remembered, and the endpoint on the same origin with
 * the kind's path (the MCP extension's webhook, or the self-hosted server's /mcp).
 */
export function withKind(server: RemoteServer, kind: RemoteServerKind): RemoteServer {
  let endpoint: string;
  try {
    const url = new URL(server.endpoint);
    url.pathname = mcpPathOf(kind);
    endpoint = url.toString();
  } catch {
    endpoint = mcpEndpoint(server.hostName, kind);
  }
  return { ...server, kind, endpoint };
}

export function isRemoteServer(value: unknown): value is RemoteServer {
  const candidate = value as Partial<RemoteServer> | undefined;
  return typeof candidate?.resourceId === 'string' && typeof candidate.endpoint === 'string';
}

/**
 * The server a command was invoked for: a server itself (a button, another command), or a node of
 * the MCP Servers view, which carries its server (VS Code passes the node to context-menu actions).
 */
export function remoteServerArgument(value: unknown): RemoteServer | undefined {
  if (isRemoteServer(value)) return value;
  const server = (value as { server?: unknown } | undefined)?.server;
  return isRemoteServer(server) ? server : undefined;
}

/**
 * Whether a command's target signs in with Microsoft Entra: the remembered server says so, or the
 * MCP Servers view row it came from does (a probe met a Bearer challenge before anything was
 * remembered about the server).
 */
export function targetSignsInWithEntra(target: unknown, server: RemoteServer): boolean {
  return (
    server.auth?.mode === 'entra' || (target as { authMode?: unknown } | undefined)?.authMode === 'entra'
  );
}

export function sameResource(a: string, b: string): boolean {
  // ARM resource ids are case-insensitive.
  return a.toLowerCase() === b.toLowerCase();
}

/** Deployed servers, remembered per workspace; listeners hear of every change. */
export class RemoteServerRegistry {
  private readonly listeners = new Listeners();

  constructor(private readonly state: StateStore) {}

  list(): RemoteServer[] {
    return this.state.get<RemoteServer[]>(stateKey) ?? [];
  }

  find(resourceId: string): RemoteServer | undefined {
    return this.list().find((server) => sameResource(server.resourceId, resourceId));
  }

  async upsert(server: RemoteServer): Promise<void> {
    const others = this.list().filter((existing) => !sameResource(existing.resourceId, server.resourceId));
    await this.state.update(stateKey, [...others, { ...this.find(server.resourceId), ...server }]);
    this.listeners.fire();
  }

  async remove(resourceId: string): Promise<void> {
    await this.state.update(
      stateKey,
      this.list().filter((server) => !sameResource(server.resourceId, resourceId)),
    );
    this.listeners.fire();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.listeners.add(listener);
  }
}
