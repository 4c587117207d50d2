import { z } from 'zod';
import { defineTool, type ServerTool } from '../toolDependencies';
import {
  subscriptionIdsSchema,
  timespanSchema,
  workspaceIdSchema,
  type Timespan,
  type TimespanLimits,
} from './analysisArguments';
import {
  logAnalyticsReport,
  reportOutput,
  resourceGraphReport,
  type LogAnalyticsReportRequest,
  type ResourceGraphReportRequest,
} from './analysisReport';
import { RESOURCE_GRAPH } from './resourceGraph';

// The two kinds of infrastructure-analysis tool, so each tool file holds only what is its own:
// its query, the columns it reads and how it words its rows.

export interface ResourceGraphToolSpec<Schema extends z.ZodType> extends Omit<
  ResourceGraphReportRequest<Schema>,
  'subscriptionIds'
> {
  name: string;
  description: string;
  /** The structuredContent key of the rows ("servers", "patches"). */
  resultKey: string;
}

/** A tool taking `subscription_ids` and answering from one Resource Graph query. */
export function resourceGraphTool<Schema extends z.ZodType>(spec: ResourceGraphToolSpec<Schema>): ServerTool {
  const { name, description, resultKey, ...report } = spec;
  return defineTool({
    name,
    description,
    input: z.strictObject({ subscription_ids: subscriptionIdsSchema }),
    async run({ subscription_ids: subscriptionIds }, deps, signal) {
      const result = await resourceGraphReport(deps, signal, { ...report, subscriptionIds });
      return reportOutput(result.text, resultKey, result, { subscriptionIds, source: RESOURCE_GRAPH });
    },
  });
}

type ReportParts<Schema extends z.ZodType> = Omit<
  LogAnalyticsReportRequest<Schema>,
  'workspaceId' | 'timespan' | 'query' | 'emptyHint' | 'method'
>;

export interface LogAnalyticsToolSpec<Schema extends z.ZodType> extends ReportParts<Schema> {
  name: string;
  description: string;
  resultKey: string;
  timespan: TimespanLimits & { description: string };
  query: (range: Timespan) => string;
  emptyHint: (range: Timespan) => string;
  method?: (range: Timespan) => string;
  /** More structuredContent beside the rows. */
  extra: (range: Timespan) => Record<string, unknown>;
}

/** A tool taking `workspace_id` and `timespan` and answering from one Log Analytics query. */
export function logAnalyticsTool<Schema extends z.ZodType>(spec: LogAnalyticsToolSpec<Schema>): ServerTool {
  const { name, description, resultKey, timespan, query, emptyHint, method, extra, ...report } = spec;
  return defineTool({
    name,
    description,
    input: z.strictObject({
      workspace_id: workspaceIdSchema,
      timespan: timespanSchema(timespan).describe(timespan.description),
    }),
    async run({ workspace_id: workspaceId, timespan: range }, deps, signal) {
      const result = await logAnalyticsReport(deps, signal, {
        ...report,
        workspaceId,
        timespan: range,
        query: query(range),
        emptyHint: emptyHint(range),
        ...(method === undefined ? {} : { method: method(range) }),
      });
      return reportOutput(result.text, resultKey, result, {
        workspaceId,
        timespan: range.iso,
        ...extra(range),
      });
    },
  });
}
