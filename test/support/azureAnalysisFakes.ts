// The infrastructure-analysis tools against loopback fakes of Resource Graph and Log Analytics,
// signed in for real: the fake azd (test/fakes/azd, built to dist/test/fakeAzd.js) goes first on
// PATH, so @azure/identity's AzureDeveloperCliCredential runs it and the fakes see JWTs whose
// audience follows the scope the clients asked for. The sample data they answer with is in
// analysisSampleData.ts (re-exported here).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { azureAnalysis, type AzureAnalysis } from '../../server/src/azureAnalysis/azureAnalysis';
import type { AzureAnalysisSettings } from '../../server/src/azureAnalysis/analysisSettings';
import { azureCredentialDescription, azureCredentialFromEnv } from '../../server/src/azure/credential';
import type { ToolLogger } from '../../server/src/toolkit/toolLogger';
import { startFakeLogAnalytics, type FakeLogAnalytics } from '../fakes/logAnalytics';
import {
  startFakeResourceGraph,
  type FakeResourceGraph,
  type FakeResourceGraphOptions,
} from '../fakes/resourceGraph';

import { WORKSPACE, addSampleData } from './analysisSampleData';

export * from './analysisSampleData';

const fakeAzdDir = path.resolve(__dirname, '../fakes/azd');

/** The fake azd's settings (see FakeAzdConfig in test/fakes/azd/fakeAzd.ts). */
export interface FakeAzdConfig {
  signedIn?: boolean;
  tenantId?: string;
}

/**
 * Puts the fake azd first on PATH for this process (the credential reads process.env when it
 * runs azd) and returns what undoes it. FAKE_AZD_CONFIG is set only when a config is given, so a
 * test file that set its own (other tests in it drive the fake azd too) keeps it.
 */
export function useFakeAzd(config?: FakeAzdConfig): () => void {
  const saved = { PATH: process.env.PATH, FAKE_AZD_CONFIG: process.env.FAKE_AZD_CONFIG };
  process.env.PATH = `${fakeAzdDir}${path.delimiter}${saved.PATH ?? ''}`;
  let dir: string | undefined;
  if (config !== undefined) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-analysis-'));
    const configFile = path.join(dir, 'fake-azd.json');
    writeFileSync(configFile, JSON.stringify(config));
    process.env.FAKE_AZD_CONFIG = configFile;
  }
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  };
}

export interface AzureAnalysisFakes {
  resourceGraph: FakeResourceGraph;
  logAnalytics: FakeLogAnalytics;
  settings: AzureAnalysisSettings;
  /** A fresh client set over the same fakes (its own token cache), e.g. with another time limit. */
  analysis(log: ToolLogger, overrides?: Partial<AzureAnalysisSettings>): AzureAnalysis;
  close(): Promise<void>;
}

export interface AzureAnalysisFakesOptions {
  resourceGraph?: FakeResourceGraphOptions;
  azd?: FakeAzdConfig;
  timeoutMs?: number;
  /** Register the sample datasets below (default true). */
  sampleData?: boolean;
}

export interface AnalysisServices {
  resourceGraph: FakeResourceGraph;
  logAnalytics: FakeLogAnalytics;
  close(): Promise<void>;
}

/**
 * Just the two services, holding the sample workspace (and its data unless `sampleData` is false);
 * this process's environment is left alone, for a runner that passes the endpoints to another.
 */
export async function startAnalysisServices(
  options: Pick<AzureAnalysisFakesOptions, 'resourceGraph' | 'sampleData'> = {},
): Promise<AnalysisServices> {
  const [resourceGraph, logAnalytics] = await Promise.all([
    startFakeResourceGraph(options.resourceGraph),
    startFakeLogAnalytics(),
  ]);
  logAnalytics.addWorkspace(WORKSPACE);
  if (options.sampleData ?? true) addSampleData(resourceGraph, logAnalytics);
  return {
    resourceGraph,
    logAnalytics,
    close: async () => {
      await Promise.all([resourceGraph.close(), logAnalytics.close()]);
    },
  };
}

export async function startAzureAnalysisFakes(
  options: AzureAnalysisFakesOptions = {},
): Promise<AzureAnalysisFakes> {
  const services = await startAnalysisServices(options);
  const { resourceGraph, logAnalytics } = services;
  const restoreAzd = useFakeAzd(options.azd);
  // The SDKs honour proxy variables; the fakes are on loopback.
  const savedNoProxy = process.env.NO_PROXY;
  process.env.NO_PROXY = [savedNoProxy, '127.0.0.1', 'localhost'].filter(Boolean).join(',');
  // Outside Azure (no IDENTITY_ENDPOINT): the azd, then az, sign-in, as on a developer's machine.
  const developerEnv: NodeJS.ProcessEnv = {};
  const settings: AzureAnalysisSettings = {
    resourceManagerEndpoint: resourceGraph.endpoint,
    logAnalyticsEndpoint: logAnalytics.endpoint,
    timeoutMs: options.timeoutMs ?? 20_000,
    credential: azureCredentialFromEnv(developerEnv),
    identity: azureCredentialDescription(developerEnv),
    tlsCa: resourceGraph.caPem,
  };
  return {
    resourceGraph,
    logAnalytics,
    settings,
    analysis: (log, overrides = {}) =>
      azureAnalysis({ ...settings, credential: azureCredentialFromEnv(developerEnv), ...overrides }, log),
    close: async () => {
      restoreAzd();
      if (savedNoProxy === undefined) delete process.env.NO_PROXY;
      else process.env.NO_PROXY = savedNoProxy;
      await services.close();
    },
  };
}
