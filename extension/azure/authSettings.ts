// A function app's built-in authentication settings (`{site}/config/authsettingsV2`, App Service
// "Easy Auth"): their shape as far as the extension reads or writes them, and the ARM calls. Part of
// the Azure bundle; the types alone are imported elsewhere. The schema:
// https://learn.microsoft.com/azure/templates/microsoft.web/sites/config-authsettingsv2
import type { SiteAuthSettingsV2, WebSiteManagementClient } from '@azure/arm-appservice';
import { callArm } from './errors';
import type { SiteRef } from './resourceIds';

export type UnauthenticatedClientAction =
  'RedirectToLoginPage' | 'AllowAnonymous' | 'Return401' | 'Return403';

/** `identityProviders.azureActiveDirectory`: the Microsoft Entra provider. */
export interface EntraProviderSettings {
  enabled?: boolean;
  registration?: {
    openIdIssuer?: string;
    clientId?: string;
    clientSecretSettingName?: string;
    clientSecretCertificateThumbprint?: string;
    clientSecretCertificateSubjectAlternativeName?: string;
    clientSecretCertificateIssuer?: string;
  };
  login?: { loginParameters?: string[]; disableWWWAuthenticate?: boolean };
  validation?: {
    jwtClaimChecks?: { allowedGroups?: string[]; allowedClientApplications?: string[] };
    allowedAudiences?: string[];
    defaultAuthorizationPolicy?: {
      allowedPrincipals?: { groups?: string[]; identities?: string[] };
      allowedApplications?: string[];
    };
  };
  isAutoProvisioned?: boolean;
}

/** The `properties` of `{site}/config/authsettingsV2`, as far as the extension reads or writes them. */
export interface AuthSettingsV2Properties {
  platform?: { enabled?: boolean; runtimeVersion?: string; configFilePath?: string };
  globalValidation?: {
    requireAuthentication?: boolean;
    unauthenticatedClientAction?: UnauthenticatedClientAction;
    redirectToProvider?: string;
    excludedPaths?: string[];
  };
  /** Microsoft Entra is `azureActiveDirectory`; the others (gitHub, google, …) are kept as they are. */
  identityProviders?: { azureActiveDirectory?: EntraProviderSettings; [provider: string]: unknown };
  login?: { tokenStore?: { enabled?: boolean; [key: string]: unknown }; [key: string]: unknown };
  httpSettings?: {
    requireHttps?: boolean;
    routes?: { apiPrefix?: string };
    [key: string]: unknown;
  };
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

/** The app's built-in authentication settings, the `properties` only. */
export async function getAuthSettingsV2(
  client: WebSiteManagementClient,
  ref: SiteRef,
): Promise<AuthSettingsV2Properties> {
  const settings = await callArm(ref, 'read the authentication settings of', () =>
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
  const written = await callArm(ref, 'write the authentication settings of', () =>
    client.webApps.updateAuthSettingsV2(ref.resourceGroup, ref.name, properties as SiteAuthSettingsV2),
  );
  return authProperties(written);
}
