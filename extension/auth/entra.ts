// Microsoft Entra as this extension knows it, in one place: VS Code's client id, the app settings of
// the Entra mode, the auth modes of a server, GUIDs and the tenant in an issuer. Plain constants and
// functions (no `vscode`, no SDK), so every bundle can import them.
//
// Direction: Entra knowledge (extension/auth/) may use extension/azure/ (ARM, resource ids); nothing
// in extension/azure/ imports extension/auth/.

/**
 * VS Code's own client id (its built-in `microsoft` authentication provider): it asks for the tokens.
 * https://github.com/microsoft/vscode: extensions/microsoft-authentication/src/common/scopeData.ts (DEFAULT_CLIENT_ID)
 */
export const VSCODE_CLIENT_ID = 'aebc6443-996d-45c2-90f0-388ff96faa56';

/** Overrides host.json's `extensions.mcp.system.webhookAuthorizationLevel` without a redeploy. */
export const WEBHOOK_LEVEL_SETTING =
  'AzureFunctionsJobHost__extensions__mcp__system__webhookAuthorizationLevel';

/**
 * Overrides host.json's `customHandler.http.DefaultAuthorizationLevel` (a self-hosted server's level)
 * without a redeploy. The Functions host binds the custom handler options from the
 * `AzureFunctionsJobHost:customHandler` configuration section, which app settings named
 * `AzureFunctionsJobHost__…` feed, and the level is `function` when neither sets it:
 * https://github.com/Azure/azure-functions-host (src/WebJobs.Script/Workers/Http/Configuration/HttpWorkerOptionsSetup.cs,
 * src/WebJobs.Script/Workers/Http/CustomHandlerHttpOptions.cs).
 */
export const CUSTOM_HANDLER_LEVEL_SETTING =
  'AzureFunctionsJobHost__customHandler__http__DefaultAuthorizationLevel';

/**
 * The fix for the self-hosted trap: built-in auth on while the custom handler's DefaultAuthorizationLevel
 * is `function`, so signed-in requests still need a function key and get 401/403.
 */
export const SELF_HOSTED_LEVEL_FIX =
  'Set `"DefaultAuthorizationLevel": "anonymous"` under `customHandler.http` in host.json (built-in authentication ' +
  `already checks the token) and deploy again, or set the app setting \`${CUSTOM_HANDLER_LEVEL_SETTING}=anonymous\`, ` +
  'which the Functions host applies without a redeploy ("Remote MCP: Enable Entra Sign-in" sets it for you).';

/** The custom handler's level when neither host.json nor the app setting names one (CustomHandlerHttpOptions). */
export const CUSTOM_HANDLER_DEFAULT_LEVEL = 'function';

/** Makes App Service serve `/.well-known/oauth-protected-resource` with these scopes (comma-separated). */
export const PRM_SCOPES_SETTING = 'WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES';

/**
 * The client id of the managed identity that signs in as the app registration through a federated
 * credential. authsettingsV2 names this setting as the registration's "client secret" setting.
 */
export const MI_CLIENT_ID_SETTING = 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID';

export const ALLOWED_TENANTS_SETTING = 'WEBSITE_AUTH_AAD_ALLOWED_TENANTS';

/** Every app setting the Entra mode adds; removing them all is key mode again. */
export const ENTRA_APP_SETTINGS = [
  PRM_SCOPES_SETTING,
  MI_CLIENT_ID_SETTING,
  ALLOWED_TENANTS_SETTING,
  WEBHOOK_LEVEL_SETTING,
] as const;

export const DEFAULT_LOGIN_ENDPOINT = 'https://login.microsoftonline.com';

/**
 * How a caller gets in: `entra` (a Microsoft Entra token), `key` (the mcp_extension system key),
 * `anonymous` (nothing at all), `unknown` (not known, or another identity provider gates the app).
 */
export type AuthMode = 'entra' | 'key' | 'anonymous' | 'unknown';

/** Tenant, client and object ids: `00000000-0000-0000-0000-000000000000`, either case. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value.trim());
}

/**
 * The tenant in an Entra issuer: the v2.0 `https://login.microsoftonline.com/<tenant>/v2.0` (any
 * cloud's authority) or the v1 `https://sts.windows.net/<tenant>/`, where the tenant is its id or, as
 * an app's configured issuer may spell it, one of its domains (`contoso.onmicrosoft.com`). Anything
 * else (an authority without the issuer's form, such as `/common/oauth2/...`) names no tenant.
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference (`iss`)
 */
export function tenantFromIssuer(issuer: string | undefined): string | undefined {
  if (!issuer) return undefined;
  let pathname: string;
  try {
    pathname = new URL(issuer).pathname;
  } catch {
    return undefined;
  }
  const v2 = /^\/([^/]+)\/v2\.0\/?$/.exec(pathname)?.[1];
  if (v2) return v2;
  const v1 = /^\/([^/]+)\/?$/.exec(pathname)?.[1];
  return v1 && (isGuid(v1) || isTenantDomain(v1)) ? v1 : undefined;
}

/** A domain name such as `contoso.onmicrosoft.com`; `common`, `organizations` and `consumers` have no dot. */
function isTenantDomain(segment: string): boolean {
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(segment);
}
