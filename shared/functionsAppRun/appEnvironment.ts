// The environment of a local run of a Functions app, the same from VS Code and from `npm start -- --project`.
import { azuriteConnectionString } from '../developmentStorage';

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
  if (usesDevelopmentStorage(env)) env.AzureWebJobsStorage = azuriteConnectionString(azuriteBlobPort);
  return env;
}

/**
 * Whether the app stores in the local emulator that the local run starts (Azurite): its
 * AzureWebJobsStorage is `UseDevelopmentStorage=true`, or it names none, which the run points there too.
 */
export function usesDevelopmentStorage(values: Record<string, string | undefined>): boolean {
  const storage = values.AzureWebJobsStorage?.trim();
  return !storage || /^UseDevelopmentStorage=true$/i.test(storage);
}
