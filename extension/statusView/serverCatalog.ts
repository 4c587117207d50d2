// Which deployed servers the view lists, and under which heading: the servers this workspace
// remembers (Connect, Deploy), those its azd environments describe, and the function apps serving MCP
// that the last subscription scan found; each once, minus those the user removed from the list.
import type { McpEvidence, McpScanResult, ScannedApp } from '../azure/mcpAppScan';
import { mcpEndpoint, withKind, type RemoteServer, type RemoteServerKind } from '../remote/remoteServers';

export type ServerGroup =
  { kind: 'azd'; environment: string } | { kind: 'subscription'; subscriptionId: string };

export interface CatalogEntry {
  server: RemoteServer;
  group: ServerGroup;
  /** Azure's side (state, region, last change), when a scan found the app. */
  app?: ScannedApp;
  /** In the workspace's list of servers (after Connect or Deploy). */
  remembered: boolean;
  /** An azd environment of the workspace describes it: Redeploy can run azd for it. */
  fromAzd: boolean;
}

export interface CatalogSources {
  remembered: readonly RemoteServer[];
  azd: readonly RemoteServer[];
  scan: McpScanResult | undefined;
  isHidden(resourceId: string): boolean;
}

/** ARM resource ids are case-insensitive: one server, one key. */
export function serverKey(resourceId: string): string {
  return resourceId.toLowerCase();
}

/** What serves MCP on a scanned app, from how the scan recognised it; undefined when it did not. */
export function kindFromEvidence(evidence: McpEvidence): RemoteServerKind | undefined {
  if (evidence === 'customHandler') return 'selfHosted';
  return evidence ? 'functionsMcpExtension' : undefined;
}

/**
 * A server that came without a kind (an azd environment, a server remembered before self-hosted ones
 * were known) is an MCP extension app unless the scan shows a self-hosted one: then it answers at /mcp.
 */
export function withScannedKind(server: RemoteServer, app: ScannedApp): RemoteServer {
  return !server.kind && app.mcp === 'customHandler' ? withKind(server, 'selfHosted') : server;
}

/** The server a scanned app is, as Connect would remember it. */
export function serverFromApp(app: ScannedApp, tenantId: string | undefined): RemoteServer | undefined {
  if (!app.defaultHostName) return undefined;
  const kind = kindFromEvidence(app.mcp);
  return {
    resourceId: app.resourceId,
    name: app.name,
    hostName: app.defaultHostName,
    endpoint: mcpEndpoint(app.defaultHostName, kind),
    ...(kind ? { kind } : {}),
    subscriptionId: app.subscriptionId,
    resourceGroup: app.resourceGroup,
    tenantId,
    location: app.location,
  };
}

export function buildCatalog(sources: CatalogSources): CatalogEntry[] {
  const entries = new Map<string, CatalogEntry>();
  const tenants = new Map(
    (sources.scan?.subscriptions ?? []).map((sub) => [sub.subscriptionId.toLowerCase(), sub.tenantId]),
  );
  const azdEnvironments = new Set(sources.azd.flatMap((server) => server.environment ?? []));
  const add = (server: RemoteServer, origin: 'remembered' | 'azd') => {
    const key = serverKey(server.resourceId);
    const existing = entries.get(key);
    // What the workspace remembers (connected, auth mode, last deploy) wins over the azd values.
    const merged = existing
      ? origin === 'remembered'
        ? { ...existing.server, ...server }
        : { ...server, ...existing.server }
      : server;
    entries.set(key, {
      server: merged,
      group: { kind: 'subscription', subscriptionId: merged.subscriptionId },
      remembered: (existing?.remembered ?? false) || origin === 'remembered',
      fromAzd: (existing?.fromAzd ?? false) || origin === 'azd',
    });
  };
  for (const server of sources.azd) add(server, 'azd');
  for (const server of sources.remembered) add(server, 'remembered');

  for (const app of sources.scan?.apps ?? []) {
    const key = serverKey(app.resourceId);
    const existing = entries.get(key);
    if (existing) {
      existing.app = app;
      existing.server = {
        ...withScannedKind(existing.server, app),
        location: existing.server.location ?? app.location,
        tenantId: existing.server.tenantId ?? tenants.get(app.subscriptionId.toLowerCase()),
      };
      continue;
    }
    if (!app.mcp) continue;
    const server = serverFromApp(app, tenants.get(app.subscriptionId.toLowerCase()));
    if (!server) continue;
    entries.set(key, {
      server,
      group: { kind: 'subscription', subscriptionId: app.subscriptionId },
      app,
      remembered: false,
      fromAzd: false,
    });
  }

  return [...entries.values()]
    .filter((entry) => !sources.isHidden(entry.server.resourceId))
    .map((entry) => {
      const environment = entry.server.environment;
      // Grouped by environment only when it is one of this workspace's (Redeploy works there).
      if (environment && azdEnvironments.has(environment)) entry.group = { kind: 'azd', environment };
      return entry;
    });
}
