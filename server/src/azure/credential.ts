import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * The identity the server's Azure-calling tools use, chosen from where it runs:
 * - in Azure (App Service/Functions set IDENTITY_ENDPOINT when the app has a managed identity), the
 *   managed identity; `AZURE_CLIENT_ID` picks a user-assigned one, as the Bicep sets it;
 * - anywhere else, the developer's own sign-in: the Azure Developer CLI, then the Azure CLI.
 * Deliberately not DefaultAzureCredential: off Azure it would probe the instance metadata address
 * and wait for it to time out before trying the CLIs.
 */
export function azureCredentialFromEnv(env: NodeJS.ProcessEnv): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    getToken: async (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> => {
      credential ??= createCredential(env);
      return (await credential).getToken(scopes, options);
    },
  };
}

/** Which sign-in `azureCredentialFromEnv` uses, in words for error messages. */
export function azureCredentialDescription(env: NodeJS.ProcessEnv): string {
  if (runsInAzure(env)) {
    const clientId = env.AZURE_CLIENT_ID?.trim();
    return clientId ? `the managed identity with client ID ${clientId}` : "the app's managed identity";
  }
  return 'your Azure Developer CLI or Azure CLI sign-in (run "azd auth login" or "az login")';
}

function runsInAzure(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.IDENTITY_ENDPOINT?.trim() || env.MSI_ENDPOINT?.trim());
}

async function createCredential(env: NodeJS.ProcessEnv): Promise<TokenCredential> {
  // Loaded on first use: tools that never reach Azure never load @azure/identity and MSAL.
  const identity = await import('@azure/identity');
  if (runsInAzure(env)) {
    const clientId = env.AZURE_CLIENT_ID?.trim();
    return clientId
      ? new identity.ManagedIdentityCredential({ clientId })
      : new identity.ManagedIdentityCredential();
  }
  return new identity.ChainedTokenCredential(
    new identity.AzureDeveloperCliCredential(),
    new identity.AzureCliCredential(),
  );
}
