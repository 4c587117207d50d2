import { startAzurite } from './azurite';
import { startFakeOpenMeteo } from '../fakes/openMeteo';
import { recordingLogger, testDependencies } from './testDependencies';
import { snippetStoreFromEnv } from '../../server/src/snippets/storageConnection';
import type { ToolDependencies } from '../../server/src/toolkit/dependencies';

export interface ToolEnvironment {
  deps: ToolDependencies;
  log: ReturnType<typeof recordingLogger>;
  close(): Promise<void>;
}

/** Everything the whole catalogue needs, all on loopback: a real Azurite and the Open-Meteo fake. */
export async function startToolEnvironment(): Promise<ToolEnvironment> {
  const [azurite, openMeteo] = await Promise.all([startAzurite(), startFakeOpenMeteo()]);
  const log = recordingLogger();
  const deps = testDependencies({
    snippets: snippetStoreFromEnv({ AzureWebJobsStorage: azurite.connectionString }, log),
    weather: { geocodingUrl: openMeteo.geocodingUrl, forecastUrl: openMeteo.forecastUrl, timeoutMs: 5000 },
    log,
  });
  return {
    deps,
    log,
    close: async () => {
      await Promise.all([azurite.close(), openMeteo.close()]);
    },
  };
}
