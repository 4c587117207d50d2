// What Microsoft Entra authentication of a function app looks like in ARM, and how to read it back:
// the authsettingsV2 `properties` (App Service built-in authentication) and the app settings that go
// with them. Pure functions over plain objects, no I/O and no `vscode`: extension/auth/entraAccess.ts
// reads and writes these through ARM, the diagnostics only read them, and infra/app/api.bicep writes
// the same values at provision time. The settings are App Service's:
// https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad and the
// authsettingsV2 schema, https://learn.microsoft.com/azure/templates/microsoft.web/sites/config-authsettingsv2
import type { AuthSettingsV2Properties, EntraProviderSettings } from '../azure/authSettings';
import type { RemoteServerKind } from '../remote/remoteServers';
import {
  ALLOWED_TENANTS_SETTING,
  CUSTOM_HANDLER_DEFAULT_LEVEL,
  CUSTOM_HANDLER_LEVEL_SETTING,
  DEFAULT_LOGIN_ENDPOINT,
  ENTRA_APP_SETTINGS,
  isGuid,
  MI_CLIENT_ID_SETTING,
  PRM_SCOPES_SETTING,
  SELF_HOSTED_LEVEL_FIX,
  tenantFromIssuer,
  VSCODE_CLIENT_ID,
  WEBHOOK_LEVEL_SETTING,
  type AuthMode,
} from './entra';

/** The MCP extension's webhook route; built-in authentication must not exclude it. */
const MCP_WEBHOOK_PATH = '/runtime/webhooks/mcp';

/** An app registration given by the user, or made by infra/app/entra.bicep. */
export interface EntraRegistration {
  /** The directory (tenant) id. */
  tenantId: string;
  /** The application (client) id of the registration. */
  clientId: string;
  /** Its Application ID URI, `api://...`: the audience, and the prefix of the user_impersonation scope. */
  identifierUri: string;
  /** The sign-in authority; the public cloud's by default. */
  loginEndpoint?: string;
}

/** A registration the user named does not look like one; nothing was written. */
export class InvalidEntraRegistrationError extends Error {
  override name = 'InvalidEntraRegistrationError';
}

function checkedGuid(value: string, what: string): string {
  const trimmed = value.trim();
  if (!isGuid(trimmed)) {
    throw new InvalidEntraRegistrationError(
      `"${value}" is not ${what}: expected a GUID such as 00000000-0000-0000-0000-000000000000.`,
    );
  }
  return trimmed.toLowerCase();
}

function checkedIdentifierUri(value: string): string {
  const trimmed = value.trim().replace(/\/+$/, '');
  let protocol = '';
  try {
    protocol = new URL(trimmed).protocol;
  } catch {
    // Reported below.
  }
  if (protocol !== 'api:' && protocol !== 'https:') {
    throw new InvalidEntraRegistrationError(
      `"${value}" is not an Application ID URI: expected api://... or https://..., as shown under "Expose an API" of the app registration.`,
    );
  }
  return trimmed;
}

/**
 * The registration with its ids trimmed and lower-cased; throws InvalidEntraRegistrationError
 * when a value is not what it should be.
 */
export function checkedEntraRegistration<T extends EntraRegistration & { managedIdentityClientId?: string }>(
  registration: T,
): T {
  const mi = registration.managedIdentityClientId?.trim();
  return {
    ...registration,
    tenantId: checkedGuid(registration.tenantId, 'a tenant id'),
    clientId: checkedGuid(registration.clientId, 'an application (client) id'),
    identifierUri: checkedIdentifierUri(registration.identifierUri),
    ...(mi ? { managedIdentityClientId: checkedGuid(mi, 'a managed identity client id') } : {}),
  };
}

function loginAuthority(loginEndpoint: string | undefined): string {
  return (loginEndpoint ?? DEFAULT_LOGIN_ENDPOINT).trim().replace(/\/+$/, '');
}

/**
 * The authsettingsV2 `properties` that put Microsoft Entra in front of the app: every request needs
 * a token for `identifierUri`, issued to the registration itself or to VS Code, else 401.
 */
export function entraAuthSettingsV2(
  registration: EntraRegistration,
): AuthSettingsV2Properties & { identityProviders: { azureActiveDirectory: EntraProviderSettings } } {
  const tenantId = checkedGuid(registration.tenantId, 'a tenant id');
  const clientId = checkedGuid(registration.clientId, 'an application (client) id');
  const identifierUri = checkedIdentifierUri(registration.identifierUri);
  return {
    platform: { enabled: true, runtimeVersion: '~1' },
    globalValidation: {
      requireAuthentication: true,
      unauthenticatedClientAction: 'Return401',
      redirectToProvider: 'azureactivedirectory',
    },
    identityProviders: {
      azureActiveDirectory: {
        enabled: true,
        registration: {
          openIdIssuer: `${loginAuthority(registration.loginEndpoint)}/${tenantId}/v2.0`,
          clientId,
          clientSecretSettingName: MI_CLIENT_ID_SETTING,
        },
        validation: {
          allowedAudiences: [identifierUri],
          defaultAuthorizationPolicy: {
            allowedApplications: clientId === VSCODE_CLIENT_ID ? [clientId] : [clientId, VSCODE_CLIENT_ID],
          },
        },
      },
    },
    login: { tokenStore: { enabled: true } },
    httpSettings: { requireHttps: true, routes: { apiPrefix: '/.auth' } },
  };
}

/**
 * The app settings to set for the Entra mode. The managed identity's client id is left alone when
 * not given (it is only needed for the browser sign-in flow, not to check tokens). With Entra in
 * front, whatever serves MCP must stop asking for a key, or a valid token still gets 401/403: the MCP
 * extension's webhook level, or, for a self-hosted server, the custom handler's
 * DefaultAuthorizationLevel (whatever its host.json says).
 */
export function entraAppSettingChanges(
  options: {
    identifierUri: string;
    tenantId: string;
    managedIdentityClientId?: string;
  },
  kind: RemoteServerKind = 'functionsMcpExtension',
): Record<string, string | null> {
  const changes: Record<string, string | null> = {
    [PRM_SCOPES_SETTING]: `${checkedIdentifierUri(options.identifierUri)}/user_impersonation`,
    [ALLOWED_TENANTS_SETTING]: checkedGuid(options.tenantId, 'a tenant id'),
    ...(kind === 'selfHosted'
      ? { [CUSTOM_HANDLER_LEVEL_SETTING]: 'anonymous' }
      : { [WEBHOOK_LEVEL_SETTING]: 'Anonymous' }),
  };
  if (options.managedIdentityClientId?.trim()) {
    changes[MI_CLIENT_ID_SETTING] = checkedGuid(
      options.managedIdentityClientId,
      'a managed identity client id',
    );
  }
  return changes;
}

/**
 * Removes every setting the Entra mode added; the webhook level falls back to host.json's (System).
 * A self-hosted server's level is set to `function` instead: its host.json usually says `anonymous`
 * (built-in auth was to protect it), and without sign-in the default function key must.
 */
export function keyModeAppSettingChanges(
  kind: RemoteServerKind = 'functionsMcpExtension',
): Record<string, string | null> {
  const removed = Object.fromEntries(ENTRA_APP_SETTINGS.map((name) => [name, null]));
  return kind === 'selfHosted' ? { ...removed, [CUSTOM_HANDLER_LEVEL_SETTING]: 'function' } : removed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether an identity provider entry is really in use. ARM answers unconfigured providers as
 * `{"enabled": true}` with no registration, so `enabled` alone means nothing.
 */
function providerInUse(provider: unknown): boolean {
  if (!isRecord(provider) || provider['enabled'] === false) return false;
  const registration = provider['registration'];
  if (!isRecord(registration)) return false;
  return ['clientId', 'appId', 'consumerKey'].some((key) => {
    const value = registration[key];
    return typeof value === 'string' && value.trim() !== '';
  });
}

/** Identity providers other than Microsoft Entra that have a registration and are enabled. */
export function otherProvidersInUse(properties: AuthSettingsV2Properties | undefined): string[] {
  const providers = properties?.identityProviders ?? {};
  const used: string[] = [];
  for (const [name, provider] of Object.entries(providers)) {
    if (name === 'azureActiveDirectory') continue;
    if (name === 'customOpenIdConnectProviders') {
      if (!isRecord(provider)) continue;
      for (const [custom, settings] of Object.entries(provider)) {
        if (providerInUse(settings)) used.push(`customOpenIdConnectProviders.${custom}`);
      }
    } else if (providerInUse(provider)) {
      used.push(name);
    }
  }
  return used;
}

/**
 * The current authsettingsV2 with Entra switched on for `registration`: platform, global validation
 * and the Entra provider take the values of entraAuthSettingsV2(); everything else (other identity
 * providers, excluded paths, allowed principals, login and token-store options) is kept.
 */
export function withEntraAuth(
  current: AuthSettingsV2Properties | undefined,
  registration: EntraRegistration,
): AuthSettingsV2Properties {
  const entra = entraAuthSettingsV2(registration);
  const wanted = entra.identityProviders.azureActiveDirectory;
  const base = current ?? {};
  const existing = base.identityProviders?.azureActiveDirectory ?? {};
  return {
    ...base,
    platform: { ...base.platform, ...entra.platform },
    globalValidation: { ...base.globalValidation, ...entra.globalValidation },
    identityProviders: {
      ...base.identityProviders,
      azureActiveDirectory: {
        ...existing,
        enabled: true,
        // Another registration's issuer, secret or certificate would not fit the new one.
        registration: { ...wanted.registration },
        validation: {
          ...existing.validation,
          allowedAudiences: [...(wanted.validation?.allowedAudiences ?? [])],
          defaultAuthorizationPolicy: {
            ...existing.validation?.defaultAuthorizationPolicy,
            allowedApplications: [
              ...(wanted.validation?.defaultAuthorizationPolicy?.allowedApplications ?? []),
            ],
          },
        },
      },
    },
    login: { ...base.login, tokenStore: { ...base.login?.tokenStore, enabled: true } },
    httpSettings: {
      ...base.httpSettings,
      requireHttps: true,
      routes: { ...base.httpSettings?.routes, apiPrefix: '/.auth' },
    },
  };
}

/**
 * The current authsettingsV2 with Entra switched off: sign-in no longer required, the Entra provider
 * disabled (its registration kept, for a later enable), and built-in authentication itself off unless
 * another identity provider is in use. Nothing else changes.
 */
export function withoutEntraAuth(current: AuthSettingsV2Properties | undefined): AuthSettingsV2Properties {
  const base = current ?? {};
  const { redirectToProvider, ...validation } = base.globalValidation ?? {};
  const next: AuthSettingsV2Properties = {
    ...base,
    platform: { ...base.platform, enabled: otherProvidersInUse(base).length > 0 },
    globalValidation: {
      ...validation,
      ...(redirectToProvider && redirectToProvider.toLowerCase() !== 'azureactivedirectory'
        ? { redirectToProvider }
        : {}),
      requireAuthentication: false,
      unauthenticatedClientAction: 'AllowAnonymous',
    },
  };
  const entra = base.identityProviders?.azureActiveDirectory;
  if (entra) {
    next.identityProviders = {
      ...base.identityProviders,
      azureActiveDirectory: { ...entra, enabled: false },
    };
  }
  return next;
}

export interface AuthState {
  /**
   * How a caller gets in: `entra` (a Microsoft Entra token), `key` (the mcp_extension system key),
   * `anonymous` (nothing at all), `unknown` (the settings could not be read, or another identity
   * provider gates the app).
   */
  mode: AuthMode;
  /** Built-in authentication is on, requires sign-in, and Microsoft Entra is its provider. */
  entraEnabled: boolean;
  /** The MCP webhook's level: `System` (asks for the system key, host.json's default) unless overridden. */
  webhookAuthorizationLevel: string;
  /** Whether the MCP webhook asks for the system key. */
  keyRequired: boolean;
  clientId: string | undefined;
  allowedApplications: string[];
  allowedAudiences: string[];
  /** From the Entra registration's openIdIssuer. */
  tenantId: string | undefined;
  /** From WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES. */
  prmScopes: string[];
  /** Inconsistencies that make calls fail or leave the server open, each a sentence for users. */
  problems: string[];
  /**
   * A self-hosted server only: its custom handler's effective DefaultAuthorizationLevel (lower-case),
   * and where it comes from. Undefined when neither the app setting nor host.json was read.
   */
  customHandlerLevel?: CustomHandlerLevel;
  /** What serves MCP, when it was known or read from the app settings. */
  kind?: RemoteServerKind;
}

export interface CustomHandlerLevel {
  level: string;
  /** The app setting overrides host.json; with neither, the host's default applies. */
  source: 'app setting' | 'host.json' | 'host default';
}

/** What readAuthState knows beyond ARM: what serves MCP, and the workspace's host.json when it was read. */
export interface AuthStateContext {
  kind?: RemoteServerKind;
  /** host.json's `customHandler.http.DefaultAuthorizationLevel`, lower-case; `null` when host.json names none. */
  hostJsonLevel?: string | null;
}

/**
 * A self-hosted server's effective level: the app setting, else host.json's, else the host's default
 * (`function`) when host.json is known to name none; undefined when nothing was read.
 */
export function customHandlerLevel(
  appSettings: Record<string, string> | undefined,
  hostJsonLevel: string | null | undefined,
): CustomHandlerLevel | undefined {
  const fromSetting = settingValue(appSettings, CUSTOM_HANDLER_LEVEL_SETTING)?.trim().toLowerCase();
  if (fromSetting) return { level: fromSetting, source: 'app setting' };
  if (hostJsonLevel) return { level: hostJsonLevel.toLowerCase(), source: 'host.json' };
  if (hostJsonLevel === null) return { level: CUSTOM_HANDLER_DEFAULT_LEVEL, source: 'host default' };
  return undefined;
}

/**
 * A server's kind from its app settings, for servers remembered without one: the MCP custom handler
 * preview is switched on by `AzureWebJobsFeatureFlags` naming `EnableMcpCustomHandlerPreview`
 * (https://learn.microsoft.com/azure/azure-functions/self-hosted-mcp-servers); any other app is
 * taken for an MCP extension app.
 */
export function kindFromAppSettings(appSettings: Record<string, string> | undefined): RemoteServerKind {
  const flags = settingValue(appSettings, 'AzureWebJobsFeatureFlags') ?? '';
  return flags.split(',').some((flag) => flag.trim().toLowerCase() === 'enablemcpcustomhandlerpreview')
    ? 'selfHosted'
    : 'functionsMcpExtension';
}

function webhookLevel(appSettings: Record<string, string> | undefined): string {
  // App setting names are case-insensitive on Linux function apps as well as on Windows.
  const entry = Object.entries(appSettings ?? {}).find(
    ([name]) => name.toLowerCase() === WEBHOOK_LEVEL_SETTING.toLowerCase(),
  );
  const value = entry?.[1]?.trim();
  if (!value) return 'System';
  const lower = value.toLowerCase();
  return lower === 'anonymous' ? 'Anonymous' : lower === 'system' ? 'System' : value;
}

function settingValue(appSettings: Record<string, string> | undefined, name: string): string | undefined {
  return Object.entries(appSettings ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

/**
 * How the app is guarded, from its authsettingsV2 `properties` and its app settings (host.json's own
 * webhook level is not visible here: System is assumed unless the app setting overrides it). Either
 * argument may be undefined when it could not be read.
 */
export function readAuthState(
  authSettings: AuthSettingsV2Properties | undefined,
  appSettings: Record<string, string> | undefined,
  context: AuthStateContext = {},
): AuthState {
  const level = webhookLevel(appSettings);
  const selfHosted = context.kind === 'selfHosted';
  const handlerLevel = selfHosted ? customHandlerLevel(appSettings, context.hostJsonLevel) : undefined;
  // A self-hosted server whose level was not read is taken to ask for the key, as the host defaults.
  const keyRequired = selfHosted ? handlerLevel?.level !== 'anonymous' : level !== 'Anonymous';
  const entra = authSettings?.identityProviders?.azureActiveDirectory;
  const prmScopes = (settingValue(appSettings, PRM_SCOPES_SETTING) ?? '')
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
  const allowedApplications = [...(entra?.validation?.defaultAuthorizationPolicy?.allowedApplications ?? [])];
  const state: AuthState = {
    mode: 'unknown',
    entraEnabled: false,
    webhookAuthorizationLevel: level,
    keyRequired,
    clientId: entra?.registration?.clientId || undefined,
    allowedApplications,
    allowedAudiences: [...(entra?.validation?.allowedAudiences ?? [])],
    tenantId: tenantFromIssuer(entra?.registration?.openIdIssuer),
    prmScopes,
    problems: [],
    ...(handlerLevel ? { customHandlerLevel: handlerLevel } : {}),
    ...(context.kind ? { kind: context.kind } : {}),
  };
  const problem = (text: string) => state.problems.push(text);
  if (!authSettings) {
    problem('The built-in authentication settings of the app could not be read.');
    return state;
  }

  const platformOn = authSettings.platform?.enabled === true;
  const requireAuthentication = platformOn && authSettings.globalValidation?.requireAuthentication === true;
  const entraInUse = providerInUse(entra);
  state.entraEnabled = requireAuthentication && entraInUse;

  if (state.entraEnabled) {
    state.mode = 'entra';
    if (selfHosted && handlerLevel && handlerLevel.level !== 'anonymous') {
      problem(
        `Microsoft Entra authentication is on, but the custom handler's DefaultAuthorizationLevel is ${handlerLevel.level} (${handlerLevel.source}): signed-in calls still need a function key and get 401/403. ${SELF_HOSTED_LEVEL_FIX}`,
      );
    } else if (!selfHosted && keyRequired) {
      problem(
        `Microsoft Entra authentication is on, but the MCP webhook still asks for the system key (webhookAuthorizationLevel ${level}): calls with a valid token get 403. Set the app setting ${WEBHOOK_LEVEL_SETTING} to Anonymous.`,
      );
    }
    const action = authSettings.globalValidation?.unauthenticatedClientAction;
    if (action && action !== 'Return401') {
      problem(
        `Unauthenticated requests get ${action} instead of a 401, so MCP clients never learn to sign in. Set "Unauthenticated requests" to "HTTP 401 Unauthorized".`,
      );
    }
    if (allowedApplications.length > 0 && !allowedApplications.includes(VSCODE_CLIENT_ID)) {
      problem(
        `VS Code (client id ${VSCODE_CLIENT_ID}) is not among the allowed client applications, so its tokens are refused.`,
      );
    }
    if (prmScopes.length === 0) {
      problem(
        `The app setting ${PRM_SCOPES_SETTING} is not set, so the app serves no protected resource metadata and VS Code cannot find out where to sign in.`,
      );
    }
    if (entra?.login?.disableWWWAuthenticate === true) {
      problem(
        'The 401 answers carry no WWW-Authenticate header (disableWWWAuthenticate), which MCP clients rely on.',
      );
    }
    const excluded = (authSettings.globalValidation?.excludedPaths ?? []).filter((path) =>
      (MCP_WEBHOOK_PATH + '/').toLowerCase().startsWith(path.replace(/\/*$/, '/').toLowerCase()),
    );
    if (excluded.length > 0) {
      problem(
        `Built-in authentication excludes ${excluded.join(', ')}, so the MCP webhook is not protected by it.`,
      );
    }
  } else if (requireAuthentication) {
    const others = otherProvidersInUse(authSettings);
    problem(
      others.length > 0
        ? `Sign-in is required through ${others.join(', ')}, not Microsoft Entra: VS Code cannot sign in to it.`
        : 'Sign-in is required, but no identity provider is configured: every call is refused.',
    );
  } else if (keyRequired) {
    state.mode = 'key';
  } else {
    state.mode = 'anonymous';
    problem(
      selfHosted
        ? `The server asks for no key (DefaultAuthorizationLevel anonymous, ${handlerLevel?.source ?? 'host.json'}) and no sign-in is required: anyone who knows the URL can call the tools.`
        : `The MCP webhook asks for no key (${WEBHOOK_LEVEL_SETTING} is Anonymous) and no sign-in is required: anyone who knows the URL can call the tools.`,
    );
  }
  return state;
}
