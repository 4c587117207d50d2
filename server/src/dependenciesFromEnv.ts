import type { ToolDependencies } from './toolDependencies';
import type { ToolLogger } from './toolkit/toolLogger';
import { snippetStoreFromEnv } from './snippets/storageConnection';
import { weatherSettingsFromEnv } from './weather/openMeteo';
import { invoiceSettingsFromEnv } from './invoices/invoiceSettings';
import { azureAnalysis } from './azureAnalysis/azureAnalysis';
import { azureAnalysisSettingsFromEnv } from './azureAnalysis/analysisSettings';
import { shippedDataDir } from './shippedData';

/** Builds what tools need from the host's environment (app settings in Azure, the shell locally). */
export function toolDependenciesFromEnv(env: NodeJS.ProcessEnv, log: ToolLogger): ToolDependencies {
  return {
    snippets: snippetStoreFromEnv(env, log),
    weather: weatherSettingsFromEnv(env),
    invoices: invoiceSettingsFromEnv(env, shippedDataDir),
    azureAnalysis: azureAnalysis(azureAnalysisSettingsFromEnv(env), log),
    log,
  };
}

export const consoleLogger: ToolLogger = {
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};
