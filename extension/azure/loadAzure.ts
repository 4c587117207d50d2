import { lazyBundle } from '../common/lazyBundle';

export type AzureApi = typeof import('./azureBundle');

/** Loads the Azure bundle (dist/azure.js) the first time Azure is needed. */
export const loadAzure = lazyBundle<AzureApi>('azure.js');
