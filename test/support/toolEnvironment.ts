import { startAzurite } from './azurite';
import path from 'node:path';
import { startFakeOpenMeteo } from '../fakes/openMeteo';
import { FAKE_CU_API_KEY, startFakeContentUnderstanding } from '../fakes/contentUnderstanding';
import { startAzureAnalysisFakes } from './azureAnalysisFakes';
import { recordingLogger, testDependencies } from './testDependencies';
import { snippetStoreFromEnv } from '../../server/src/snippets/storageConnection';
import type { ToolDependencies } from '../../server/src/toolDependencies';

export interface ToolEnvironment {
  deps: ToolDependencies;
  log: ReturnType<typeof recordingLogger>;
  close(): Promise<void>;
}

/**
 * Everything the whole catalogue needs, all on loopback: a real Azurite, the Open-Meteo fake, the
 * Content Understanding fake with the shipped sample invoices, and the Resource Graph and Log
 * Analytics fakes signed in to through the fake azd.
 */
export async function startToolEnvironment(): Promise<ToolEnvironment> {
  const [azurite, openMeteo, contentUnderstanding, azureAnalysis] = await Promise.all([
    startAzurite(),
    startFakeOpenMeteo(),
    startFakeContentUnderstanding(),
    startAzureAnalysisFakes(),
  ]);
  const log = recordingLogger();
  const deps = testDependencies({
    snippets: snippetStoreFromEnv({ AzureWebJobsStorage: azurite.connectionString }, log),
    weather: { geocodingUrl: openMeteo.geocodingUrl, forecastUrl: openMeteo.forecastUrl, timeoutMs: 5000 },
    invoices: {
      dataDir: path.resolve(__dirname, '../../server/data'),
      service: {
        endpoint: contentUnderstanding.endpoint,
        apiVersion: '2025-11-01',
        analyzerId: 'prebuilt-invoice',
        auth: { kind: 'apiKey', apiKey: FAKE_CU_API_KEY },
        pollIntervalMs: 20,
        pollTimeoutMs: 5000,
      },
    },
    azureAnalysis: azureAnalysis.analysis(log),
    log,
  });
  return {
    deps,
    log,
    close: async () => {
      await Promise.all([
        azurite.close(),
        openMeteo.close(),
        contentUnderstanding.close(),
        azureAnalysis.close(),
      ]);
    },
  };
}
