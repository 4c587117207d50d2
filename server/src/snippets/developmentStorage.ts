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
