import type { AzureAnalysisSettings } from './analysisSettings';

/**
 * Options both Azure SDK clients take. The token scope is derived from the endpoint: Azure SDKs
 * do not follow a changed endpoint with their scope (Log Analytics 1.0.0 even ignores its
 * `audience` option), and in every cloud the audience is the service's origin.
 */
export function analysisClientOptions(settings: AzureAnalysisSettings, endpoint: string, audience: string) {
  return {
    endpoint,
    credentials: { scopes: [`${audience}/.default`] },
    // A model is waiting on the answer: a few retries, and throttling still waits for Retry-After.
    retryOptions: { maxRetries: 3, retryDelayInMs: 800, maxRetryDelayInMs: 8000 },
    userAgentOptions: { userAgentPrefix: 'remote-mcp-functions' },
    ...(settings.tlsCa ? { tlsOptions: { ca: settings.tlsCa } } : {}),
  };
}
