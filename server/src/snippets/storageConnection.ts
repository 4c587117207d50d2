import { BlobServiceClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { ToolError } from '../toolkit/tool';
import type { ToolLogger } from '../toolkit/toolLogger';
import { BlobSnippetStore, redactSecrets } from './blobSnippetStore';
import type { SnippetStore, SnippetSummary } from './snippetStore';

/** Longest snippet name; also keeps blob names far below Azure's 1,024-character limit. */
export const SNIPPET_NAME_MAX_LENGTH = 64;
/** Largest snippet, in UTF-8 bytes: ample for code, and small enough to upload in one request. */
export const SNIPPET_MAX_BYTES = 256 * 1024;
export const LIST_LIMIT_DEFAULT = 100;
export const LIST_LIMIT_MAX = 1000;

export const DEFAULT_CONTAINER = 'snippets';

/**
 * Azurite's well-known local account. @azure/storage-blob's `fromConnectionString` expands this
 * shorthand itself (to devstoreaccount1 at http://127.0.0.1:10000), so it is passed through as is.
 */
export const DEVELOPMENT_STORAGE = 'UseDevelopmentStorage=true';

/** The variables read, as the Azure Functions host names them for the `AzureWebJobsStorage` connection. */
export type StorageEnvironment = Readonly<Record<string, string | undefined>>;

/** How the snippet store reaches Blob Storage, decided from the environment without any I/O. */
export type SnippetStorageSettings =
  | {
      kind: 'identity';
      serviceUrl: string;
      /** `managed`: ManagedIdentityCredential (clientId for a user-assigned one); `default`: DefaultAzureCredential. */
      credential: 'managed' | 'default';
      clientId: string | undefined;
      containerName: string;
    }
  | {
      kind: 'connectionString';
      connectionString: string;
      /** Which variable it came from, for messages; `default` means Azurite's development account. */
      source: 'AzureWebJobsStorage' | 'default';
      containerName: string;
    };

/**
 * Reads the Azure Functions identity-based connection convention: `AzureWebJobsStorage__blobServiceUri`
 * (or `__accountName`) selects a token credential, otherwise `AzureWebJobsStorage` holds a connection
 * string, and without either the store uses Azurite's development account. Throws a ToolError naming
 * the variable when a setting is malformed.
 */
export function snippetStorageSettings(env: StorageEnvironment): SnippetStorageSettings {
  const containerName = containerNameFrom(env);
  const serviceUri = setting(env, 'AzureWebJobsStorage__blobServiceUri');
  const accountName = setting(env, 'AzureWebJobsStorage__accountName');
  if (serviceUri !== undefined || accountName !== undefined) {
    const clientId = setting(env, 'AzureWebJobsStorage__clientId');
    const managed = setting(env, 'AzureWebJobsStorage__credential')?.toLowerCase() === 'managedidentity';
    return {
      kind: 'identity',
      serviceUrl: serviceUri !== undefined ? serviceUrlFrom(serviceUri) : accountUrl(accountName ?? ''),
      credential: managed || clientId !== undefined ? 'managed' : 'default',
      clientId,
      containerName,
    };
  }
  const connectionString = setting(env, 'AzureWebJobsStorage');
  return connectionString !== undefined
    ? { kind: 'connectionString', connectionString, source: 'AzureWebJobsStorage', containerName }
    : { kind: 'connectionString', connectionString: DEVELOPMENT_STORAGE, source: 'default', containerName };
}

/**
 * The snippet store the hosts use. Nothing is contacted or loaded until the first snippet call, so
 * a host starts (and hello_mcp works) even when storage is misconfigured; each snippet call then
 * fails with a message that names the setting to fix.
 */
export function snippetStoreFromEnv(env: StorageEnvironment, log: ToolLogger): SnippetStore {
  let settings: SnippetStorageSettings;
  try {
    settings = snippetStorageSettings(env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(message);
    return new FailingSnippetStore(message);
  }
  return new LazySnippetStore(() => createStore(settings, log));
}

// The SDK's default (4 tries, 4 s base delay) leaves a user waiting ~30 s when Azurite is not
// running; this still rides out a transient Azure hiccup.
export const pipelineOptions: StoragePipelineOptions = {
  retryOptions: { maxTries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 4000, tryTimeoutInMs: 30_000 },
};

async function createStore(settings: SnippetStorageSettings, log: ToolLogger): Promise<SnippetStore> {
  let service: BlobServiceClient;
  if (settings.kind === 'identity') {
    service = new BlobServiceClient(settings.serviceUrl, await credentialFor(settings), pipelineOptions);
  } else {
    try {
      service = BlobServiceClient.fromConnectionString(settings.connectionString, pipelineOptions);
    } catch (error) {
      // The SDK's parse errors name the missing part and never echo the key, but redact anyway.
      const detail = redactSecrets(error instanceof Error ? error.message : String(error));
      throw new ToolError(
        `AzureWebJobsStorage is not a valid storage connection string (${detail}). Use the connection string ` +
          `from the storage account's "Access keys" page, or "${DEVELOPMENT_STORAGE}" for Azurite.`,
      );
    }
  }
  return new BlobSnippetStore(service.getContainerClient(settings.containerName), { log });
}

export async function credentialFor(settings: Extract<SnippetStorageSettings, { kind: 'identity' }>) {
  // Loaded on first use: most runs (Azurite, connection strings) never need @azure/identity and MSAL.
  const identity = await import('@azure/identity');
  return settings.credential === 'managed'
    ? new identity.ManagedIdentityCredential({ clientId: settings.clientId })
    : new identity.DefaultAzureCredential();
}

/** Builds the real store on first use and shares it; a failed build is retried by the next call. */
class LazySnippetStore implements SnippetStore {
  private store: Promise<SnippetStore> | undefined;

  constructor(private readonly create: () => Promise<SnippetStore>) {}

  async save(name: string, content: string, signal: AbortSignal): Promise<void> {
    return (await this.resolve()).save(name, content, signal);
  }

  async get(name: string, signal: AbortSignal): Promise<string | undefined> {
    return (await this.resolve()).get(name, signal);
  }

  async list(prefix: string | undefined, limit: number, signal: AbortSignal): Promise<SnippetSummary[]> {
    return (await this.resolve()).list(prefix, limit, signal);
  }

  private resolve(): Promise<SnippetStore> {
    this.store ??= this.create().catch((error: unknown) => {
      this.store = undefined;
      throw error instanceof Error ? error : new Error(String(error));
    });
    return this.store;
  }
}

/** Stands in when the settings are unusable, so every snippet call explains which one to fix. */
class FailingSnippetStore implements SnippetStore {
  constructor(private readonly message: string) {}

  save(): Promise<void> {
    return Promise.reject(new ToolError(this.message));
  }

  get(): Promise<string | undefined> {
    return Promise.reject(new ToolError(this.message));
  }

  list(): Promise<SnippetSummary[]> {
    return Promise.reject(new ToolError(this.message));
  }
}

function setting(env: StorageEnvironment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

// 3-63 characters of lowercase letters, digits and single hyphens, starting and ending with a letter or digit.
const containerNamePattern = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;

function containerNameFrom(env: StorageEnvironment): string {
  const name = setting(env, 'SNIPPETS_CONTAINER');
  if (name === undefined) return DEFAULT_CONTAINER;
  if (!containerNamePattern.test(name)) {
    throw new ToolError(
      `SNIPPETS_CONTAINER "${name}" is not a valid blob container name: use 3-63 lowercase letters, digits ` +
        `and single hyphens, starting and ending with a letter or digit (e.g. "${DEFAULT_CONTAINER}").`,
    );
  }
  return name;
}

function serviceUrlFrom(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.username || url.password) {
    throw new ToolError(
      `AzureWebJobsStorage__blobServiceUri must be the account's blob endpoint, such as ` +
        `https://<account>.blob.core.windows.net (no query string or credentials).`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

function accountUrl(accountName: string): string {
  // Azure account names are 3-24 lowercase letters and digits.
  if (!/^[a-z0-9]{3,24}$/.test(accountName)) {
    throw new ToolError(
      `AzureWebJobsStorage__accountName "${accountName}" is not a storage account name: use the 3-24 lowercase ` +
        `letters and digits shown in the Azure portal.`,
    );
  }
  return `https://${accountName}.blob.core.windows.net`;
}
