import path from 'node:path';
import type { ToolDependencies } from './toolDependencies';
import type { ToolLogger } from './toolkit/toolLogger';
import { snippetStoreFromEnv } from './snippets/storageConnection';
import { weatherSettingsFromEnv } from './weather/openMeteo';
import { invoiceSettingsFromEnv } from './invoices/invoiceSettings';
import { azureAnalysis } from './azureAnalysis/azureAnalysis';
import { azureAnalysisSettingsFromEnv } from './azureAnalysis/analysisSettings';

/** Builds what tools need from the host's environment (app settings in Azure, the shell locally). */
export function toolDependenciesFromEnv(env: NodeJS.ProcessEnv, log: ToolLogger): ToolDependencies {
  return {
    snippets: snippetStoreFromEnv(env, log),
    weather: weatherSettingsFromEnv(env),
    // The bundles run from server/dist and this file from server/src: either way the samples are in server/data.
    invoices: invoiceSettingsFromEnv(env, path.join(__dirname, '..', 'data')),
    azureAnalysis: azureAnalysis(azureAnalysisSettingsFromEnv(env), log),
    log,
  };
}

export const consoleLogger: ToolLogger = {
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};
