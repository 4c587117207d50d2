// Finds the function apps that serve MCP in every subscription the signed-in account can see. Part of
// the Azure bundle (dist/azure.js). ARM calls, through the SDK clients:
//   GET  /subscriptions                                          SubscriptionClient.subscriptions.list
//   GET  /subscriptions/{sub}/providers/Microsoft.Web/sites      WebSiteManagementClient.webApps.list
//   GET  {site}/functions                                        webApps.listFunctions
//   POST {site}/config/appsettings/list                          webApps.listApplicationSettings
//   POST {site}/host/default/listkeys                            webApps.listHostKeys
// An app serves MCP when one of its functions has an `mcpToolTrigger` binding (the Functions MCP
// extension's tools); failing that, when its app settings turn the MCP custom handler on
// (`AzureWebJobsFeatureFlags` holding `EnableMcpCustomHandlerPreview`: a self-hosted SDK server,
// which has no trigger functions); failing that, when its host has the `mcp_extension` system key
// (the extension is loaded, its functions not listed yet). Settings and keys are read only when the
// step before found nothing; neither a key nor a setting's value is kept: only what they showed.
import type { WebSiteManagementClient } from '@azure/arm-appservice';
import { isRestError } from '@azure/arm-appservice';
import type { TokenCredential } from '@azure/identity';
import { mapBounded } from '../common/boundedPool';
import { hasMcpCustomHandlerFlag } from '../remote/serverKind';
import { createArmClient, createSubscriptionClient } from './armClient';
import { siteRefOf } from './resourceIds';

/**
 * How an app showed it serves MCP: an MCP trigger function or the `mcp_extension` system key (the
 * Functions MCP extension), or the custom handler's feature flag (a self-hosted server); `false`
 * when it does not (or could not be checked).
 */
export type McpEvidence = 'trigger' | 'systemKey' | 'customHandler' | false;

export interface ScannedSubscription {
  subscriptionId: string;
  displayName: string;
  tenantId: string | undefined;
}

export interface ScannedApp {
  resourceId: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  defaultHostName: string | undefined;
  /** ARM's `state`: Running, Stopped, ... */
  state: string | undefined;
  location: string;
  tags: Record<string, string>;
  /** The Flex Consumption runtime (`functionAppConfig.runtime.name`: node, python, ...), when ARM says. */
  runtime?: string;
  /** ISO 8601; a deploy or a settings change moves it, so it also keys the MCP check's cache. */
  lastModifiedTimeUtc: string | undefined;
  mcp: McpEvidence;
  /** False when the app could not be checked (no right to read its functions or keys). */
  checked: boolean;
}

export interface McpAppScanOptions {
  credential: TokenCredential;
  endpoint?: string;
  tlsCa?: string;
  /** Function apps checked at once. */
  concurrency: number;
  signal?: AbortSignal;
  /** What an earlier scan found for an app unchanged since (same lastModifiedTimeUtc): not asked again. */
  known?(resourceId: string, lastModifiedTimeUtc: string | undefined): McpEvidence | undefined;
  /** Each function app as soon as it is checked, so its probe can start before the scan ends. */
  onApp?(app: ScannedApp): void;
}

export interface McpScanResult {
  subscriptions: ScannedSubscription[];
  /** Every function app found, MCP or not (the view reads the state of known servers from here). */
  apps: ScannedApp[];
  /** What could not be read, each a sentence for users. */
  problems: string[];
}

function reason(error: unknown): string {
  if (isRestError(error)) {
    return error.statusCode === undefined
      ? `Azure Resource Manager could not be reached (${error.message})`
      : `Azure answered ${error.statusCode} (${error.code ?? 'no error code'}: ${error.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}

function isFunctionApp(kind: string | undefined): boolean {
  const lower = kind?.toLowerCase() ?? '';
  // Logic Apps Standard run on the Functions runtime but are workflows, not MCP servers.
  return lower.includes('functionapp') && !lower.includes('workflowapp');
}

function hasMcpTrigger(config: Record<string, unknown> | undefined): boolean {
  const bindings = config?.['bindings'];
  return (
    Array.isArray(bindings) &&
    bindings.some(
      (binding) =>
        typeof (binding as { type?: unknown }).type === 'string' &&
        (binding as { type: string }).type.toLowerCase() === 'mcptooltrigger',
    )
  );
}

async function mcpEvidence(
  client: WebSiteManagementClient,
  app: ScannedApp,
  signal: AbortSignal | undefined,
): Promise<McpEvidence> {
  for await (const fn of client.webApps.listFunctions(app.resourceGroup, app.name, { abortSignal: signal })) {
    if (hasMcpTrigger(fn.config)) return 'trigger';
  }
  const settings = await client.webApps.listApplicationSettings(app.resourceGroup, app.name, {
    abortSignal: signal,
  });
  if (hasMcpCustomHandlerFlag(settings.properties ?? {})) return 'customHandler';
  const keys = await client.webApps.listHostKeys(app.resourceGroup, app.name, { abortSignal: signal });
  return keys.systemKeys?.['mcp_extension'] ? 'systemKey' : false;
}

/** Every function app of every visible subscription, each marked with whether it serves MCP. */
export async function scanForMcpApps(options: McpAppScanOptions): Promise<McpScanResult> {
  const { credential, endpoint, tlsCa, signal } = options;
  const subscriptions: ScannedSubscription[] = [];
  for await (const sub of createSubscriptionClient({ credential, endpoint, tlsCa }).subscriptions.list({
    abortSignal: signal,
  })) {
    if (!sub.subscriptionId || (sub.state && sub.state !== 'Enabled' && sub.state !== 'PastDue')) continue;
    subscriptions.push({
      subscriptionId: sub.subscriptionId,
      displayName: sub.displayName ?? sub.subscriptionId,
      tenantId: sub.tenantId,
    });
  }

  const problems: string[] = [];
  const clients = new Map<string, WebSiteManagementClient>();
  const sitesPerSubscription = await mapBounded(
    subscriptions,
    options.concurrency,
    async (sub) => {
      const client = createArmClient({ credential, endpoint, tlsCa, subscriptionId: sub.subscriptionId });
      clients.set(sub.subscriptionId, client);
      const apps: ScannedApp[] = [];
      for await (const site of client.webApps.list({ abortSignal: signal })) {
        if (!isFunctionApp(site.kind) || !site.id || !site.name) continue;
        apps.push({
          resourceId: site.id,
          name: site.name,
          subscriptionId: sub.subscriptionId,
          resourceGroup: site.resourceGroup ?? siteRefOf(site.id)?.resourceGroup ?? '',
          defaultHostName: site.defaultHostName,
          state: site.state,
          location: site.location,
          tags: site.tags ?? {},
          ...(site.functionAppConfig?.runtime?.name ? { runtime: site.functionAppConfig.runtime.name } : {}),
          lastModifiedTimeUtc: site.lastModifiedTimeUtc?.toISOString(),
          mcp: false,
          checked: false,
        });
      }
      return apps;
    },
    signal,
  );
  signal?.throwIfAborted();
  const apps = sitesPerSubscription.flatMap((result, index) => {
    if (result.status === 'fulfilled') return result.value;
    const sub = subscriptions[index];
    problems.push(
      `Could not list the function apps of subscription ${sub?.displayName ?? '?'}: ${reason(result.reason)}.`,
    );
    return [];
  });

  let unchecked = 0;
  await mapBounded(
    apps,
    options.concurrency,
    async (app) => {
      const known = options.known?.(app.resourceId, app.lastModifiedTimeUtc);
      if (known !== undefined) {
        app.mcp = known;
        app.checked = true;
      } else {
        try {
          app.mcp = await mcpEvidence(clients.get(app.subscriptionId)!, app, signal);
          app.checked = true;
        } catch (error) {
          if (signal?.aborted) throw error;
          // Without the right to read functions or keys (a Reader), the app cannot be told apart.
          unchecked++;
        }
      }
      options.onApp?.(app);
    },
    signal,
  );
  signal?.throwIfAborted();
  if (unchecked > 0) {
    problems.push(
      `${unchecked} function app${unchecked > 1 ? 's' : ''} could not be checked for MCP: reading their functions, app settings or host keys needs the Website Contributor role.`,
    );
  }
  return { subscriptions, apps, problems };
}
