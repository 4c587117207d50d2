// A loopback fake of the Azure Resource Graph query API, as @azure/arm-resourcegraph 5.0.0
// (ResourceGraphClient.resources) calls it. Contract: the REST specification in
// https://github.com/Azure/azure-rest-api-specs/tree/main/specification/resourcegraph/resource-manager/Microsoft.ResourceGraph/ResourceGraph/ResourceGraph
// (examples/2022-10-01/ResourcesFirstPageQuery.json, ResourcesNextPageQuery.json), the Learn REST
// reference "Resources - Resources" (POST https://management.azure.com/providers/
// Microsoft.ResourceGraph/resources?api-version=…), and Learn's "Paging Resource Graph results"
// and "Guidance for throttled requests":
// - the body is {subscriptions: [guid…], query, options: {$top, $skip, $skipToken, resultFormat}};
//   $top is 1-1000 (default 100); results page only when the query projects `id`;
// - the answer is {totalRecords, count, resultTruncated: "true"|"false", $skipToken?, data, facets};
//   data is an array of objects (resultFormat objectArray, the default since 2021-03-01) or
//   {columns: [{name, type}], rows} (table); `resultTruncated` is "true" without a $skipToken when
//   paging is not possible;
// - errors are ARM's {"error": {"code", "message", "details": [{code, message}]}}; throttling is a
//   429 with Retry-After and the x-ms-user-quota-* headers; a token for another audience is a 401
//   InvalidAuthenticationTokenAudience.
// The SDK sends api-version 2024-04-01 (its dist/commonjs/api/operations.js); earlier stable
// versions are accepted too. The fake does not run KQL: a test registers rows for queries that
// match a pattern, and the fake pages, scopes and counts them as the service would.
import { startAzureJsonService, type AzureJsonService, type FakeResponse } from './azureJsonService';

const knownApiVersions = new Set(['2019-04-01', '2021-03-01', '2022-10-01', '2024-04-01']);
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ResourceGraphDataset {
  /** Which queries this dataset answers (tested against the KQL text). */
  query: RegExp;
  /** What the query would project. A row with a `subscriptionId` is only seen from that subscription. */
  rows: Record<string, unknown>[];
  /** Answer as the service does when paging is impossible: resultTruncated "true", no $skipToken. */
  truncateAt?: number;
}

export interface FakeResourceGraph extends AzureJsonService {
  /** Registers rows for matching queries (later registrations win). */
  addDataset(dataset: ResourceGraphDataset): void;
  /** Requests naming this subscription get ARM's 403 AuthorizationFailed. */
  denySubscription(subscriptionId: string): void;
  /** The POST bodies received, in order. */
  queries(): { subscriptions: string[]; query: string; options: Record<string, unknown> }[];
}

export interface FakeResourceGraphOptions {
  /** The most rows one page holds whatever $top asks (the service limits by response size too). */
  maxPageSize?: number;
}

export const armErrorBody = (
  code: string,
  message: string,
  details: { code: string; message: string }[] = [],
) => ({
  error: { code, message, ...(details.length > 0 ? { details } : {}) },
});

export async function startFakeResourceGraph(
  options: FakeResourceGraphOptions = {},
): Promise<FakeResourceGraph> {
  const datasets: ResourceGraphDataset[] = [];
  const denied = new Set<string>();
  const maxPageSize = options.maxPageSize ?? 1000;
  const fail = (
    status: number,
    code: string,
    message: string,
    details: { code: string; message: string }[] = [],
  ) => ({
    status,
    body: armErrorBody(code, message, details),
  });

  const route = (request: {
    method: string;
    path: string;
    query: URLSearchParams;
    body: unknown;
  }): FakeResponse => {
    if (request.path.toLowerCase() !== '/providers/microsoft.resourcegraph/resources') {
      return fail(404, 'NotFound', `No route for ${request.method} ${request.path}.`);
    }
    if (request.method !== 'POST') {
      return fail(405, 'MethodNotAllowed', `The requested method ${request.method} is not allowed.`);
    }
    const apiVersion = request.query.get('api-version');
    if (!apiVersion) {
      return fail(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
    }
    if (!knownApiVersions.has(apiVersion)) {
      return fail(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid.`);
    }
    const body = request.body as
      { subscriptions?: unknown; query?: unknown; options?: Record<string, unknown> | null } | undefined;
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof body.query !== 'string' ||
      body.query.trim() === ''
    ) {
      return fail(400, 'BadRequest', 'Please provide below info when asking for support: …', [
        {
          code: 'InvalidRequestContent',
          message: 'The request content was invalid and could not be deserialized.',
        },
      ]);
    }
    const subscriptions = Array.isArray(body.subscriptions) ? body.subscriptions : [];
    if (subscriptions.length === 0 || !subscriptions.every((s) => typeof s === 'string' && guid.test(s))) {
      return fail(400, 'BadRequest', 'Please provide below info when asking for support: …', [
        { code: 'InvalidSubscriptionId', message: 'Subscription ids must be GUIDs.' },
      ]);
    }
    const refused = (subscriptions as string[]).find((s) => denied.has(s.toLowerCase()));
    if (refused !== undefined) {
      return fail(
        403,
        'AuthorizationFailed',
        `The client '00000000-0000-0000-0000-0000000000a1' with object id '00000000-0000-0000-0000-0000000000a1' does not ` +
          `have authorization to perform action 'Microsoft.ResourceGraph/resources/read' over scope '/subscriptions/${refused}' ` +
          'or the scope is invalid. If access was recently granted, please refresh your credentials.',
      );
    }
    const queryOptions = body.options ?? {};
    const top = queryOptions['$top'] ?? 100;
    if (typeof top !== 'number' || !Number.isInteger(top) || top < 1 || top > 1000) {
      return fail(400, 'BadRequest', 'Please provide below info when asking for support: …', [
        { code: 'InvalidTopValue', message: '$top must be an integer from 1 to 1000.' },
      ]);
    }
    const dataset = [...datasets].reverse().find((d) => d.query.test(body.query as string));
    const inScope = new Set((subscriptions as string[]).map((s) => s.toLowerCase()));
    const rows = (dataset?.rows ?? []).filter(
      (row) => typeof row['subscriptionId'] !== 'string' || inScope.has(row['subscriptionId'].toLowerCase()),
    );
    const skipToken = queryOptions['$skipToken'];
    let offset = typeof queryOptions['$skip'] === 'number' ? queryOptions['$skip'] : 0;
    if (skipToken !== undefined) {
      const decoded = decodeSkipToken(skipToken);
      if (decoded === undefined) {
        return fail(400, 'BadRequest', 'Please provide below info when asking for support: …', [
          { code: 'InvalidSkipToken', message: 'The skip token is invalid or expired.' },
        ]);
      }
      offset = decoded;
    }
    const truncated = dataset?.truncateAt !== undefined && rows.length > dataset.truncateAt;
    const available = truncated ? rows.slice(0, dataset.truncateAt) : rows;
    const page = available.slice(offset, offset + Math.min(top, maxPageSize));
    const next = offset + page.length;
    const more = !truncated && next < rows.length && page.length > 0;
    const data = queryOptions['resultFormat'] === 'table' ? asTable(page) : page;
    return {
      status: 200,
      headers: { 'x-ms-user-quota-remaining': '14', 'x-ms-user-quota-resets-after': '00:00:05' },
      body: {
        totalRecords: rows.length,
        count: page.length,
        data,
        facets: [],
        resultTruncated: truncated ? 'true' : 'false',
        ...(more ? { $skipToken: encodeSkipToken(next) } : {}),
      },
    };
  };

  const service = await startAzureJsonService({
    errorBody: (code, message) => armErrorBody(code, message),
    tokenRefusal: (reason, audience, expected) =>
      reason === 'missing'
        ? armErrorBody(
            'AuthenticationFailed',
            "Authentication failed. The 'Authorization' header is missing.",
          )
        : armErrorBody(
            'InvalidAuthenticationTokenAudience',
            `The access token has been obtained for wrong audience or resource '${audience ?? ''}'. It should exactly match with one of the allowed audiences '${expected}'.`,
          ),
    route,
  });

  return {
    ...service,
    addDataset: (dataset) => datasets.push(dataset),
    denySubscription: (subscriptionId) => denied.add(subscriptionId.toLowerCase()),
    queries: () =>
      service.requests
        .map((r) => r.body as { subscriptions: string[]; query: string; options?: Record<string, unknown> })
        .filter((b) => typeof b === 'object' && b !== null && typeof b.query === 'string')
        .map((b) => ({ subscriptions: b.subscriptions, query: b.query, options: b.options ?? {} })),
  };
}

// Real skip tokens are opaque base64; this one carries the next offset.
function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ fakeOffset: offset })).toString('base64');
}

function decodeSkipToken(token: unknown): number | undefined {
  if (typeof token !== 'string') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { fakeOffset?: unknown };
    return typeof parsed.fakeOffset === 'number' ? parsed.fakeOffset : undefined;
  } catch {
    return undefined;
  }
}

function asTable(rows: Record<string, unknown>[]): {
  columns: { name: string; type: string }[];
  rows: unknown[][];
} {
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const typeOf = (value: unknown) =>
    typeof value === 'number'
      ? Number.isInteger(value)
        ? 'integer'
        : 'number'
      : typeof value === 'object'
        ? 'object'
        : 'string';
  return {
    columns: names.map((name) => ({ name, type: typeOf(rows.find((row) => row[name] != null)?.[name]) })),
    rows: rows.map((row) => names.map((name) => row[name] ?? null)),
  };
}
