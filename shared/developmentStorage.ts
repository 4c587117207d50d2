/** Azurite's development account; its key is published in Azurite's and Azure's docs, so it is no secret. */
export const developmentAccountName = 'devstoreaccount1';
export const developmentAccountKey =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='; // devstoreaccount1

/**
 * The development storage connection string for an Azurite on any port: `UseDevelopmentStorage=true`
 * can only name the default ports (blob 10000, queue 10001, table 10002). Queue and table follow
 * the blob port in the same order.
 */
export function azuriteConnectionString(blobPort: number): string {
  const endpoint = (port: number) => `http://127.0.0.1:${port}/${developmentAccountName}`;
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${developmentAccountName}`,
    `AccountKey=${developmentAccountKey}`,
    `BlobEndpoint=${endpoint(blobPort)}`,
    `QueueEndpoint=${endpoint(blobPort + 1)}`,
    `TableEndpoint=${endpoint(blobPort + 2)}`,
  ].join(';');
}

/**
 * The storage REST API version (the `x-ms-version` header) the server's @azure/storage-blob sends with
 * every request: its SERVICE_VERSION. Azurite refuses versions newer than it knows unless started
 * with --skipApiVersionCheck, so the server pins a client whose version the newest Azurite accepts;
 * test/shared/storageApiVersion.integration.test.ts keeps this equal to the installed client's. It lives in
 * shared/ because the extension, which must not load the storage SDK, checks Azurite against it.
 */
export const STORAGE_API_VERSION = '2026-06-06';

/**
 * Why snippet calls fail against an Azurite that refuses the server's storage API version, and the
 * fix; the server's tool errors and the extension's log and view say the same. `subject` names the
 * storage, e.g. "Snippet storage at 127.0.0.1:10000". The Azurite extension's setting is
 * `azurite.skipApiVersionCheck` (https://github.com/Azure/Azurite/blob/main/package.json).
 */
export function unsupportedApiVersionMessage(subject: string, version: string = STORAGE_API_VERSION): string {
  return (
    `${subject} does not accept the storage API version ${version} that the MCP server sends ` +
    `(400 InvalidHeaderValue for x-ms-version): it is an Azurite older than the server's storage client. ` +
    `Update Azurite (npm install -g azurite@latest, update the Azurite VS Code extension, or docker pull ` +
    `mcr.microsoft.com/azure-storage/azurite), or start it with --skipApiVersionCheck (in the Azurite ` +
    `extension, turn on the setting azurite.skipApiVersionCheck).`
  );
}

/**
 * Asks the Azurite on `blobPort` whether it accepts STORAGE_API_VERSION, with one unauthenticated
 * request and no storage SDK. Azurite checks x-ms-version before authentication
 * (https://github.com/Azure/Azurite/blob/main/src/blob/middlewares/blobStorageContext.middleware.ts),
 * so 400 InvalidHeaderValue means it refuses the version, and any other answer (403 for the missing
 * signature) means it accepts it. Returns the warning to show, or undefined when the version is
 * accepted or nothing answered (finding no Azurite is reported elsewhere).
 */
export async function azuriteApiVersionWarning(
  blobPort: number,
  timeoutMs = 5000,
): Promise<string | undefined> {
  const url = `http://127.0.0.1:${blobPort}/${developmentAccountName}?restype=service&comp=properties`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { 'x-ms-version': STORAGE_API_VERSION },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
  } catch {
    return undefined;
  }
  const refused = response.status === 400 && response.headers.get('x-ms-error-code') === 'InvalidHeaderValue';
  return refused ? unsupportedApiVersionMessage(`Azurite on 127.0.0.1:${blobPort}`) : undefined;
}
