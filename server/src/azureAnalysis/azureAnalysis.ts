import type { ToolLogger } from '../toolkit/toolLogger';
import type { AzureAnalysisSettings } from './analysisSettings';
import { AzureServiceFailure } from './azureFailures';
import { logAnalyticsQueries, type LogAnalyticsQuery, type LogAnalyticsRows } from './logAnalytics';
import { resourceGraphQueries, type ResourceGraphQuery, type ResourceGraphRows } from './resourceGraph';

/**
 * What the infrastructure-analysis tools need from Azure: Resource Graph and Log Analytics queries
 * run as the server's identity. Failures arrive as `ToolError`s worded for the caller.
 */
export interface AzureAnalysis {
  /** Who the queries run as, in words. */
  readonly identity: string;
  queryResourceGraph(request: ResourceGraphQuery, signal: AbortSignal): Promise<ResourceGraphRows>;
  queryLogAnalytics(request: LogAnalyticsQuery, signal: AbortSignal): Promise<LogAnalyticsRows>;
}

export function azureAnalysis(settings: AzureAnalysisSettings, log: ToolLogger): AzureAnalysis {
  const resourceGraph = resourceGraphQueries(settings);
  const logAnalytics = logAnalyticsQueries(settings);
  // Failures of Azure itself are also logged, so an operator sees an outage or a missing role that
  // users only report as "the tool is broken".
  const logged = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      if (error instanceof AzureServiceFailure) log.warn(error.message);
      throw error;
    }
  };
  return {
    identity: settings.identity,
    queryResourceGraph: (request, signal) => logged(resourceGraph(request, signal)),
    queryLogAnalytics: (request, signal) => logged(logAnalytics(request, signal)),
  };
}
