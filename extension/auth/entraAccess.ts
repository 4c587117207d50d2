// Microsoft Entra in front of a deployed function app, through ARM: enable, disable, read back. The
// decisions are Entra knowledge (entraAppConfig.ts); the calls go through extension/azure/ (its
// bundle, loaded on first use), never the reverse.
import type { ArmSite, AzureAccess } from '../azure/azureAccess';
import type { RemoteServer, RemoteServerKind } from '../remote/remoteServers';
import {
  checkedEntraRegistration,
  entraAppSettingChanges,
  keyModeAppSettingChanges,
  kindFromAppSettings,
  readAuthState,
  withEntraAuth,
  withoutEntraAuth,
  type AuthState,
  type AuthStateContext,
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
  /** `hostJsonLevel`: a self-hosted server's level in the workspace's host.json, when it was read. */
  readAuthState(server: RemoteServer, hostJsonLevel?: string | null): Promise<AuthState>;
}

/** What serves MCP decides which level setting Entra needs: the server's kind (the MCP extension when unknown). */
export function entraAccess(azure: AzureAccess): EntraAccess {
  return {
    enableEntra: (server, registration) =>
      azure.onSite(server, (site) => enableEntraAuth(site, registration, { kind: server.kind })),
    disableEntra: (server) => azure.onSite(server, (site) => disableEntraAuth(site, { kind: server.kind })),
    readAuthState: (server, hostJsonLevel) =>
      azure.onSite(server, (site) => readAppAuthState(site, { kind: server.kind, hostJsonLevel })),
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
  context: AuthStateContext = {},
): Promise<AuthState> {
  // Checks the registration before anything is read or written.
  const checked = checkedEntraRegistration(registration);
  const known = await withKind({ azure, client, ref }, context);
  const settingChanges = entraAppSettingChanges(checked, known.kind);
  const current = await azure.getAuthSettingsV2(client, ref);
  const authSettings = await azure.updateAuthSettingsV2(client, ref, withEntraAuth(current, checked));
  const appSettings = await azure.updateAppSettings(client, ref, settingChanges);
  return readAuthState(authSettings, appSettings, known);
}

/**
 * Back to key mode: the Entra app settings go first (the webhook asks for the system key again),
 * then built-in authentication stops requiring sign-in (and is switched off unless another identity
 * provider is in use). Other settings stay. Returns the new state.
 */
export async function disableEntraAuth(
  { azure, client, ref }: ArmSite,
  context: AuthStateContext = {},
): Promise<AuthState> {
  const known = await withKind({ azure, client, ref }, context);
  const appSettings = await azure.updateAppSettings(client, ref, keyModeAppSettingChanges(known.kind));
  const current = await azure.getAuthSettingsV2(client, ref);
  const authSettings = await azure.updateAuthSettingsV2(client, ref, withoutEntraAuth(current));
  return readAuthState(authSettings, appSettings, known);
}

/** How the app is guarded now (Entra, key, anonymous), with what is inconsistent. */
export async function readAppAuthState(
  { azure, client, ref }: ArmSite,
  context: AuthStateContext = {},
): Promise<AuthState> {
  const [authSettings, appSettings] = await Promise.all([
    azure.getAuthSettingsV2(client, ref),
    azure.getAppSettings(client, ref),
  ]);
  return readAuthState(authSettings, appSettings, {
    ...context,
    kind: context.kind ?? kindFromAppSettings(appSettings),
  });
}

/** The context with the server's kind; a server remembered without one is read from its app settings. */
async function withKind(
  { azure, client, ref }: ArmSite,
  context: AuthStateContext,
): Promise<AuthStateContext & { kind: RemoteServerKind }> {
  return { ...context, kind: context.kind ?? kindFromAppSettings(await azure.getAppSettings(client, ref)) };
}
