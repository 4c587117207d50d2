import path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { azureCredentialDescription, azureCredentialFromEnv } from '../azure/credential';
import { configured } from '../envSettings';

/** What analyze_invoice needs: where invoices are, and how to reach Azure AI Content Understanding. */
export interface InvoiceSettings {
  /** The folder invoices are read from; nothing outside it is ever read. */
  dataDir: string;
  /** How to reach Content Understanding, or, when the settings cannot say, why not in words for the user. */
  service: ContentUnderstandingSettings | { problem: string };
}

export interface ContentUnderstandingSettings {
  /** The resource's endpoint without a trailing slash, e.g. https://my-resource.services.ai.azure.com. */
  endpoint: string;
  apiVersion: string;
  analyzerId: string;
  auth:
    | { kind: 'apiKey'; apiKey: string }
    | { kind: 'identity'; credential: TokenCredential; description: string };
  pollIntervalMs: number;
  pollTimeoutMs: number;
}

export const DEFAULT_ANALYZER_ID = 'prebuilt-invoice';
/** The generally available REST API version. */
export const DEFAULT_API_VERSION = '2025-11-01';
const defaultPollIntervalSeconds = 2;
// Prebuilt analyzers usually finish a page in seconds; several pages under load can take minutes.
const defaultPollTimeoutSeconds = 180;
const maxPollIntervalSeconds = 60;
// Longer than any MCP client waits for a tool call.
const maxPollTimeoutSeconds = 3600;

/** The service's own rule for analyzer ids (the REST API's `analyzerId` path parameter). */
export const analyzerIdPattern = /^[a-zA-Z0-9._-]{1,64}$/;
const apiVersionPattern = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/**
 * Reads INVOICE_DATA_DIR and the CONTENT_UNDERSTANDING_* variables without contacting anything.
 * Unusable Content Understanding settings never stop the host: the problem is kept and reported by
 * analyze_invoice, naming the variable, while every other tool keeps working. `defaultDataDir` is
 * where the host's bundle expects the shipped samples.
 */
export function invoiceSettingsFromEnv(env: NodeJS.ProcessEnv, defaultDataDir: string): InvoiceSettings {
  const dataDir = configured(env, 'INVOICE_DATA_DIR');
  return {
    dataDir: dataDir === undefined ? defaultDataDir : path.resolve(dataDir),
    service: serviceSettings(env),
  };
}

function serviceSettings(env: NodeJS.ProcessEnv): InvoiceSettings['service'] {
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };
  const endpoint = attempt(() => endpointFrom(env));
  const apiVersion = attempt(() =>
    patterned(
      env,
      'CONTENT_UNDERSTANDING_API_VERSION',
      apiVersionPattern,
      DEFAULT_API_VERSION,
      'a date such as',
    ),
  );
  const analyzerId = attempt(() =>
    patterned(
      env,
      'CONTENT_UNDERSTANDING_ANALYZER_ID',
      analyzerIdPattern,
      DEFAULT_ANALYZER_ID,
      'up to 64 letters, digits, ".", "_" or "-", such as',
    ),
  );
  const pollInterval = attempt(() =>
    seconds(
      env,
      'CONTENT_UNDERSTANDING_POLL_INTERVAL_SECONDS',
      defaultPollIntervalSeconds,
      maxPollIntervalSeconds,
    ),
  );
  const pollTimeout = attempt(() =>
    seconds(
      env,
      'CONTENT_UNDERSTANDING_POLL_TIMEOUT_SECONDS',
      defaultPollTimeoutSeconds,
      maxPollTimeoutSeconds,
    ),
  );
  if (
    endpoint === undefined ||
    apiVersion === undefined ||
    analyzerId === undefined ||
    pollInterval === undefined ||
    pollTimeout === undefined
  ) {
    return { problem: problems.join(' ') };
  }
  const apiKey = configured(env, 'CONTENT_UNDERSTANDING_API_KEY');
  return {
    endpoint,
    apiVersion,
    analyzerId,
    // Without a key the app's identity signs in: no secret to keep, only a role to grant.
    auth:
      apiKey === undefined
        ? {
            kind: 'identity',
            credential: azureCredentialFromEnv(env),
            description: azureCredentialDescription(env),
          }
        : { kind: 'apiKey', apiKey },
    pollIntervalMs: pollInterval * 1000,
    pollTimeoutMs: pollTimeout * 1000,
  };
}

const endpointExample = 'https://<resource>.services.ai.azure.com/';

function endpointFrom(env: NodeJS.ProcessEnv): string {
  const value = configured(env, 'CONTENT_UNDERSTANDING_ENDPOINT');
  if (value === undefined) {
    throw new Error(
      'analyze_invoice needs Azure AI Content Understanding: set CONTENT_UNDERSTANDING_ENDPOINT to the endpoint ' +
        `of your Microsoft Foundry resource (${endpointExample}, shown on its "Keys and Endpoint" page).`,
    );
  }
  const rule = `CONTENT_UNDERSTANDING_ENDPOINT must be the resource's https endpoint, such as ${endpointExample}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${rule}; the configured value is not a URL.`);
  }
  // A key or token must never cross the network in clear text; plain http is for a local stand-in only.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`${rule}; the configured value uses ${url.protocol.replace(/:$/, '')}.`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(`${rule}, with no query string or credentials.`);
  }
  // The portal shows the bare endpoint; a pasted request URL that already ends in the API's root works too.
  const pathname = url.pathname.replace(/\/+$/, '').replace(/\/contentunderstanding$/i, '');
  return `${url.origin}${pathname}`;
}

function patterned(
  env: NodeJS.ProcessEnv,
  variable: string,
  pattern: RegExp,
  fallback: string,
  ruleLead: string,
): string {
  const value = configured(env, variable);
  if (value === undefined) return fallback;
  if (!pattern.test(value)) throw new Error(`${variable} must be ${ruleLead} "${fallback}", not "${value}".`);
  return value;
}

function seconds(env: NodeJS.ProcessEnv, variable: string, fallback: number, max: number): number {
  const value = configured(env, variable);
  if (value === undefined) return fallback;
  const parsed = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(parsed > 0 && parsed <= max)) {
    throw new Error(`${variable} must be a number of seconds above 0 and at most ${max}, not "${value}".`);
  }
  return parsed;
}
