import type { ServerProject } from './serverProject';

/**
 * Azurite's well-known development account (public, documented in Azurite's README); only the port
 * changes, which `UseDevelopmentStorage=true` cannot express.
 */
export function azuriteConnectionString(blobPort: number): string {
  return [
    'DefaultEndpointsProtocol=http',
    'AccountName=devstoreaccount1',
    'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==', // devstoreaccount1
    `BlobEndpoint=http://127.0.0.1:${blobPort}/devstoreaccount1`,
    `QueueEndpoint=http://127.0.0.1:${blobPort + 1}/devstoreaccount1`,
    `TableEndpoint=http://127.0.0.1:${blobPort + 2}/devstoreaccount1`,
  ].join(';');
}

/**
 * What a local run of the project sees: VS Code's environment, then the project's
 * local.settings.json values (as `func start` applies them), with development storage pointed at
 * the configured Azurite port.
 */
export function localServerEnvironment(
  base: NodeJS.ProcessEnv,
  project: ServerProject,
  azuriteBlobPort: number,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, FUNCTIONS_WORKER_RUNTIME: 'node', ...project.localSettings };
  const storage = env.AzureWebJobsStorage;
  if (!storage || storage === 'UseDevelopmentStorage=true')
    env.AzureWebJobsStorage = azuriteConnectionString(azuriteBlobPort);
  return env;
}
