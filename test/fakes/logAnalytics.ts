// A loopback fake of the Azure Monitor Log Analytics query API (v1), as @azure/monitor-query-logs
// 1.0.0 (LogsQueryClient.queryWorkspace) calls it. Contract: the REST specification
// https://github.com/Azure/azure-rest-api-specs/blob/main/specification/operationalinsights/data-plane/Microsoft.OperationalInsights/stable/v1/OperationalInsights.json
// with examples/oms-post-example.json beside it, and the Learn pages
// https://learn.microsoft.com/azure/azure-monitor/logs/api/request-format, …/response-format and …/errors:
// - POST {endpoint}/v1/workspaces/{workspaceId}/query with {query, timespan (ISO 8601), workspaces?};
//   a `Prefer: wait=N` header sets the server time-out;
// - 200 {tables: [{name: "PrimaryResult", columns: [{name, type}], rows: [[…]]}]}, datetime cells as
//   ISO 8601 text and dynamic cells as JSON text; a partial result adds an "error" beside the
//   tables: {code: "PartialError", message, details: [{code, message, innererror: {code, message}}]};
// - errors are {"error": {"code", "message", "innererror"?: {code, message}}}: 400 BadArgumentError
//   (SyntaxError / SemanticError inner codes, e.g. a table the workspace lacks), 401 InvalidTokenError,
//   403 InsufficientAccessError, 429 with Retry-After. The 404 for an unknown workspace ID is
//   modelled as WorkspaceNotFoundError (its exact body is UNCONFIRMED).
// The fake does not run KQL: a test registers a result table for queries matching a pattern.
import { startAzureJsonService, type AzureJsonService, type FakeResponse } from './azureJsonService';

export interface LogAnalyticsColumn {
  name: string;
  /** Kusto types: string, datetime, long, real, int, bool, dynamic, guid, timespan. */
  type: string;
}

export interface LogAnalyticsDataset {
  /** Which queries this dataset answers (tested against the KQL text). */
  query: RegExp;
  columns: LogAnalyticsColumn[];
  rows: unknown[][];
  /** Answer with these rows and a PartialError naming this inner message. */
  partialError?: string;
  /** Refuse the query as the service does when it names a table the workspace lacks. */
  missingTable?: string;
}

export interface FakeLogAnalytics extends AzureJsonService {
  addWorkspace(workspaceId: string): void;
  addDataset(workspaceId: string, dataset: LogAnalyticsDataset): void;
  /** Queries on this workspace get 403 InsufficientAccessError. */
  denyWorkspace(workspaceId: string): void;
  /** The bodies received, with the workspace each went to. */
  queries(): { workspaceId: string; query: string; timespan: string | undefined; prefer?: string }[];
}

export const logAnalyticsErrorBody = (
  code: string,
  message: string,
  inner?: { code: string; message: string },
) => ({
  error: {
    message,
    code,
    correlationId: '00000000-0000-0000-0000-0000000000c0',
    ...(inner ? { innererror: inner } : {}),
  },
});

const isoDuration = /^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export async function startFakeLogAnalytics(): Promise<FakeLogAnalytics> {
  const workspaces = new Map<string, LogAnalyticsDataset[]>();
  const denied = new Set<string>();
  const fail = (
    status: number,
    code: string,
    message: string,
    inner?: { code: string; message: string },
  ) => ({
    status,
    body: logAnalyticsErrorBody(code, message, inner),
  });

  const route = (request: { method: string; path: string; body: unknown }): FakeResponse => {
    const match = /^\/v1\/workspaces\/([^/]+)\/query$/i.exec(request.path);
    if (!match) return fail(404, 'PathNotFoundError', 'The requested path does not exist');
    if (request.method !== 'POST')
      return fail(405, 'MethodNotAllowed', `${request.method} is not allowed here.`);
    const workspaceId = decodeURIComponent(match[1] ?? '').toLowerCase();
    const body = request.body as { query?: unknown; timespan?: unknown } | undefined;
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof body.query !== 'string' ||
      body.query.trim() === ''
    ) {
      return fail(400, 'BadArgumentError', 'The request had some invalid properties', {
        code: 'QueryValidationError',
        message: 'Query is missing or empty.',
      });
    }
    if (
      body.timespan !== undefined &&
      (typeof body.timespan !== 'string' || !isoDuration.test(body.timespan))
    ) {
      return fail(400, 'BadArgumentError', 'The request had some invalid properties', {
        code: 'InvalidTimespan',
        message: `The timespan '${JSON.stringify(body.timespan)}' is not a valid ISO 8601 duration or interval.`,
      });
    }
    const datasets = workspaces.get(workspaceId);
    if (datasets === undefined) {
      return fail(404, 'WorkspaceNotFoundError', `Workspace '${workspaceId}' could not be found.`);
    }
    if (denied.has(workspaceId)) {
      return fail(
        403,
        'InsufficientAccessError',
        'The provided credentials have insufficient access to perform the requested operation',
      );
    }
    const dataset = [...datasets].reverse().find((d) => d.query.test(body.query as string));
    if (dataset?.missingTable !== undefined) {
      return fail(400, 'BadArgumentError', 'The request had some invalid properties', {
        code: 'SemanticError',
        message: `'where' operator: Failed to resolve table or column expression named '${dataset.missingTable}'`,
      });
    }
    const table = {
      name: 'PrimaryResult',
      columns: dataset?.columns ?? [],
      rows: dataset?.rows ?? [],
    };
    return {
      status: 200,
      body: {
        tables: [table],
        ...(dataset?.partialError === undefined
          ? {}
          : {
              error: {
                code: 'PartialError',
                message: 'There were some errors when processing your query.',
                details: [
                  {
                    code: 'EngineError',
                    message: 'Something went wrong processing your query on the server.',
                    innererror: {
                      code: '-2133196797',
                      message: dataset.partialError,
                      severity: 2,
                      severityName: 'Error',
                    },
                  },
                ],
              },
            }),
      },
    };
  };

  const service = await startAzureJsonService({
    errorBody: (code, message) => logAnalyticsErrorBody(code, message),
    tokenRefusal: (reason, audience) =>
      reason === 'missing'
        ? logAnalyticsErrorBody('AuthorizationRequiredError', 'Valid authentication was not provided')
        : logAnalyticsErrorBody(
            'InvalidTokenError',
            'The provided authentication is not valid for this resource',
            {
              code: 'TokenError',
              message: `The Audience '${audience ?? ''}' is invalid`,
            },
          ),
    route,
  });

  return {
    ...service,
    addWorkspace: (workspaceId) => {
      if (!workspaces.has(workspaceId.toLowerCase())) workspaces.set(workspaceId.toLowerCase(), []);
    },
    addDataset: (workspaceId, dataset) => {
      const id = workspaceId.toLowerCase();
      workspaces.set(id, [...(workspaces.get(id) ?? []), dataset]);
    },
    denyWorkspace: (workspaceId) => denied.add(workspaceId.toLowerCase()),
    queries: () =>
      service.requests.flatMap((r) => {
        const body = r.body as { query?: unknown; timespan?: unknown } | undefined;
        const workspaceId = /^\/v1\/workspaces\/([^/]+)\/query$/i.exec(r.path)?.[1];
        if (typeof body !== 'object' || body === null || typeof body.query !== 'string' || !workspaceId)
          return [];
        return [
          {
            workspaceId: workspaceId.toLowerCase(),
            query: body.query,
            timespan: typeof body.timespan === 'string' ? body.timespan : undefined,
            ...(r.headers['prefer'] === undefined ? {} : { prefer: r.headers['prefer'] }),
          },
        ];
      }),
  };
}
