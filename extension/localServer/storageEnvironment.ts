import { azuriteConnectionString } from '../../shared/developmentStorage';

/**
 * What a local run of a Functions app sees: VS Code's environment, then the project's
 * local.settings.json values (as `func start` applies them), with development storage pointed at
 * the configured Azurite port.
 */
export function localServerEnvironment(
  base: NodeJS.ProcessEnv,
  localSettings: Record<string, string>,
  azuriteBlobPort: number,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, FUNCTIONS_WORKER_RUNTIME: 'node', ...localSettings };
  const storage = env.AzureWebJobsStorage;
  if (!storage || storage === 'UseDevelopmentStorage=true')
    env.AzureWebJobsStorage = azuriteConnectionString(azuriteBlobPort);
  return env;
}
