import { armCredential, type AzureAccessSettings } from '../azure/azureAccess';
import { loadAzure } from '../azure/loadAzure';
import type { SubscriptionScanner } from './serverStatus';

/**
 * The subscription scan through the Azure bundle, loaded on first use, with the credential
 * remoteMcp.azureCredential names, asked silently: with nobody signed in it fails with
 * NotSignedInError and the view offers a sign-in instead of prompting during a refresh.
 */
export function createSubscriptionScanner(
  settings: () => AzureAccessSettings,
  azdPath: () => string,
): SubscriptionScanner {
  return ({ signal, concurrency, known, onApp }) => {
    const azure = loadAzure();
    const { credential: kind, armEndpoint } = settings();
    const credential = armCredential(azure, {
      kind,
      azdPath: azdPath(),
      tenantId: undefined,
      interactive: false,
    });
    return azure.scanForMcpApps({ credential, endpoint: armEndpoint, concurrency, signal, known, onApp });
  };
}
