import type { SnippetStore } from './snippets/snippetStore';
import type { WeatherSettings } from './weather/openMeteo';
import type { InvoiceSettings } from './invoices/invoiceSettings';
import type { AzureAnalysis } from './azureAnalysis/azureAnalysis';
import { toolDefiner, type ToolDefinition } from './toolkit/tool';
import type { ToolLogger } from './toolkit/toolLogger';
import type { ResourceDefinition } from './toolkit/resource';

/**
 * Everything this server's tools need from the outside world, built once per host from its
 * environment (dependenciesFromEnv.ts). The toolkit is generic over it, so it names no domain type.
 */
export interface ToolDependencies {
  readonly snippets: SnippetStore;
  readonly weather: WeatherSettings;
  readonly invoices: InvoiceSettings;
  /** Resource Graph and Log Analytics, for the infrastructure-analysis tools. */
  readonly azureAnalysis: AzureAnalysis;
  readonly log: ToolLogger;
}

/** One of this server's tools. */
export type ServerTool = ToolDefinition<ToolDependencies>;

export const defineTool = toolDefiner<ToolDependencies>();

/** One of this server's resources (a fixed URI or a URI template). */
export type ServerResource = ResourceDefinition<ToolDependencies>;
