import type { WebSiteManagementClient } from '@azure/arm-appservice';
import * as vscode from 'vscode';
import { UserFacingError } from '../common/errors';
import type { KeyFetcher } from '../remote/keyService';
import type { RemoteServer, RemoteServerKind } from '../remote/remoteServers';
import { serverKindOf } from '../remote/serverKind';
import { loadAzure, type AzureApi } from './loadAzure';
import type { SiteRef } from './resourceIds';

export interface AzureAccessSettings {
  credential: 'vscode' | 'azd';
  armEndpoint: string;
  keyWaitMs: number;
}

/** A server's function app in ARM: the loaded Azure bundle, a client signed in for it, and where it is. */
export interface ArmSite {
  azure: AzureApi;
  client: WebSiteManagementClient;
  ref: SiteRef;
}

/**
 * What the extension does in Azure for a server: its key, and any other ARM work on its app (the
 * Entra settings: extension/auth/entraAccess.ts), with the Azure module's errors passed on as
 * user-facing ones.
 */
export interface AzureAccess {
  /** The MCP key of the server's kind (absent: the MCP extension's), waiting while it is missing. */
  fetchKey: KeyFetcher;
  /** What serves MCP on the server's app, read from its app settings (see detectServerKind). */
  kindOf(server: RemoteServer): Promise<RemoteServerKind>;
  onSite<T>(server: RemoteServer, run: (site: ArmSite) => Promise<T>): Promise<T>;
}

/** No account is signed in, and the caller asked not to prompt for one. */
export class NotSignedInError extends Error {
  override readonly name = 'NotSignedInError';
}

/**
 * The credential ARM calls use: the VS Code Microsoft account, or azd's sign-in. Not `interactive`,
 * it never prompts: with no signed-in account it fails with a {@link NotSignedInError} (azd's own
 * `--no-prompt` failure says "not signed in" as well).
 */
export function armCredential(
  azure: AzureApi,
  options: { kind: 'vscode' | 'azd'; azdPath: string; tenantId: string | undefined; interactive: boolean },
) {
  if (options.kind === 'azd') return azure.azdCredential(options.azdPath, options.tenantId);
  return azure.tokenCredentialFromSession(async (scopes) => {
    const tenant = options.tenantId ? [`VSCODE_TENANT:${options.tenantId}`] : [];
    const session = await vscode.authentication.getSession(
      'microsoft',
      [...scopes, ...tenant],
      options.interactive ? { createIfNone: true } : { silent: true },
    );
    if (!session) throw new NotSignedInError('No Microsoft account is signed in to VS Code.');
    return session.accessToken;
  });
}

/**
 * ARM through the Azure SDK bundle, loaded here on first use, never at activation. The credential is
 * the VS Code Microsoft account by default, or azd's sign-in when the user says so.
 */
export function createAzureAccess(settings: () => AzureAccessSettings, azdPath: () => string): AzureAccess {
  const connect = (server: RemoteServer): ArmSite & { keyWaitMs: number } => {
    const azure = loadAzure();
    const { credential: kind, armEndpoint, keyWaitMs } = settings();
    const credential = armCredential(azure, {
      kind,
      azdPath: azdPath(),
      tenantId: server.tenantId,
      interactive: true,
    });
    const client = azure.createArmClient({
      endpoint: armEndpoint,
      credential,
      subscriptionId: server.subscriptionId,
    });
    return { azure, client, ref: azure.parseSiteResourceId(server.resourceId), keyWaitMs };
  };
  // The Azure module's own errors are written for users; pass them on as such.
  const userFacing = async <T>(
    server: RemoteServer,
    run: (arm: ReturnType<typeof connect>) => Promise<T>,
  ): Promise<T> => {
    const arm = connect(server);
    try {
      return await run(arm);
    } catch (error) {
      if (arm.azure.isUserFacingAzureError(error)) throw new UserFacingError(error.message);
      throw error;
    }
  };
  return {
    fetchKey: (server, { signal, onWaiting }) =>
      userFacing(server, ({ azure, client, ref, keyWaitMs }) =>
        azure.fetchMcpKey(client, ref, serverKindOf(server), { signal, limitMs: keyWaitMs, onWaiting }),
      ),
    kindOf: (server) => userFacing(server, ({ azure, client, ref }) => azure.detectServerKind(client, ref)),
    onSite: userFacing,
  };
}

export function readAzureAccessSettings(get: (key: string) => unknown): AzureAccessSettings {
  const credential = get('azureCredential') ?? 'vscode';
  if (credential !== 'vscode' && credential !== 'azd') {
    throw new UserFacingError(
      `The setting remoteMcp.azureCredential is ${JSON.stringify(credential)}; it must be "vscode" or "azd".`,
    );
  }
  const armEndpoint = get('armEndpoint') ?? 'https://management.azure.com';
  if (typeof armEndpoint !== 'string' || !/^https:\/\/[^/]+/.test(armEndpoint)) {
    throw new UserFacingError(
      `The setting remoteMcp.armEndpoint is ${JSON.stringify(armEndpoint)}; it must be an https URL such as https://management.azure.com.`,
    );
  }
  const seconds = get('keyWaitSeconds') ?? 180;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 5 || seconds > 900) {
    throw new UserFacingError(
      `The setting remoteMcp.keyWaitSeconds is ${JSON.stringify(seconds)}; it must be a whole number from 5 to 900.`,
    );
  }
  return { credential, armEndpoint: armEndpoint.replace(/\/+$/, ''), keyWaitMs: seconds * 1000 };
}
