import path from 'node:path';

export type AzureApi = typeof import('./azureApi');

let loaded: AzureApi | undefined;

/** Loads the Azure bundle beside the extension bundle the first time Azure is needed. */
export function loadAzure(): AzureApi {
  // A computed path keeps esbuild from inlining the Azure SDK into the activation bundle.
  const bundle = path.join(__dirname, 'azure.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bundle loaded lazily by path
  loaded ??= require(bundle) as AzureApi;
  return loaded;
}
