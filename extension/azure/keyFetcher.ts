import * as vscode from 'vscode';
import { UserFacingError } from '../common/errors';
import type { KeyFetcher } from '../remote/keyService';
import { loadAzure } from './loadAzure';

export interface AzureAccessSettings {
  credential: 'vscode' | 'azd';
  armEndpoint: string;
  keyWaitMs: number;
}

/**
 * Reads a function app's `mcp_extension` key through ARM. The Azure SDK bundle is loaded here, on
 * first use, never at activation. The credential is the VS Code Microsoft account by default, or
 * azd's sign-in when the user says so.
 */
export function createKeyFetcher(settings: () => AzureAccessSettings, azdPath: () => string): KeyFetcher {
  return async (server, { signal, onWaiting }) => {
    const azure = loadAzure();
    const { credential: kind, armEndpoint, keyWaitMs } = settings();
    const credential =
      kind === 'azd'
        ? azure.azdCredential(azdPath(), server.tenantId)
        : azure.tokenCredentialFromSession(async (scopes) => {
            const tenant = server.tenantId ? [`VSCODE_TENANT:${server.tenantId}`] : [];
            const session = await vscode.authentication.getSession('microsoft', [...scopes, ...tenant], {
              createIfNone: true,
            });
            return session.accessToken;
          });
    const client = azure.createArmClient({
      endpoint: armEndpoint,
      credential,
      subscriptionId: server.subscriptionId,
    });
    try {
      return await azure.fetchMcpExtensionKey(client, azure.parseSiteResourceId(server.resourceId), {
        signal,
        limitMs: keyWaitMs,
        onWaiting,
      });
    } catch (error) {
      // The Azure module's own errors are written for users; pass them on as such.
      if (azure.isUserFacingAzureError(error)) throw new UserFacingError(error.message);
      throw error;
    }
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
