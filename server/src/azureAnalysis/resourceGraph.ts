import { z } from 'zod';
import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { AzureAnalysisSettings } from './analysisSettings';
import { RESOURCE_MANAGER_ENDPOINT_VARIABLE } from './analysisSettings';
import { callAzure, unreadableAnswer, type AzureCallContext } from './azureFailures';
import { analysisClientOptions } from './clientOptions';

export const RESOURCE_GRAPH = 'Azure Resource Graph';

export interface ResourceGraphQuery {
  /** KQL; it must project `id`, which Resource Graph needs to page results in a stable order. */
  query: string;
  subscriptionIds: readonly string[];
  /** Stop fetching once this many rows are in hand (totalRecords still counts the rest). */
  maxRows: number;
}

export interface ResourceGraphRows {
  rows: Record<string, unknown>[];
  /** How many rows match the query, as Resource Graph counts them. */
  totalRecords: number;
  /** Resource Graph cut the result short without a way to page on (`resultTruncated` and no `$skipToken`). */
  truncatedByService: boolean;
}

// The largest page Resource Graph serves ($top), and a bound on pages in case it keeps sending a
// $skipToken without rows.
const maxPageSize = 1000;
const maxPages = 50;

// Only what paging needs is checked here; each tool checks the columns its query projects.
const queryResponse = z.object({
  totalRecords: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  resultTruncated: z.enum(['true', 'false']),
  skipToken: z.string().min(1).optional().nullable(),
  data: z.array(z.record(z.string(), z.unknown())),
});

export function resourceGraphQueries(settings: AzureAnalysisSettings) {
  let client: Promise<ResourceGraphClient> | undefined;
  // Loaded on first use: a server whose tools never reach Resource Graph never loads its SDK.
  const connect = async (): Promise<ResourceGraphClient> => {
    const { ResourceGraphClient } = await import('@azure/arm-resourcegraph');
    return new ResourceGraphClient(
      settings.credential,
      analysisClientOptions(settings, settings.resourceManagerEndpoint, settings.resourceManagerEndpoint),
    );
  };

  return async (request: ResourceGraphQuery, signal: AbortSignal): Promise<ResourceGraphRows> => {
    const context: AzureCallContext = {
      service: RESOURCE_GRAPH,
      endpointVariable: RESOURCE_MANAGER_ENDPOINT_VARIABLE,
      identity: settings.identity,
      requiredAccess: readerAccess(request.subscriptionIds),
      timeoutMs: settings.timeoutMs,
    };
    return callAzure(context, signal, async (abortSignal) => {
      client ??= connect();
      const graph = await client;
      const rows: Record<string, unknown>[] = [];
      let totalRecords = 0;
      let truncatedByService = false;
      let skipToken: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        const response = parsePage(
          await graph.resources(
            {
              subscriptions: [...request.subscriptionIds],
              query: request.query,
              options: {
                resultFormat: 'objectArray',
                top: Math.min(maxPageSize, request.maxRows - rows.length),
                ...(skipToken === undefined ? {} : { skipToken }),
              },
            },
            { abortSignal },
          ),
        );
        rows.push(...response.data);
        totalRecords = Math.max(response.totalRecords, rows.length);
        skipToken = response.skipToken ?? undefined;
        truncatedByService = response.resultTruncated === 'true' && skipToken === undefined;
        if (skipToken === undefined || rows.length >= request.maxRows || response.data.length === 0) break;
      }
      return { rows: rows.slice(0, request.maxRows), totalRecords, truncatedByService };
    });
  };
}

function parsePage(body: unknown): z.infer<typeof queryResponse> {
  const parsed = queryResponse.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'the body';
  throw unreadableAnswer(RESOURCE_GRAPH, ` ("${field}": ${issue?.message ?? 'invalid'})`);
}

/** What to grant when Resource Graph refuses: Reader is the least role that lets it see the resources. */
function readerAccess(subscriptionIds: readonly string[]): string {
  const scope =
    subscriptionIds.length === 1
      ? `subscription ${subscriptionIds[0]}`
      : `each of the subscriptions ${subscriptionIds.join(', ')}`;
  return `the "Reader" role on ${scope}`;
}
