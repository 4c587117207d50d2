import { startAzurite } from './azurite';
import { startFakeOpenMeteo } from '../fakes/openMeteo';
import { startAzureAnalysisFakes } from './azureAnalysisFakes';
import { recordingLogger, testDependencies } from './testDependencies';
import { snippetStoreFromEnv } from '../../server/src/snippets/storageConnection';
import type { ToolDependencies } from '../../server/src/toolkit/dependencies';

export interface ToolEnvironment {
  deps: ToolDependencies;
  log: ReturnType<typeof recordingLogger>;
  close(): Promise<void>;
}

/**
 * Everything the whole catalogue needs, all on loopback: a real Azurite, the Open-Meteo fake, and
 * the Resource Graph and Log Analytics fakes signed in to through the fake azd.
 */
export async function startToolEnvironment(): Promise<ToolEnvironment> {
  const [azurite, openMeteo, azureAnalysis] = await Promise.all([
    startAzurite(),
    startFakeOpenMeteo(),
    startAzureAnalysisFakes(),
  ]);
  const log = recordingLogger();
  const deps = testDependencies({
    snippets: snippetStoreFromEnv({ AzureWebJobsStorage: azurite.connectionString }, log),
    weather: { geocodingUrl: openMeteo.geocodingUrl, forecastUrl: openMeteo.forecastUrl, timeoutMs: 5000 },
    azureAnalysis: azureAnalysis.analysis(log),
    log,
  });
  return {
    deps,
    log,
    close: async () => {
      await Promise.all([azurite.close(), openMeteo.close(), azureAnalysis.close()]);
    },
  };
}
