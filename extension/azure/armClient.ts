// The Azure Resource Manager clients, configured once: endpoint (sovereign clouds), token audience,
// retries, user agent, and an extra CA for tests. Part of the Azure bundle (dist/azure.js).
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/identity';

export const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com';

export interface ArmClientOptions {
  /** ARM's origin; the public cloud's by default. */
  endpoint?: string;
  credential: TokenCredential;
  subscriptionId: string;
  /** Extra CA certificates (PEM). Only tests pass one; NODE_EXTRA_CA_CERTS serves as well. */
  tlsCa?: string;
}

function commonOptions(options: Omit<ArmClientOptions, 'subscriptionId'>) {
  const endpoint = options.endpoint ?? PUBLIC_ARM_ENDPOINT;
  return {
    endpoint,
    // Token scopes do not follow `endpoint` by themselves: ask for the audience of this ARM.
    scopes: [`${new URL(endpoint).origin}/.default`],
    // Someone is waiting on a progress notification: a few quick retries, never a minute's backoff
    // (429s still wait for ARM's Retry-After).
    retryOptions: { maxRetries: 3, retryDelayInMs: 1000, maxRetryDelayInMs: 8000 },
    userAgentOptions: { userAgentPrefix: 'remote-mcp-functions' },
    ...(options.tlsCa ? { tlsOptions: { ca: options.tlsCa } } : {}),
  };
}

export function createArmClient(options: ArmClientOptions): WebSiteManagementClient {
  const { scopes, ...common } = commonOptions(options);
  return new WebSiteManagementClient(options.credential, options.subscriptionId, {
    ...common,
    credentials: { scopes },
  });
}

/** Lists the subscriptions the credential can see (GET /subscriptions). */
export function createSubscriptionClient(
  options: Omit<ArmClientOptions, 'subscriptionId'>,
): SubscriptionClient {
  const { scopes, ...common } = commonOptions(options);
  return new SubscriptionClient(options.credential, { ...common, credentialScopes: scopes });
}
