import type { SnippetStore } from '../snippets/snippetStore';
import type { WeatherSettings } from '../weather/openMeteo';
import type { InvoiceSettings } from '../invoices/invoiceSettings';
import type { AzureAnalysis } from '../azureAnalysis/azureAnalysis';

/** Everything tools need from the outside world, built once per host from its environment. */
export interface ToolDependencies {
  readonly snippets: SnippetStore;
  readonly weather: WeatherSettings;
  readonly invoices: InvoiceSettings;
  /** Resource Graph and Log Analytics, for the infrastructure-analysis tools. */
  readonly azureAnalysis: AzureAnalysis;
  readonly log: ToolLogger;
}

export interface ToolLogger {
  warn(message: string): void;
  error(message: string): void;
}
