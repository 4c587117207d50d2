import type { ContainerClient } from '@azure/storage-blob';
import { ToolError } from '../toolkit/tool';
import type { ToolLogger } from '../toolkit/toolLogger';
import { isRestError } from '../toolkit/upstreamWording';
import { STORAGE_API_VERSION, unsupportedApiVersionMessage } from '../../../shared/developmentStorage';
import type { SnippetStore, SnippetSummary } from './snippetStore';

/**
 * The seed sample (remote-mcp-functions-typescript) wrote snippets through a blob output binding
 * to `snippets/{snippetname}.json`, as raw text despite the extension. Keeping that layout lets
 * this server read snippets saved by the sample and vice versa.
 */
const blobSuffix = '.json';
const contentType = 'text/plain; charset=utf-8';
// Azure allows up to 5,000 names per page; asking for more than needed only wastes bandwidth.
const maxPageSize = 5000;

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'REQUEST_SEND_ERROR',
]);

const identityErrorNames = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
]);

export interface BlobSnippetStoreOptions {
  /** Receives the underlying storage error (secrets redacted) whenever a call fails. */
  log?: ToolLogger;
}

/** Snippets as block blobs in one container, in Azure Storage or Azurite alike. */
export class BlobSnippetStore implements SnippetStore {
  private containerReady: Promise<void> | undefined;
  private readonly endpoint: string;

  constructor(
    private readonly container: ContainerClient,
    private readonly options: BlobSnippetStoreOptions = {},
  ) {
    this.endpoint = new URL(container.url).host;
  }

  async save(name: string, content: string, signal: AbortSignal): Promise<void> {
    await this.guard(async () => {
      await this.ensureContainer(signal);
      const body = Buffer.from(content, 'utf8');
      await this.container.getBlockBlobClient(blobName(name)).upload(body, body.byteLength, {
        blobHTTPHeaders: { blobContentType: contentType },
        abortSignal: signal,
      });
    });
  }

  async get(name: string, signal: AbortSignal): Promise<string | undefined> {
    return this.guard(async () => {
      await this.ensureContainer(signal);
      try {
        const response = await this.container.getBlobClient(blobName(name)).download(0, undefined, {
          abortSignal: signal,
        });
        return (await readAll(response.readableStreamBody)).toString('utf8');
      } catch (error) {
        if (!isRestError(error) || error.statusCode !== 404) throw error;
        // Someone deleted the container: nothing is saved, and the next save must create it again.
        if (error.code === 'ContainerNotFound') this.containerReady = undefined;
        return undefined;
      }
    });
  }

  async list(prefix: string | undefined, limit: number, signal: AbortSignal): Promise<SnippetSummary[]> {
    return this.guard(async () => {
      await this.ensureContainer(signal);
      const found: SnippetSummary[] = [];
      if (limit <= 0) return found;
      const pages = this.container
        .listBlobsFlat({ prefix: prefix || undefined, abortSignal: signal })
        .byPage({ maxPageSize: Math.min(maxPageSize, limit) });
      for await (const page of pages) {
        for (const item of page.segment.blobItems) {
          if (!item.name.endsWith(blobSuffix)) continue;
          const name = item.name.slice(0, -blobSuffix.length);
          // Blobs in virtual folders were not written by this server and no snippet name can reach them.
          if (name.length === 0 || name.includes('/')) continue;
          found.push({
            name,
            sizeBytes: item.properties.contentLength ?? 0,
            lastModified: item.properties.lastModified.toISOString(),
          });
          if (found.length >= limit) return found;
        }
      }
      return found;
    });
  }

  /**
   * One creation for every caller, so 200 concurrent first saves send one request. It runs without
   * any caller's signal: one caller giving up must not fail the others waiting on it.
   */
  private async ensureContainer(signal: AbortSignal): Promise<void> {
    this.containerReady ??= this.container.createIfNotExists().then(
      () => undefined,
      (error: unknown) => {
        // Forget the failure so the next call retries, e.g. once Azurite has been started.
        this.containerReady = undefined;
        throw error;
      },
    );
    await abortable(this.containerReady, signal);
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ToolError) throw error;
      if (errorCode(error) === 'ContainerNotFound') this.containerReady = undefined;
      if (!isAbort(error))
        this.options.log?.warn(
          `Snippet storage at ${this.endpoint} failed: ${redactSecrets(describe(error))}`,
        );
      throw new ToolError(explainStorageError(error, this.endpoint));
    }
  }
}

function blobName(snippetName: string): string {
  return `${snippetName}${blobSuffix}`;
}

/** Turns a storage failure into a message that names the endpoint and what to do about it. */
export function explainStorageError(error: unknown, endpoint: string): string {
  const local = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(endpoint);
  const name = error instanceof Error ? error.name : '';
  if (isAbort(error)) return 'The snippet storage request was cancelled.';

  if (identityErrorNames.has(name)) {
    return (
      `Could not get an access token for snippet storage at ${endpoint} (${name}). In Azure, assign a managed ` +
      `identity to the app and, for a user-assigned one, set AzureWebJobsStorage__clientId to its client ID; ` +
      `locally, sign in with "az login" or set AzureWebJobsStorage to a connection string.`
    );
  }

  const code = errorCode(error);
  if (code && unreachableCodes.has(code)) {
    return local
      ? `Snippet storage at ${endpoint} is not reachable (${code}). Start Azurite (npm start does) or set AzureWebJobsStorage.`
      : `Snippet storage at ${endpoint} is not reachable (${code}). Check the storage account name in ` +
          `AzureWebJobsStorage and that the app's network (firewall, private endpoint) allows it to reach the account.`;
  }

  if (isRestError(error) && refusesApiVersion(error)) {
    const version = error.request?.headers.get('x-ms-version') ?? STORAGE_API_VERSION;
    return unsupportedApiVersionMessage(`Snippet storage at ${endpoint}`, version);
  }
  const status = isRestError(error) ? error.statusCode : undefined;
  if (status === 403 && (code === 'AuthorizationPermissionMismatch' || code === 'AuthorizationFailure')) {
    return (
      `Snippet storage at ${endpoint} refused access (${code}). Give the app's managed identity the ` +
      `'Storage Blob Data Owner' or 'Storage Blob Data Contributor' role on the storage account ` +
      `(role assignments can take a few minutes to apply), or check the account's network rules.`
    );
  }
  if (status === 403 || status === 401) {
    return (
      `Snippet storage at ${endpoint} rejected the credentials (${code ?? status}). Check the account key or SAS ` +
      `in AzureWebJobsStorage, or that the token is for this storage account.`
    );
  }
  if (code === 'ContainerNotFound') {
    return `Snippet storage at ${endpoint} lost its container (ContainerNotFound), probably deleted meanwhile. Try again; it will be created.`;
  }
  if (status === 404) {
    return `Snippet storage at ${endpoint} does not know the storage account (${code ?? status}). Check AzureWebJobsStorage.`;
  }
  if (status !== undefined) {
    return `Snippet storage at ${endpoint} failed (${status}${code ? ` ${code}` : ''}). Try again; if it persists, check the storage account's health.`;
  }
  return `Snippet storage at ${endpoint} failed${code ? ` (${code})` : ''}. The server log has the details.`;
}

/**
 * The storage service refused the x-ms-version the client sends. Azurite says so in the message
 * ("The API version … is not supported by Azurite", getInvalidAPIVersion in
 * https://github.com/Azure/Azurite/blob/main/src/blob/errors/StorageErrorFactory.ts); Azure Storage
 * names the header in the error body's HeaderName, which the client keeps in `details`
 * (https://learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes). Without a
 * body `code` is unset, but the x-ms-error-code header is still in `details`.
 */
function refusesApiVersion(
  error: Error & { statusCode?: number; code?: string; details?: unknown },
): boolean {
  if (error.statusCode !== 400) return false;
  const details: Record<string, unknown> =
    typeof error.details === 'object' && error.details !== null ? { ...error.details } : {};
  if ((error.code ?? details.errorCode) !== 'InvalidHeaderValue') return false;
  const headerName = Object.entries(details).find(([key]) => key.toLowerCase() === 'headername')?.[1];
  if (typeof headerName === 'string') return headerName.toLowerCase() === 'x-ms-version';
  return [error.message, details.message].some(
    (text) => typeof text === 'string' && /\bAPI version \S+ is not supported\b/i.test(text),
  );
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.length > 0) return code;
  // Node wraps some network failures (e.g. fetch's "fetch failed") around the real cause.
  return errorCode((error as { cause?: unknown }).cause);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = errorCode(error);
  return `${error.name}${code ? ` ${code}` : ''}: ${error.message.split('\n')[0]}`;
}

/** Keys and SAS signatures must never reach a log line or an error message. */
export function redactSecrets(text: string): string {
  return text.replace(/(AccountKey|SharedAccessSignature|sig)=[^;&\s"']*/gi, '$1=[redacted]');
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function abortError(): Error {
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
}
