import { z } from 'zod';
import type { LogsQueryClient } from '@azure/monitor-query-logs';
import type { AzureAnalysisSettings } from './analysisSettings';
import { LOG_ANALYTICS_ENDPOINT_VARIABLE } from './analysisSettings';
import { callAzure, unreadableAnswer, type AzureCallContext } from './azureFailures';
import { analysisClientOptions } from './clientOptions';
import type { Timespan } from './analysisArguments';

export const LOG_ANALYTICS = 'Log Analytics';

export interface LogAnalyticsQuery {
  workspaceId: string;
  query: string;
  /** Also sent as the request's timespan, so the service bounds the scan even if the KQL did not. */
  timespan: Timespan;
  /** Tool-specific wording for the service's error codes (a table the workspace lacks, say). */
  explain?: AzureCallContext['explain'];
}

export interface LogAnalyticsRows {
  columns: string[];
  /** Each row keyed by column name; datetime cells as ISO 8601 strings. */
  rows: Record<string, unknown>[];
  /** Set when the service answered with some rows and an error (a partial result). */
  partialError?: string;
}

// Shapes of what LogsQueryClient returns; checked because it passes the body through unvalidated.
const table = z.object({
  name: z.string(),
  columnDescriptors: z.array(z.object({ name: z.string().min(1), type: z.string().optional() })),
  rows: z.array(z.array(z.unknown())),
});
const errorInfo = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
  details: z
    .array(
      z.object({
        code: z.string().optional(),
        message: z.string().optional(),
        innererror: z.object({ code: z.string().optional(), message: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});
const queryResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('Success'), tables: z.array(table) }),
  z.object({ status: z.literal('PartialFailure'), partialTables: z.array(table), partialError: errorInfo }),
]);

export function logAnalyticsQueries(settings: AzureAnalysisSettings) {
  let client: Promise<LogsQueryClient> | undefined;
  // Loaded on first use, like the Resource Graph client.
  const connect = async (): Promise<LogsQueryClient> => {
    const { LogsQueryClient } = await import('@azure/monitor-query-logs');
    // With `endpoint` set the client adds no API version to the path: it must carry /v1 itself.
    return new LogsQueryClient(
      settings.credential,
      analysisClientOptions(settings, `${settings.logAnalyticsEndpoint}/v1`, settings.logAnalyticsEndpoint),
    );
  };

  return async (request: LogAnalyticsQuery, signal: AbortSignal): Promise<LogAnalyticsRows> => {
    const context: AzureCallContext = {
      service: LOG_ANALYTICS,
      endpointVariable: LOG_ANALYTICS_ENDPOINT_VARIABLE,
      identity: settings.identity,
      requiredAccess: `the "Log Analytics Reader" role on the workspace whose workspace ID is ${request.workspaceId}`,
      timeoutMs: settings.timeoutMs,
      explain: (failure) =>
        request.explain?.(failure) ?? explainWorkspaceFailure(failure, request.workspaceId),
    };
    return callAzure(context, signal, async (abortSignal) => {
      client ??= connect();
      const logs = await client;
      const result = await logs.queryWorkspace(
        request.workspaceId,
        request.query,
        { duration: request.timespan.iso },
        {
          abortSignal,
          // This client drops abortSignal; a per-request time-out at least frees the connection.
          requestOptions: { timeout: settings.timeoutMs },
          // Ask the service to give up no later than this tool would (it allows 10 minutes at most).
          serverTimeoutInSeconds: Math.min(600, Math.ceil(settings.timeoutMs / 1000)),
        },
      );
      const parsed = queryResult.safeParse(result);
      if (!parsed.success) throw unreadable();
      if (parsed.data.status === 'Success') return rowsOf(parsed.data.tables);
      return {
        ...rowsOf(parsed.data.partialTables),
        partialError: describePartialError(parsed.data.partialError),
      };
    });
  };
}

function rowsOf(tables: z.infer<typeof table>[]): Omit<LogAnalyticsRows, 'partialError'> {
  // A query's result is its first table ("PrimaryResult"); later ones hold statistics.
  const primary = tables[0];
  if (primary === undefined) throw unreadable();
  const columns = primary.columnDescriptors.map((column) => column.name);
  const rows = primary.rows.map((cells) => {
    if (cells.length !== columns.length) throw unreadable();
    const row: Record<string, unknown> = {};
    // The client turns datetime cells into Dates; tools and structuredContent want the ISO text.
    columns.forEach((column, index) => {
      const value = cells[index];
      row[column] = value instanceof Date ? value.toISOString() : value;
    });
    return row;
  });
  return { columns, rows };
}

function describePartialError(error: z.infer<typeof errorInfo>): string {
  const detail = error.details?.[0];
  const inner = detail?.innererror?.message ?? detail?.message;
  const parts = [error.message, inner].filter((part): part is string => part !== undefined && part !== '');
  return parts.join(' ').replace(/\s+/g, ' ').trim() || 'The service did not say what failed.';
}

function explainWorkspaceFailure(
  failure: { status: number; code: string },
  workspaceId: string,
): string | undefined {
  if (failure.status === 404) {
    return (
      `There is no Log Analytics workspace with the workspace ID ${workspaceId}, or ${LOG_ANALYTICS} cannot see it. ` +
      "Copy the workspace ID from the workspace's Overview page"
    );
  }
  return undefined;
}

function unreadable() {
  return unreadableAnswer(LOG_ANALYTICS);
}
