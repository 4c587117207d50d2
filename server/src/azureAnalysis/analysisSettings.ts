import type { TokenCredential } from '@azure/identity';
import { azureCredentialDescription, azureCredentialFromEnv } from '../azure/credential';
import { configured, millisecondsFromEnv } from '../envSettings';

/** Where the infrastructure-analysis tools find Azure, as whom they sign in, and how long they wait. */
export interface AzureAnalysisSettings {
  /** Azure Resource Manager's origin, where Resource Graph answers; its audience is the token scope. */
  resourceManagerEndpoint: string;
  /** The Log Analytics query API's origin (the `/v1` path is added by the client); also its audience. */
  logAnalyticsEndpoint: string;
  /** One tool call, every page and retry included, must finish within this. */
  timeoutMs: number;
  credential: TokenCredential;
  /** Who `credential` signs in as, in words for error messages (never a secret). */
  identity: string;
  /** Extra CA certificates (PEM). Only tests pass one; NODE_EXTRA_CA_CERTS serves as well. */
  tlsCa?: string;
}

export const RESOURCE_MANAGER_ENDPOINT_VARIABLE = 'AZURE_RESOURCE_MANAGER_ENDPOINT';
export const LOG_ANALYTICS_ENDPOINT_VARIABLE = 'LOG_ANALYTICS_ENDPOINT';
export const ANALYSIS_TIMEOUT_VARIABLE = 'AZURE_ANALYSIS_TIMEOUT_MS';

const defaultResourceManagerEndpoint = 'https://management.azure.com';
const defaultLogAnalyticsEndpoint = 'https://api.loganalytics.io';
// A minute covers a Log Analytics query over 30 days of performance counters; the service itself
// stops a query after ten minutes, so waiting longer than that can never help.
const defaultTimeoutMs = 60_000;
const maxTimeoutMs = 600_000;

/** Reads the variables above; throws at start-up, naming the variable, when one is unusable. */
export function azureAnalysisSettingsFromEnv(env: NodeJS.ProcessEnv): AzureAnalysisSettings {
  return {
    resourceManagerEndpoint: serviceOrigin(
      env,
      RESOURCE_MANAGER_ENDPOINT_VARIABLE,
      defaultResourceManagerEndpoint,
    ),
    logAnalyticsEndpoint: serviceOrigin(env, LOG_ANALYTICS_ENDPOINT_VARIABLE, defaultLogAnalyticsEndpoint, [
      '/v1',
    ]),
    timeoutMs: millisecondsFromEnv(env, ANALYSIS_TIMEOUT_VARIABLE, defaultTimeoutMs, maxTimeoutMs),
    credential: azureCredentialFromEnv(env),
    identity: azureCredentialDescription(env),
  };
}

/**
 * A sovereign cloud's service is named by its base URL (https://management.usgovcloudapi.net,
 * https://api.loganalytics.us); that origin is also the token audience, so a path would be wrong.
 */
function serviceOrigin(
  env: NodeJS.ProcessEnv,
  variable: string,
  defaultUrl: string,
  acceptedPaths: readonly string[] = [],
): string {
  const value = configured(env, variable);
  if (value === undefined) return defaultUrl;
  const rule = `${variable} must be the service's https base URL, such as ${defaultUrl}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${rule}; "${value}" is not a valid URL.`);
  }
  // Azure SDKs refuse to send a bearer token over plain http.
  if (url.protocol !== 'https:') throw new Error(`${rule}; "${value}" does not use https.`);
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== '' && !acceptedPaths.includes(path)) {
    throw new Error(`${rule}, with no path; "${value}" has the path ${url.pathname}.`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(`${rule}, with no query, fragment or credentials.`);
  }
  return url.origin;
}
