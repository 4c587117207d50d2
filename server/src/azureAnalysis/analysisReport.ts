import type { z } from 'zod';
import type { ToolDependencies } from '../toolDependencies';
import type { ToolOutput } from '../toolkit/tool';
import type { LogAnalyticsQuery } from './logAnalytics';
import { LOG_ANALYTICS } from './logAnalytics';
import { RESOURCE_GRAPH } from './resourceGraph';
import {
  markdownTable,
  moreNotShown,
  plural,
  ROW_CAP,
  rowCounts,
  type Column,
  type RowCounts,
} from './resultTable';
import { parseUpstreamRows } from './upstreamRows';

// The common shape of the five infrastructure-analysis tools: run one query, check its rows, and
// answer with a heading, a capped Markdown table and the same rows as structuredContent.

/** How a tool names what its rows are. */
export interface RowNoun {
  singular: string;
  plural: string;
  /** What "No … found" names, when that is not simply the plural. */
  none?: string;
}

export interface ResourceGraphReportRequest<Schema extends z.ZodType> {
  subscriptionIds: readonly string[];
  query: string;
  row: Schema;
  noun: RowNoun;
  columns: readonly Column<z.infer<Schema>>[];
  /** A sentence after the heading (what the rows mean), or '' for none. */
  summary?: (rows: z.infer<Schema>[]) => string;
  /** Completes "…not shown; <narrowing>." */
  narrowing: string;
  /** Another reason there may be no rows, and what to check, said when there are none. */
  emptyHint?: string;
}

export interface Report<Row> {
  rows: Row[];
  counts: RowCounts;
  text: string;
}

export async function resourceGraphReport<Schema extends z.ZodType>(
  deps: ToolDependencies,
  signal: AbortSignal,
  request: ResourceGraphReportRequest<Schema>,
): Promise<Report<z.infer<Schema>>> {
  const result = await deps.azureAnalysis.queryResourceGraph(
    { query: request.query, subscriptionIds: request.subscriptionIds, maxRows: ROW_CAP },
    signal,
  );
  const rows = parseUpstreamRows(RESOURCE_GRAPH, result.rows, request.row);
  // When Resource Graph truncates without a skip token, totalRecords still counts every match.
  const counts = rowCounts(rows.length, result.totalRecords, true);
  const where = `in ${plural(request.subscriptionIds.length, 'subscription')} (${RESOURCE_GRAPH})`;
  if (rows.length === 0) {
    const text =
      `No ${request.noun.none ?? request.noun.plural} found ${where}. Resource Graph only returns what ${deps.azureAnalysis.identity} ` +
      `may read: if you expected some, grant it the "Reader" role on ${request.subscriptionIds.length === 1 ? 'the subscription' : 'each subscription'}.` +
      (request.emptyHint ? ` ${request.emptyHint}` : '');
    return { rows, counts, text };
  }
  const heading = `${plural(counts.total, request.noun.singular, request.noun.plural)} ${where}:`;
  const more = result.truncatedByService
    ? `${RESOURCE_GRAPH} cut its result short at ${plural(rows.length, 'row')} of ${counts.total}, so ` +
      `${plural(counts.notShown, 'more row')} cannot be shown; ${request.narrowing}.`
    : moreNotShown(counts, request.narrowing);
  const text = [heading, request.summary?.(rows) ?? '', markdownTable(request.columns, rows), more]
    .filter((part) => part !== '')
    .join('\n\n');
  return { rows, counts, text };
}

export interface LogAnalyticsReportRequest<Schema extends z.ZodType> extends LogAnalyticsQuery {
  row: Schema;
  noun: RowNoun;
  columns: readonly Column<z.infer<Schema>>[];
  /** How many rows the query returns at most (its `take`/`top`): reaching it means there may be more. */
  fetchLimit: number;
  summary?: (rows: z.infer<Schema>[]) => string;
  /** Says why there may be no rows, and what to check. */
  emptyHint: string;
  narrowing: string;
  /** Said before the table (how the rows were found), or '' for nothing. */
  method?: string;
}

export async function logAnalyticsReport<Schema extends z.ZodType>(
  deps: ToolDependencies,
  signal: AbortSignal,
  request: LogAnalyticsReportRequest<Schema>,
): Promise<Report<z.infer<Schema>> & { partialError?: string }> {
  const { row, noun, columns, fetchLimit, summary, emptyHint, narrowing, method, ...query } = request;
  const result = await deps.azureAnalysis.queryLogAnalytics(query, signal);
  const all = parseUpstreamRows(LOG_ANALYTICS, result.rows, row);
  const rows = all.slice(0, ROW_CAP);
  const counts = rowCounts(rows.length, all.length, all.length < fetchLimit);
  const where = `in the last ${describeMinutes(query.timespan.minutes)} (${LOG_ANALYTICS} workspace ${query.workspaceId})`;
  const partial =
    result.partialError === undefined
      ? ''
      : `Warning: ${LOG_ANALYTICS} returned a partial result, so rows may be missing: ${result.partialError}`;
  const parts =
    rows.length === 0
      ? [`No ${noun.none ?? noun.plural} found ${where}. ${emptyHint}`, method ?? '', partial]
      : [
          `${counts.totalIsExact ? '' : 'At least '}${plural(counts.total, noun.singular, noun.plural)} ${where}:`,
          method ?? '',
          partial,
          summary?.(rows) ?? '',
          markdownTable(columns, rows),
          moreNotShown(counts, narrowing),
        ];
  const text = parts.filter((part) => part !== '').join('\n\n');
  return {
    rows,
    counts,
    text,
    ...(result.partialError === undefined ? {} : { partialError: result.partialError }),
  };
}

/** "1 day", "6 hours", "1 day 12 hours": a number of minutes for people. */
export function describeMinutes(totalMinutes: number): string {
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  return (
    [days && plural(days, 'day'), hours && plural(hours, 'hour'), minutes && plural(minutes, 'minute')]
      .filter(Boolean)
      .join(' ') || '0 minutes'
  );
}

/** The structuredContent every analysis tool returns, around its own `rows` key. */
export function reportOutput(
  text: string,
  key: string,
  report: Report<unknown> & { partialError?: string },
  extra: Record<string, unknown>,
): ToolOutput {
  return {
    text,
    structured: {
      ...extra,
      [key]: report.rows,
      counts: report.counts,
      ...(report.partialError === undefined ? {} : { partialError: report.partialError }),
    },
  };
}
