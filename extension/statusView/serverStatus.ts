// The live state behind the MCP Servers view, in plain Node: which servers there are (the catalog),
// what Azure says of each (the subscription scan), and whether each answers MCP (the probes). A
// refresh scans and probes with bounded concurrency; a newer refresh cancels a running one. Probes
// use only what is at hand (a stored key, a token VS Code hands out silently): they never prompt.
import { setMaxListeners } from 'node:events';
import { mapBounded, boundedPool } from '../common/boundedPool';
import { errorMessage } from '../common/errors';
import type { Logger } from '../common/log';
import type { McpEvidence, McpScanResult, ScannedApp } from '../azure/mcpAppScan';
import type { ProbeOptions, ProbeOutcome } from '../probe/mcpProbe';
import { catalogCounts } from '../probe/catalogCounts';
import { mcpUrlOf, type RemoteServer, type RemoteServerRegistry } from '../remote/remoteServers';
import type { HiddenServers } from './hiddenServers';
import type { ScanCache } from './scanCache';
import { buildCatalog, serverFromApp, serverKey, withScannedKind, type CatalogEntry } from './serverCatalog';
import type { StatusViewSettings } from './statusViewSettings';
import { Listeners } from '../common/listeners';

/** Lists and checks the function apps of the signed-in subscriptions (extension/azure/mcpAppScan.ts). */
export type SubscriptionScanner = (options: {
  signal: AbortSignal;
  concurrency: number;
  known: (resourceId: string, lastModifiedTimeUtc: string | undefined) => McpEvidence | undefined;
  onApp: (app: ScannedApp) => void;
}) => Promise<McpScanResult>;

import type { AuthMode } from '../auth/entra';
export type { AuthMode };

export interface ProbeRecord {
  at: number;
  /** What the probe sent: the stored key, a token, or nothing. */
  credential: 'key' | 'token' | 'none';
  /** The server's state the probe saw; another one (a key stored, Connect) asks for a new probe. */
  signature: string;
  outcome: ProbeOutcome;
}

export type ScanState =
  | { status: 'off' | 'never' | 'scanning' }
  | { status: 'done'; at: number; problems: string[] }
  | { status: 'signedOut' }
  | { status: 'failed'; message: string };

export interface ServerStatus extends CatalogEntry {
  keyStored: boolean;
  auth: AuthMode;
  probing: boolean;
  probe?: ProbeRecord;
  /** The subscription's display name, when a scan saw it. */
  subscriptionName?: string;
}

export interface StatusSnapshot {
  servers: ServerStatus[];
  scan: ScanState;
  refreshing: boolean;
  settingsProblems: string[];
  lastRefreshAt?: number;
}

export interface ServerStatusServices {
  registry: Pick<RemoteServerRegistry, 'list' | 'onDidChange'>;
  keys: {
    get(resourceId: string): Promise<string | undefined>;
    onDidChange(listener: () => void): { dispose(): void };
  };
  /** The deployments the workspace's azd environments describe. */
  azdDeployments(): RemoteServer[];
  /** Absent: no subscription discovery (only remembered and azd servers). */
  scanner?: SubscriptionScanner;
  probe(url: string, options: ProbeOptions): Promise<ProbeOutcome>;
  /** A token for an Entra-protected server only if one is at hand: it must never prompt (throws if none). */
  silentToken(scopes: string[], tenantId: string | undefined): Promise<string>;
  settings(): { settings: StatusViewSettings; problems: string[] };
  hidden: HiddenServers;
  scanCache: ScanCache;
  log: Logger;
  now?(): number;
}

/** An error the scanner throws when no account is signed in (by name: it crosses the Azure bundle). */
export function isNotSignedIn(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'NotSignedInError' ||
    (error.name === 'AzureAccessError' && /not signed in|auth login/i.test(error.message))
  );
}

function probeSignature(server: RemoteServer, keyStored: boolean): string {
  return [mcpUrlOf(server), server.auth?.mode ?? 'key', server.auth?.mode === 'entra' ? '' : keyStored].join(
    '|',
  );
}

function isStopped(app: ScannedApp | undefined): boolean {
  return app?.state !== undefined && app.state.toLowerCase() !== 'running';
}

/** Key, Entra, anonymous or unknown: what the workspace knows, else what the last probe showed. */
export function authModeOf(
  server: RemoteServer,
  remembered: boolean,
  probe: ProbeRecord | undefined,
): AuthMode {
  if (server.auth?.mode === 'entra') return 'entra';
  const outcome = probe?.outcome;
  if (outcome?.ok)
    return probe?.credential === 'none' ? 'anonymous' : probe?.credential === 'token' ? 'entra' : 'key';
  const failure = outcome?.failure;
  if (failure && (failure.kind === 'unauthorized' || failure.kind === 'forbidden'))
    return failure.bearerChallenge ? 'entra' : 'key';
  return server.auth?.mode === 'key' || remembered ? 'key' : 'unknown';
}

export class ServerStatusModel {
  private readonly probes = new Map<string, ProbeRecord>();
  private readonly probing = new Set<string>();
  /** Whether a key is stored, per server: the tree repaints often, SecretStorage is a round trip. */
  private readonly keyPresence = new Map<string, boolean>();
  private readonly listeners = new Listeners();
  private readonly subscriptions: { dispose(): void }[];
  private scanState: ScanState;
  private settingsProblems: string[] = [];
  private current: AbortController | undefined;
  private running: Promise<void> | undefined;
  private lastRefreshAt: number | undefined;
  private fireTimer: ReturnType<typeof setTimeout> | undefined;
  private reprobeTimer: ReturnType<typeof setTimeout> | undefined;
  private autoRefreshTimer: ReturnType<typeof setInterval> | undefined;
  private disposed = false;

  constructor(private readonly services: ServerStatusServices) {
    this.scanState = services.scanner ? { status: 'never' } : { status: 'off' };
    const changed = () => {
      this.fire();
      this.scheduleReprobe();
    };
    this.subscriptions = [
      services.registry.onDidChange(changed),
      services.keys.onDidChange(() => {
        this.keyPresence.clear();
        changed();
      }),
    ];
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.listeners.add(listener);
  }

  private now(): number {
    return this.services.now?.() ?? Date.now();
  }

  /** The catalog as things stand: the workspace's servers, its azd environments, the last scan. */
  private catalog(): CatalogEntry[] {
    return buildCatalog({
      remembered: this.services.registry.list(),
      azd: this.safeAzdDeployments(),
      scan: this.services.scanCache.last()?.result,
      isHidden: (id) => this.services.hidden.has(id),
    });
  }

  private safeAzdDeployments(): RemoteServer[] {
    try {
      return this.services.azdDeployments();
    } catch (error) {
      this.services.log.warn(`Could not read the workspace's azd environments: ${errorMessage(error)}`);
      return [];
    }
  }

  private async keyStored(resourceId: string): Promise<boolean> {
    const key = serverKey(resourceId);
    let stored = this.keyPresence.get(key);
    if (stored === undefined) {
      stored = (await this.services.keys.get(resourceId)) !== undefined;
      this.keyPresence.set(key, stored);
    }
    return stored;
  }

  async snapshot(): Promise<StatusSnapshot> {
    const scan = this.services.scanCache.last()?.result;
    const names = new Map(
      (scan?.subscriptions ?? []).map((sub) => [sub.subscriptionId.toLowerCase(), sub.displayName]),
    );
    const servers = await Promise.all(
      this.catalog().map(async (entry): Promise<ServerStatus> => {
        const key = serverKey(entry.server.resourceId);
        const probe = this.probes.get(key);
        return {
          ...entry,
          keyStored: await this.keyStored(entry.server.resourceId),
          auth: authModeOf(entry.server, entry.remembered, probe),
          probing: this.probing.has(key),
          probe,
          subscriptionName: names.get(entry.server.subscriptionId.toLowerCase()),
        };
      }),
    );
    return {
      servers,
      scan: this.scanState,
      refreshing: this.current !== undefined,
      settingsProblems: this.settingsProblems,
      lastRefreshAt: this.lastRefreshAt,
    };
  }

  /**
   * Scans the subscriptions (when a scanner is given) and probes every server, at most
   * `probeConcurrency` at once; a server found by the scan is probed as soon as it is found. A
   * running refresh is cancelled first. Resolves when this refresh is done or has been cancelled.
   */
  async refresh(): Promise<void> {
    this.current?.abort(new Error('a newer refresh started'));
    const controller = new AbortController();
    this.current = controller;
    const { signal } = controller;
    const { settings, problems } = this.services.settings();
    // Every running probe and ARM request listens to this signal: a few per unit of concurrency.
    setMaxListeners(settings.probeConcurrency * 4 + 10, signal);
    this.settingsProblems = problems;
    // Another window may have stored or forgotten a key meanwhile.
    this.keyPresence.clear();
    const started = this.now();
    this.fire();

    const pool = boundedPool<CatalogEntry, void>(
      settings.probeConcurrency,
      (entry, poolSignal) => this.probeEntry(entry, poolSignal, settings.probeTimeoutMs),
      signal,
    );
    const fed = new Set<string>();
    const feed = (entry: CatalogEntry) => {
      const key = serverKey(entry.server.resourceId);
      if (fed.has(key) || signal.aborted) return;
      if (isStopped(entry.app)) {
        // A stopped app answers nothing worth showing; its state says why. (Not `fed`: the scan
        // running now may find it started again.)
        this.probes.delete(key);
        return;
      }
      fed.add(key);
      pool.feed(entry);
    };
    const run = (async () => {
      const catalog = new Map(this.catalog().map((entry) => [serverKey(entry.server.resourceId), entry]));
      const scanner = this.services.scanner;
      // A server of an azd environment that does not say what serves MCP on it waits for the scan,
      // which tells (a self-hosted app answers at /mcp); those the scan does not reach go after it.
      const waitsForScan = (entry: CatalogEntry) => scanner && !entry.server.kind && !entry.remembered;
      for (const entry of catalog.values()) if (!waitsForScan(entry)) feed(entry);
      if (scanner) {
        await this.scan(scanner, signal, settings.probeConcurrency, (app) => {
          const known = catalog.get(serverKey(app.resourceId));
          if (!known && (!app.mcp || this.services.hidden.has(app.resourceId))) return;
          const server = known ? withScannedKind(known.server, app) : serverFromApp(app, undefined);
          if (server) {
            feed({
              server,
              group: known?.group ?? { kind: 'subscription', subscriptionId: app.subscriptionId },
              app,
              remembered: known?.remembered ?? false,
              fromAzd: known?.fromAzd ?? false,
            });
          }
        });
      }
      for (const entry of this.catalog()) feed(entry);
      pool.close();
      const results = await pool.done();
      if (signal.aborted) return;
      const failed = results.filter((result) => result.status === 'rejected').length;
      const records = [...fed].map((key) => this.probes.get(key)).filter((record) => record !== undefined);
      const reachable = records.filter((record) => record.outcome.ok).length;
      this.services.log.info(
        `Refreshed the MCP servers in ${this.now() - started} ms: ${fed.size} probed, ${reachable} reachable${failed ? `, ${failed} probes failed to run` : ''}.`,
      );
    })();
    this.running = run;
    try {
      await run;
    } finally {
      if (this.current === controller) {
        this.current = undefined;
        this.lastRefreshAt = this.now();
        this.fire();
      }
    }
  }

  private async scan(
    scanner: SubscriptionScanner,
    signal: AbortSignal,
    concurrency: number,
    onApp: (app: ScannedApp) => void,
  ): Promise<void> {
    const previous = this.scanState;
    this.scanState = { status: 'scanning' };
    this.fire();
    try {
      const result = await scanner({
        signal,
        concurrency,
        known: this.services.scanCache.knownChecks(),
        onApp,
      });
      const at = this.now();
      await this.services.scanCache.save(result, at);
      this.scanState = { status: 'done', at, problems: result.problems };
      for (const problem of result.problems) this.services.log.warn(problem);
    } catch (error) {
      if (signal.aborted) {
        this.scanState = previous;
        return;
      }
      if (isNotSignedIn(error)) {
        this.scanState = { status: 'signedOut' };
        this.services.log.info(
          'Not signed in to Azure: the view lists only the servers this workspace knows.',
        );
      } else {
        const message = errorMessage(error);
        this.scanState = { status: 'failed', message };
        this.services.log.warn(`Could not search the subscriptions for MCP servers: ${message}`);
      }
    }
  }

  private async probeEntry(entry: CatalogEntry, signal: AbortSignal, timeoutMs: number): Promise<void> {
    const { server } = entry;
    const key = serverKey(server.resourceId);
    this.probing.add(key);
    this.fire();
    try {
      const stored = await this.services.keys.get(server.resourceId);
      const signature = probeSignature(server, stored !== undefined);
      const { headers, credential } = await this.credentialsFor(server, stored, timeoutMs);
      // The door VS Code uses: the gateway when connected through API Management, else the app.
      const outcome = await this.services.probe(mcpUrlOf(server), { headers, timeoutMs, signal });
      if (signal.aborted || (!outcome.ok && outcome.failure.kind === 'cancelled')) return;
      this.probes.set(key, { at: this.now(), credential, signature, outcome });
      this.services.log.debug(
        outcome.ok
          ? `${server.name}: reachable, ${catalogCounts(outcome, ', ')}, ${outcome.latencyMs} ms (MCP ${outcome.protocolVersion ?? '?'}).`
          : `${server.name}: ${outcome.failure.detail}.`,
      );
    } finally {
      this.probing.delete(key);
      this.fire();
    }
  }

  private async credentialsFor(
    server: RemoteServer,
    storedKey: string | undefined,
    timeoutMs: number,
  ): Promise<{ headers: Record<string, string>; credential: ProbeRecord['credential'] }> {
    // The gateway takes no key from here (it sends the app's own), and VS Code signs in from its PRM:
    // the probe uses a token VS Code already holds for the scope that PRM offers, if any.
    const entraScopes =
      server.via === 'gateway' && server.gateway
        ? (server.gateway.scopes ?? [])
        : server.auth?.mode === 'entra'
          ? server.auth.scopes
          : undefined;
    if (entraScopes) {
      if (entraScopes.length === 0) return { headers: {}, credential: 'none' };
      try {
        const tenantId =
          (server.auth?.mode === 'entra' ? server.auth.tenantId : undefined) ?? server.tenantId;
        const token = await withTimeout(this.services.silentToken(entraScopes, tenantId), timeoutMs);
        return { headers: { Authorization: `Bearer ${token}` }, credential: 'token' };
      } catch {
        // Not signed in: the probe shows what the server says to a caller without a token.
        return { headers: {}, credential: 'none' };
      }
    }
    return storedKey
      ? { headers: { 'x-functions-key': storedKey }, credential: 'key' }
      : { headers: {}, credential: 'none' };
  }

  /**
   * A key stored or forgotten, a Connect, an Entra switch: the servers whose state changed since
   * their last probe are probed again (not the others), once the view has been refreshed at all.
   */
  private scheduleReprobe(): void {
    if (this.lastRefreshAt === undefined || this.disposed) return;
    clearTimeout(this.reprobeTimer);
    this.reprobeTimer = setTimeout(() => void this.reprobeChanged(), 200);
  }

  /** Probes the servers whose state changed since their last probe; resolves when they are done. */
  async reprobeChanged(): Promise<void> {
    await this.running?.catch(() => undefined);
    const { settings } = this.services.settings();
    const snapshot = await this.snapshot();
    const stale = snapshot.servers.filter(
      (status) =>
        !status.probing &&
        !isStopped(status.app) &&
        status.probe?.signature !== probeSignature(status.server, status.keyStored),
    );
    if (stale.length === 0) return;
    const signal = this.current?.signal ?? new AbortController().signal;
    await mapBounded(
      stale,
      settings.probeConcurrency,
      (entry, s) => this.probeEntry(entry, s, settings.probeTimeoutMs),
      signal,
    );
  }

  /** Refreshes every `intervalMs` (0: never) while nothing else is refreshing. */
  setAutoRefresh(intervalMs: number): void {
    clearInterval(this.autoRefreshTimer);
    this.autoRefreshTimer = undefined;
    if (intervalMs > 0 && !this.disposed) {
      this.autoRefreshTimer = setInterval(() => {
        if (!this.current) void this.refresh();
      }, intervalMs);
    }
  }

  /** Change events are coalesced: fifty probes finishing together repaint the tree once. */
  private fire(): void {
    if (this.fireTimer || this.disposed) return;
    this.fireTimer = setTimeout(() => {
      this.fireTimer = undefined;
      this.listeners.fire();
    }, 50);
  }

  dispose(): void {
    this.disposed = true;
    this.current?.abort(new Error('the view was closed'));
    clearTimeout(this.fireTimer);
    clearTimeout(this.reprobeTimer);
    clearInterval(this.autoRefreshTimer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.listeners.clear();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
