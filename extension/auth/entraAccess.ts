// Microsoft Entra in front of a deployed function app, through ARM: enable, disable, read back. The
// decisions are Entra knowledge (entraAppConfig.ts); the calls go through extension/azure/ (its
// bundle, loaded on first use), never the reverse.
import type { ArmSite, AzureAccess } from '../azure/azureAccess';
import type { RemoteServer } from '../remote/remoteServers';
import {
  checkedEntraRegistration,
  entraAppSettingChanges,
  keyModeAppSettingChanges,
  readAuthState,
  withEntraAuth,
  withoutEntraAuth,
  type AuthState,
  type EntraRegistration,
} from './entraAppConfig';

export interface EntraAuthRegistration extends EntraRegistration {
  /**
   * Client id of a user-assigned identity of the app with a federated credential on the
   * registration (OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID); only the browser sign-in flow needs it.
   */
  managedIdentityClientId?: string;
}

/** What the Entra commands do in Azure for a server. */
export interface EntraAccess {
  enableEntra(
    server: RemoteServer,
    registration: { clientId: string; tenantId: string; identifierUri: string },
  ): Promise<AuthState>;
  disableEntra(server: RemoteServer): Promise<AuthState>;
  readAuthState(server: RemoteServer): Promise<AuthState>;
}

export function entraAccess(azure: AzureAccess): EntraAccess {
  return {
    enableEntra: (server, registration) =>
      azure.onSite(server, (site) => enableEntraAuth(site, registration)),
    disableEntra: (server) => azure.onSite(server, disableEntraAuth),
    readAuthState: (server) => azure.onSite(server, readAppAuthState),
  };
}

/**
 * Puts Microsoft Entra in front of any function app: built-in authentication for the registration
 * the user names (VS Code pre-authorised on it is their part), then the app settings, including the
 * MCP webhook level Anonymous. Both are read, merged and written, so other identity providers and
 * app settings stay. The authentication goes first: should the second write fail, the app asks for
 * a token and the key (closed), never for neither. Returns the new state.
 */
export async function enableEntraAuth(
  { azure, client, ref }: ArmSite,
  registration: EntraAuthRegistration,
): Promise<AuthState> {
  // Checks the registration before anything is read or written.
  const checked = checkedEntraRegistration(registration);
  const settingChanges = entraAppSettingChanges(checked);
  const current = await azure.getAuthSettingsV2(client, ref);
  const authSettings = await azure.updateAuthSettingsV2(client, ref, withEntraAuth(current, checked));
  const appSettings = await azure.updateAppSettings(client, ref, settingChanges);
  return readAuthState(authSettings, appSettings);
}

/**
 * Back to key mode: the Entra app settings go first (the webhook asks for the system key again),
 * then built-in authentication stops requiring sign-in (and is switched off unless another identity
 * provider is in use). Other settings stay. Returns the new state.
 */
export async function disableEntraAuth({ azure, client, ref }: ArmSite): Promise<AuthState> {
  const appSettings = await azure.updateAppSettings(client, ref, keyModeAppSettingChanges());
  const current = await azure.getAuthSettingsV2(client, ref);
  const authSettings = await azure.updateAuthSettingsV2(client, ref, withoutEntraAuth(current));
  return readAuthState(authSettings, appSettings);
}

/** How the app is guarded now (Entra, key, anonymous), with what is inconsistent. */
export async function readAppAuthState({ azure, client, ref }: ArmSite): Promise<AuthState> {
  const [authSettings, appSettings] = await Promise.all([
    azure.getAuthSettingsV2(client, ref),
    azure.getAppSettings(client, ref),
  ]);
  return readAuthState(authSettings, appSettings);
}
