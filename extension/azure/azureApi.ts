// The Azure side of the extension: ARM calls through @azure/arm-appservice and the credentials they
// use. This file is the entry of its own bundle, dist/azure.js, loaded on first use by
// extension/azure/loadAzure.ts, so activation never loads an Azure SDK. Plain Node: no `vscode`.
//
// Errors cross the bundle boundary, where `instanceof` against a class from another bundle fails:
// every error class here sets a distinct `name` the extension can test instead.
import {
  WebSiteManagementClient,
  isRestError,
  type Site,
  type SiteAuthSettingsV2,
} from '@azure/arm-appservice';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  checkedEntraRegistration,
  entraAppSettingChanges,
  keyModeAppSettingChanges,
  readAuthState,
  withEntraAuth,
  withoutEntraAuth,
  type AuthSettingsV2Properties,
  type AuthState,
  type EntraRegistration,
} from '../auth/entraAppConfig';

export type { TokenCredential, AuthSettingsV2Properties, AuthState, EntraRegistration };
export { createArmClient, PUBLIC_ARM_ENDPOINT, type ArmClientOptions } from './armClient';
export { scanForMcpApps, type McpAppScanOptions, type McpScanResult, type ScannedApp } from './mcpAppScan';

/** Where a function app lives in ARM. */
export interface SiteRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

export interface SiteSummary {
  id: string;
  name: string;
  defaultHostName: string | undefined;
  state: string | undefined;
  location: string;
  kind: string | undefined;
  tags: Record<string, string>;
  /** ISO 8601. */
  lastModifiedTimeUtc: string | undefined;
}

/** An ARM call failed. `statusCode` and `code` are ARM's (absent when Azure was not reached). */
export class AzureApiError extends Error {
  override name = 'AzureApiError';
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** ARM answered 404: the app, its resource group or its subscription does not exist (any more). */
export class SiteNotFoundError extends AzureApiError {
  override name = 'SiteNotFoundError';
}

/** ARM answered 401 (the sign-in) or 403 (the role on the app). */
export class AzureAccessError extends AzureApiError {
  override name = 'AzureAccessError';
}

/** The app has no `mcp_extension` system key yet, after waiting for it. */
export class KeyNotReadyError extends AzureApiError {
  override name = 'KeyNotReadyError';
  constructor(
    readonly siteName: string,
    readonly waitedMs: number,
  ) {
    super(
      `The function app ${siteName} has not loaded the MCP extension yet, so it has no mcp_extension key (waited ${Math.round(waitedMs / 1000)} s). Check that the deployment finished and the app is running, then run Remote MCP: Fetch Key.`,
    );
  }
}

/**
 * Whether an error comes from this module with a message written for users (what failed, what to
 * do). Call it inside this bundle (through loadAzure()): `instanceof` works here.
 */
export function isUserFacingAzureError(error: unknown): error is AzureApiError {
  return error instanceof AzureApiError;
}

const SITE_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Web\/sites\/([^/]+)\/?$/i;

/** Splits `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}`. */
export function parseSiteResourceId(id: string): SiteRef {
  const match = SITE_ID.exec(id.trim());
  if (!match) {
    throw new Error(
      `"${id}" is not the resource ID of a function app; expected /subscriptions/<subscription id>/resourceGroups/<resource group>/providers/Microsoft.Web/sites/<app name>.`,
    );
  }
  const [, subscriptionId = '', resourceGroup = '', name = ''] = match;
  return {
    subscriptionId: decodeURIComponent(subscriptionId),
    resourceGroup: decodeURIComponent(resourceGroup),
    name: decodeURIComponent(name),
  };
}

export function siteResourceId(ref: SiteRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Web/sites/${ref.name}`;
}

/**
 * Turns a failed ARM call into an error that says what to do. `action` completes "Could not …",
 * e.g. "read the host keys of". Aborts pass through untouched.
 */
export function armError(error: unknown, ref: SiteRef, action: string): unknown {
  if (error instanceof AzureApiError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  if (!isRestError(error)) return error;
  const status = error.statusCode;
  const code = error.code;
  const arm = `${code ?? 'no error code'}: ${error.message}`;
  const app = `the function app ${ref.name}`;
  if (status === undefined) {
    return new AzureApiError(
      `Could not ${action} ${app}: Azure Resource Manager could not be reached (${arm}). Check the network connection and proxy settings.`,
      undefined,
      code,
    );
  }
  if (status === 404) {
    const where =
      code === 'ResourceGroupNotFound'
        ? `the resource group ${ref.resourceGroup} does not exist in subscription ${ref.subscriptionId}`
        : code === 'SubscriptionNotFound'
          ? `the subscription ${ref.subscriptionId} was not found, or the signed-in account cannot see it`
          : `it was not found in resource group ${ref.resourceGroup} (subscription ${ref.subscriptionId})`;
    return new SiteNotFoundError(
      `Could not ${action} ${app}: ${where}. It may have been deleted, or the app is in another subscription; deploy again or remove the server.`,
      status,
      code,
    );
  }
  if (status === 401) {
    return new AzureAccessError(
      `Could not ${action} ${app}: Azure did not accept the sign-in (${arm}). Sign in to Azure again, with an account of the app's tenant.`,
      status,
      code,
    );
  }
  if (status === 403) {
    return new AzureAccessError(
      `Could not ${action} ${app}: the signed-in account is not allowed to (${arm}). It needs the Website Contributor or Contributor role on the app or its resource group ${ref.resourceGroup}.`,
      status,
      code,
    );
  }
  return new AzureApiError(`Could not ${action} ${app}: Azure answered ${status} (${arm}).`, status, code);
}

async function call<T>(ref: SiteRef, action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw armError(error, ref, action);
  }
}

export async function getSite(client: WebSiteManagementClient, ref: SiteRef): Promise<SiteSummary> {
  const site = await call(ref, 'read', () => client.webApps.get(ref.resourceGroup, ref.name));
  return siteSummary(site, { id: siteResourceId(ref), name: ref.name });
}

/** What the extension keeps of an ARM site; `fallback` names it when ARM leaves id or name out. */
function siteSummary(site: Site, fallback: { id: string; name: string }): SiteSummary {
  return {
    id: site.id ?? fallback.id,
    name: site.name ?? fallback.name,
    defaultHostName: site.defaultHostName,
    state: site.state,
    location: site.location,
    kind: site.kind,
    tags: site.tags ?? {},
    lastModifiedTimeUtc: site.lastModifiedTimeUtc?.toISOString(),
  };
}

export interface FetchKeyOptions {
  signal?: AbortSignal;
  /** How long to wait for the key to appear (default 180 000 ms). */
  limitMs?: number;
  /** First wait between tries (default 2000 ms); it doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  /** Longest wait between tries (default 15 000 ms). */
  maxDelayMs?: number;
  /** Called before each wait, with the time since the first try. */
  onWaiting?: (elapsedMs: number) => void;
}

/**
 * The app's `mcp_extension` system key (ARM listHostKeys). Right after a deploy the host has not
 * loaded the MCP extension and the key is missing: try again, waiting longer each time, until
 * `limitMs`. The key itself never appears in an error or a log line.
 */
export async function fetchMcpExtensionKey(
  client: WebSiteManagementClient,
  ref: SiteRef,
  options: FetchKeyOptions = {},
): Promise<string> {
  const { signal, limitMs = 180_000, maxDelayMs = 15_000, onWaiting } = options;
  let delay = options.initialDelayMs ?? 2000;
  const started = Date.now();
  for (;;) {
    signal?.throwIfAborted();
    const keys = await call(ref, 'read the host keys of', () =>
      client.webApps.listHostKeys(ref.resourceGroup, ref.name, { abortSignal: signal }),
    );
    const key = keys.systemKeys?.['mcp_extension'];
    if (key) return key;
    const elapsed = Date.now() - started;
    if (elapsed >= limitMs) throw new KeyNotReadyError(ref.name, elapsed);
    onWaiting?.(elapsed);
    await sleep(Math.min(delay, limitMs - elapsed), undefined, { signal });
    delay = Math.min(delay * 2, maxDelayMs);
  }
}

export async function getAppSettings(
  client: WebSiteManagementClient,
  ref: SiteRef,
): Promise<Record<string, string>> {
  const settings = await call(ref, 'read the app settings of', () =>
    client.webApps.listApplicationSettings(ref.resourceGroup, ref.name),
  );
  return settings.properties ?? {};
}

/**
 * Sets (or, with `null`, removes) some app settings. ARM replaces the whole set on write, so this
 * reads, merges and writes; settings it is not told about are kept. Returns the new set.
 */
export async function updateAppSettings(
  client: WebSiteManagementClient,
  ref: SiteRef,
  changes: Record<string, string | null>,
): Promise<Record<string, string>> {
  const merged = { ...(await getAppSettings(client, ref)) };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  const written = await call(ref, 'write the app settings of', () =>
    client.webApps.updateApplicationSettings(ref.resourceGroup, ref.name, { properties: merged }),
  );
  return written.properties ?? merged;
}

/** The authsettingsV2 `properties` of an SDK answer, without the resource envelope or unset fields. */
function authProperties(settings: SiteAuthSettingsV2): AuthSettingsV2Properties {
  const { platform, globalValidation, identityProviders, login, httpSettings } = settings;
  // The SDK's deserializers set every known field, `undefined` when absent; a JSON round trip drops
  // those (there are no dates in these settings).
  return JSON.parse(
    JSON.stringify({ platform, globalValidation, identityProviders, login, httpSettings }),
  ) as AuthSettingsV2Properties;
}

/** The app's built-in authentication settings (`{site}/config/authsettingsV2`), the `properties` only. */
export async function getAuthSettingsV2(
  client: WebSiteManagementClient,
  ref: SiteRef,
): Promise<AuthSettingsV2Properties> {
  const settings = await call(ref, 'read the authentication settings of', () =>
    client.webApps.getAuthSettingsV2(ref.resourceGroup, ref.name),
  );
  return authProperties(settings);
}

/**
 * Replaces the app's built-in authentication settings (ARM keeps nothing of the old ones: pass what
 * getAuthSettingsV2 returned, changed). Returns what ARM stored.
 */
export async function updateAuthSettingsV2(
  client: WebSiteManagementClient,
  ref: SiteRef,
  properties: AuthSettingsV2Properties,
): Promise<AuthSettingsV2Properties> {
  const written = await call(ref, 'write the authentication settings of', () =>
    client.webApps.updateAuthSettingsV2(ref.resourceGroup, ref.name, properties as SiteAuthSettingsV2),
  );
  return authProperties(written);
}

export interface EntraAuthRegistration extends EntraRegistration {
  /**
   * Client id of a user-assigned identity of the app with a federated credential on the
   * registration (OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID); only the browser sign-in flow needs it.
   */
  managedIdentityClientId?: string;
}

/**
 * Puts Microsoft Entra in front of any function app: built-in authentication for the registration
 * the user names (VS Code pre-authorised on it is their part), then the app settings, including the
 * MCP webhook level Anonymous. Both are read, merged and written, so other identity providers and
 * app settings stay. The authentication goes first: should the second write fail, the app asks for
 * a token and the key (closed), never for neither. Returns the new state.
 */
export async function enableEntraAuth(
  client: WebSiteManagementClient,
  ref: SiteRef,
  registration: EntraAuthRegistration,
): Promise<AuthState> {
  // Checks the registration before anything is read or written.
  const checked = checkedEntraRegistration(registration);
  const settingChanges = entraAppSettingChanges(checked);
  const current = await getAuthSettingsV2(client, ref);
  const authSettings = await updateAuthSettingsV2(client, ref, withEntraAuth(current, checked));
  const appSettings = await updateAppSettings(client, ref, settingChanges);
  return readAuthState(authSettings, appSettings);
}

/**
 * Back to key mode: the Entra app settings go first (the webhook asks for the system key again),
 * then built-in authentication stops requiring sign-in (and is switched off unless another identity
 * provider is in use). Other settings stay. Returns the new state.
 */
export async function disableEntraAuth(client: WebSiteManagementClient, ref: SiteRef): Promise<AuthState> {
  const appSettings = await updateAppSettings(client, ref, keyModeAppSettingChanges());
  const current = await getAuthSettingsV2(client, ref);
  const authSettings = await updateAuthSettingsV2(client, ref, withoutEntraAuth(current));
  return readAuthState(authSettings, appSettings);
}

/** How the app is guarded now (Entra, key, anonymous), with what is inconsistent. */
export async function readAppAuthState(client: WebSiteManagementClient, ref: SiteRef): Promise<AuthState> {
  const [authSettings, appSettings] = await Promise.all([
    getAuthSettingsV2(client, ref),
    getAppSettings(client, ref),
  ]);
  return readAuthState(authSettings, appSettings);
}

/** Every function app the subscription holds (Logic Apps Standard excluded), over all pages. */
export async function listFunctionApps(client: WebSiteManagementClient): Promise<SiteSummary[]> {
  const apps: SiteSummary[] = [];
  try {
    for await (const site of client.webApps.list()) {
      const kind = site.kind?.toLowerCase() ?? '';
      if (!kind.includes('functionapp') || kind.includes('workflowapp')) continue;
      apps.push(siteSummary(site, { id: '', name: '' }));
    }
  } catch (error) {
    if (isRestError(error) && error.statusCode !== undefined) {
      throw new AzureApiError(
        `Could not list the function apps: Azure answered ${error.statusCode} (${error.code ?? 'no error code'}: ${error.message}).`,
        error.statusCode,
        error.code,
      );
    }
    throw error;
  }
  return apps;
}

const FALLBACK_LIFETIME_MS = 5 * 60_000;

/** The `exp` claim of a JWT, in ms since the epoch; undefined when the token is not a JWT. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) && claims.exp > 0
      ? claims.exp * 1000
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A TokenCredential over a sign-in session that hands out bare access tokens (VS Code's
 * authentication API gives no expiry). The expiry comes from the JWT's `exp`; a token that is not
 * a JWT is taken to live 5 minutes. Never 0: the bearer-token policy would treat the token as
 * expired and ask for a new one before every request.
 */
export function tokenCredentialFromSession(
  getAccessToken: (scopes: string[]) => Promise<string>,
): TokenCredential {
  return {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const token = await getAccessToken(Array.isArray(scopes) ? scopes : [scopes]);
      return {
        token,
        expiresOnTimestamp: jwtExpiry(token) ?? Date.now() + FALLBACK_LIFETIME_MS,
        tokenType: 'Bearer',
      };
    },
  };
}

/**
 * The Azure Developer CLI's sign-in, through the azd the user configured (remoteMcp.azdPath).
 * @azure/identity's AzureDeveloperCliCredential speaks the same `azd auth token --output json`
 * contract but always runs the `azd` found on PATH, and VS Code's server replaces the extension
 * host's PATH with the login shell's; so this runs the configured executable itself.
 */
export function azdCredential(azdPath: string, tenantId?: string): TokenCredential {
  return {
    getToken: async (scopes) => {
      const args = ['auth', 'token', '--output', 'json', '--no-prompt'];
      for (const scope of Array.isArray(scopes) ? scopes : [scopes]) args.push('--scope', scope);
      if (tenantId) args.push('--tenant-id', tenantId);
      const { stdout, stderr, failure } = await new Promise<{
        stdout: string;
        stderr: string;
        failure?: string;
      }>((resolve) => {
        execFile(azdPath, args, { timeout: 30_000, encoding: 'utf8', windowsHide: true }, (error, out, err) =>
          resolve({
            stdout: out,
            stderr: err,
            failure: error
              ? (error as NodeJS.ErrnoException).code === 'ENOENT'
                ? `${azdPath} was not found`
                : 'it failed'
              : undefined,
          }),
        );
      });
      const parsed = parseAzdToken(stdout);
      if (failure || !parsed) {
        const reason = azdErrorText(stderr) ?? azdErrorText(stdout) ?? failure ?? 'no token in its output';
        throw new AzureAccessError(
          /not logged in|auth login/i.test(reason)
            ? `azd is not signed in to Azure: run "azd auth login", then try again.`
            : `azd could not get an Azure token: ${reason}`,
          401,
          'AzdTokenUnavailable',
        );
      }
      return parsed;
    },
  };
}

/** `{"token": "...", "expiresOn": "2026-01-01T00:00:00Z"}`, as azd prints it. */
function parseAzdToken(stdout: string): { token: string; expiresOnTimestamp: number } | undefined {
  try {
    const body = JSON.parse(stdout) as { token?: unknown; expiresOn?: unknown };
    const expires = typeof body.expiresOn === 'string' ? Date.parse(body.expiresOn) : NaN;
    if (typeof body.token !== 'string' || !body.token || Number.isNaN(expires)) return undefined;
    return { token: body.token, expiresOnTimestamp: expires };
  } catch {
    return undefined;
  }
}

/** azd writes errors as plain text, or with --output json as `{"type":"consoleMessage","data":{"message":...}}`. */
function azdErrorText(output: string): string | undefined {
  const text = output.trim();
  if (!text) return undefined;
  try {
    const message = (JSON.parse(text) as { data?: { message?: unknown } }).data?.message;
    if (typeof message === 'string') return message.trim();
  } catch {
    // Plain text.
  }
  return text.split('\n').pop();
}

export { WebSiteManagementClient };
