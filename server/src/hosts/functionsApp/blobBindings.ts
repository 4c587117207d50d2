// Storage blob input and output bindings (`input.storageBlob` / `output.storageBlob`), the only
// bindings besides the MCP triggers this host serves: the public TypeScript sample's snippet tools
// (Azure-Samples/remote-mcp-functions-typescript: mcp-tools/src/functions/snippetsMcpTool.ts) use them.
import { randomUUID } from 'node:crypto';
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { redactSecrets } from '../../snippets/blobSnippetStore';
import { credentialFor, pipelineOptions, snippetStorageSettings } from '../../snippets/storageConnection';
import type { RpcTypedData } from './coreApi';
import { AppProblem } from './loadApp';

export interface BlobBinding {
  /** The binding's name: what the library keys `extraInputs` / `extraOutputs` by. */
  name: string;
  direction: 'in' | 'out';
  /** e.g. `snippets/{mcptoolargs.snippetname}.json`. */
  path: string;
  /** The app setting prefix, `AzureWebJobsStorage` when not given. */
  connection: string;
}

/** The values a path's `{...}` expressions read: the trigger's binding data, keys case-insensitive. */
export type BindingData = ReadonlyMap<string, unknown>;

/** Fails the invocation, as a binding error fails it in the Functions host. */
export class BindingError extends Error {
  override readonly name = 'BindingError';
}

/**
 * Resolves a blob path's binding expressions as the WebJobs SDK does for a triggered function:
 * `{name}` and `{name.property}` from the trigger's binding data (for MCP tools `mcptoolargs.<arg>`,
 * set by the extension's Trigger/McpToolTriggerBinding.cs), `{rand-guid}`, `{datetime}`, and
 * `%setting%` from app settings. A missing value fails the invocation with the SDK's wording
 * ("Error while accessing 'x': property doesn't exist.").
 */
export function resolveBlobPath(template: string, data: BindingData, env: NodeJS.ProcessEnv): string {
  const withSettings = template.replace(/%([^%]+)%/g, (_match, name: string) => {
    const value = env[name];
    if (value === undefined)
      throw new BindingError(`Unable to resolve app setting '${name}' in path '${template}'.`);
    return value;
  });
  return withSettings.replace(/\{([^{}]+)\}/g, (_match, expression: string) => {
    const key = expression.trim();
    const lower = key.toLowerCase();
    if (lower === 'rand-guid') return randomUUID();
    if (lower === 'datetime') return new Date().toISOString();
    const [head = '', ...rest] = key.split('.');
    let value: unknown = lookup(data, head);
    if (value === undefined) throw new BindingError(`No value for named parameter '${head}'.`);
    for (const property of rest) {
      value = typeof value === 'object' && value !== null ? lookupProperty(value, property) : undefined;
      if (value === undefined)
        throw new BindingError(`Error while accessing '${property}': property doesn't exist.`);
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

function lookup(data: BindingData, key: string): unknown {
  return data.get(key.toLowerCase());
}

function lookupProperty(value: object, property: string): unknown {
  const entries =
    value instanceof Map ? [...(value as Map<string, unknown>).entries()] : Object.entries(value);
  return entries.find(([name]) => name.toLowerCase() === property.toLowerCase())?.[1];
}

/**
 * Reads and writes blobs for the bindings, one Blob service client per connection. Connections
 * follow the Functions convention for `AzureWebJobsStorage` (a connection string, or the
 * `__blobServiceUri` / `__accountName` identity form), reusing the bundled snippet store's reader.
 */
export class BlobBindingClient {
  private readonly services = new Map<string, Promise<BlobServiceClient>>();
  private readonly containersCreated = new Set<string>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /**
   * Checks at start-up that each connection is configured, as the Functions host refuses to index a
   * function whose binding names a missing connection.
   */
  checkConnection(binding: BlobBinding, functionName: string): void {
    if (!this.connectionEnv(binding.connection)) {
      throw new AppProblem(
        `Function "${functionName}": its blob binding "${binding.name}" uses the connection "${binding.connection}", but no app setting "${binding.connection}" (or "${binding.connection}__blobServiceUri") is set. For Azurite add "${binding.connection}": "UseDevelopmentStorage=true" to "Values" in local.settings.json.`,
      );
    }
  }

  /**
   * The blob's text as the host passes it to a Node function: with no `dataType` the host binds a
   * blob input as a Stream and reads it as a UTF-8 string (Azure/azure-functions-host:
   * src/WebJobs.Script/Description/Workers/WorkerFunctionInvoker.cs BindInputsAsync defaults the
   * data type to String; Binding/FunctionBinding.cs ConvertStreamToValue reads the text), sent as
   * RPC `string`, which the Node library JSON-parses when it can (converters/fromRpcTypedData.ts).
   * `dataType: 'binary'` sends bytes (a Buffer). A missing blob binds null: an empty TypedData,
   * so `context.extraInputs.get()` returns undefined, as in Azure.
   */
  async read(binding: BlobBinding, blobPath: string, dataType: string | undefined): Promise<RpcTypedData> {
    const { container, blob } = splitPath(blobPath);
    const client = (await this.container(binding.connection, container)).getBlockBlobClient(blob);
    try {
      const bytes = await client.downloadToBuffer();
      return dataType?.toLowerCase() === 'binary' ? { bytes } : { string: new TextDecoder().decode(bytes) };
    } catch (error) {
      if (statusOf(error) === 404) return {};
      throw this.storageError(binding, blobPath, error);
    }
  }

  /** Writes an output value as the host's FunctionBinding.ConvertValueToStream turns it into bytes. */
  async write(binding: BlobBinding, blobPath: string, value: RpcTypedData): Promise<void> {
    const bytes = blobBytes(value);
    if (bytes === undefined) return;
    const { container, blob } = splitPath(blobPath);
    const containerClient = await this.container(binding.connection, container);
    try {
      // Blob output bindings create their container when it does not exist yet.
      const key = `${binding.connection}\n${container}`;
      if (!this.containersCreated.has(key)) {
        await containerClient.createIfNotExists();
        this.containersCreated.add(key);
      }
      await containerClient.getBlockBlobClient(blob).uploadData(bytes);
    } catch (error) {
      throw this.storageError(binding, blobPath, error);
    }
  }

  private async container(connection: string, name: string): Promise<ContainerClient> {
    let service = this.services.get(connection);
    if (!service) {
      service = this.createService(connection);
      this.services.set(connection, service);
    }
    return (await service).getContainerClient(name);
  }

  private async createService(connection: string): Promise<BlobServiceClient> {
    const { BlobServiceClient } = await import('@azure/storage-blob');
    const settings = snippetStorageSettings(this.connectionEnv(connection) ?? {});
    if (settings.kind === 'identity') {
      return new BlobServiceClient(settings.serviceUrl, await credentialFor(settings), pipelineOptions);
    }
    try {
      return BlobServiceClient.fromConnectionString(settings.connectionString, pipelineOptions);
    } catch (error) {
      throw new BindingError(
        `The app setting "${connection}" is not a valid storage connection string (${redactSecrets(describe(error))}).`,
      );
    }
  }

  /** The connection's settings under the names the snippet store reads, or undefined when none is set. */
  private connectionEnv(connection: string): Record<string, string> | undefined {
    // "Storage" in a binding means AzureWebJobsStorage: Functions tries the name, then AzureWebJobs<name>.
    const prefix = [connection, `AzureWebJobs${connection}`].find(
      (name) =>
        this.env[name]?.trim() || this.env[`${name}__blobServiceUri`] || this.env[`${name}__accountName`],
    );
    if (!prefix) return undefined;
    const mapped: Record<string, string> = {};
    for (const [suffix, target] of [
      ['', 'AzureWebJobsStorage'],
      ['__blobServiceUri', 'AzureWebJobsStorage__blobServiceUri'],
      ['__accountName', 'AzureWebJobsStorage__accountName'],
      ['__clientId', 'AzureWebJobsStorage__clientId'],
      ['__credential', 'AzureWebJobsStorage__credential'],
    ] as const) {
      const value = this.env[`${prefix}${suffix}`];
      if (value) mapped[target] = value;
    }
    return mapped;
  }

  private storageError(binding: BlobBinding, blobPath: string, error: unknown): BindingError {
    const detail = redactSecrets(describe(error));
    const hint = /ECONNREFUSED|connect/i.test(detail)
      ? ' Is the storage emulator running? Start Azurite (e.g. "npx azurite --silent") or point the connection at a storage account.'
      : '';
    return new BindingError(`Blob binding "${binding.name}" (${blobPath}) failed: ${detail}.${hint}`);
  }
}

function splitPath(blobPath: string): { container: string; blob: string } {
  const slash = blobPath.indexOf('/');
  if (slash <= 0 || slash === blobPath.length - 1) {
    throw new BindingError(`Invalid blob path "${blobPath}": it must be "<container>/<blob name>".`);
  }
  return { container: blobPath.slice(0, slash), blob: blobPath.slice(slash + 1) };
}

/**
 * Azure/azure-functions-host src/WebJobs.Script/Binding/FunctionBinding.cs ConvertValueToStream:
 * strings as UTF-8, bytes as is, JSON compact, and numbers as the .NET BitConverter bytes (an RPC
 * int arrives as a long, which it truncates to 4 bytes).
 */
export function blobBytes(value: RpcTypedData): Uint8Array | undefined {
  if (typeof value.string === 'string') return Buffer.from(value.string, 'utf8');
  if (value.bytes) return Buffer.from(value.bytes);
  if (value.stream) return Buffer.from(value.stream);
  if (typeof value.json === 'string') {
    const parsed: unknown = JSON.parse(value.json);
    if (parsed === null) return undefined;
    if (typeof parsed === 'boolean') return Buffer.from([parsed ? 1 : 0]);
    if (typeof parsed === 'string') return Buffer.from(parsed, 'utf8');
    return Buffer.from(JSON.stringify(parsed), 'utf8');
  }
  if (typeof value.int === 'number') {
    const bytes = Buffer.alloc(4);
    bytes.writeInt32LE(Number(BigInt.asIntN(32, BigInt(value.int))));
    return bytes;
  }
  if (typeof value.double === 'number') {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value.double);
    return bytes;
  }
  return undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
