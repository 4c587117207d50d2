// A loopback stand-in for Azure AI Content Understanding's analyze API, imitating its REST contract
// (azure-rest-api-specs, specification/ai/data-plane/ContentUnderstanding/stable/2025-11-01/
// ContentUnderstanding.json, and the Microsoft Learn quickstart "Use the Content Understanding REST
// API"): POST {endpoint}/contentunderstanding/analyzers/{analyzerId}:analyzeBinary?api-version=...
// with the file as the body answers 202 with an Operation-Location header pointing at
// {endpoint}/contentunderstanding/analyzerResults/{operationId}?api-version=..., whose GET reports
// {id, status: NotStarted|Running|Succeeded|Failed, result?: {analyzerId, apiVersion, createdAt,
// contents: [{kind, mimeType, markdown, pages, fields}]}, error?}. Errors are Azure.Core
// ErrorResponse bodies {"error": {code, message, innererror?, details?}}. Keys arrive in
// Ocp-Apim-Subscription-Key, Entra tokens as "Authorization: Bearer" for the audience
// https://cognitiveservices.azure.com. Fields follow the prebuilt-invoice analyzer: strings, dates
// (valueDate), numbers, amounts as objects of Amount and CurrencyCode, LineItems as an array of
// objects (as the Azure SDK for JavaScript's analyzeInvoice sample reads them).
// The 401 text is the Cognitive Services one users quote; the wording of the 403, 404,
// MissingModelDeploymentMapping and other refusals is this fake's own, in the service's shapes.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  sampleInvoices,
  sampleTotals,
  type SampleInvoice,
} from '../../server/dev/sampleInvoices/sampleInvoices';

export const FAKE_CU_API_KEY = 'fake-content-understanding-key-0123456789abcdef';
export const COGNITIVE_SERVICES_AUDIENCE = 'https://cognitiveservices.azure.com';
const apiVersions = new Set(['2025-11-01', '2025-05-01-preview']);
const analyzers = new Set(['prebuilt-invoice', 'prebuilt-document', 'prebuilt-read']);

/** How the fake answers; anything but `normal` imitates the service or the resource in trouble. */
export type FakeCuBehaviour =
  /** Operations report Running `runningPolls` times (default 1), then Succeeded. */
  | { kind: 'normal'; runningPolls?: number }
  /** The analyze request is refused with 429 `times` times, with a Retry-After header, then served normally. */
  | { kind: 'throttle'; times: number; retryAfterSeconds: number }
  /** The resource has no default model deployments: refused at submission, or failing the operation. */
  | { kind: 'missingDeployments'; at: 'submit' | 'operation' }
  /** The analyze request (submit) or every status request (poll) gets this answer verbatim. */
  | {
      kind: 'respond';
      at: 'submit' | 'poll';
      status: number;
      body: unknown;
      headers?: Record<string, string>;
    }
  /** The operation succeeds with this `result`, for malformed-result tests. */
  | { kind: 'result'; result: unknown }
  /** The operation stays Running. */
  | { kind: 'neverFinishes' }
  /** The operation fails with this error. */
  | { kind: 'fail'; error: { code: string; message: string } };

/** Amounts as 2025-11-01 returns them (objects), or as Document Intelligence-style `currency` values. */
export type FakeMoneyShape = 'object' | 'currency';

export interface RecordedCuRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  apiKey?: string;
  /** The `aud` claim of a bearer token, when one was sent. */
  bearerAudience?: string;
  contentType?: string;
  bodyBytes: number;
}

export interface FakeContentUnderstandingOptions {
  /** Grant bearer tokens access (the identity has the Cognitive Services User role); default true. */
  identityHasRole?: boolean;
  moneyShape?: FakeMoneyShape;
  /** Where the committed samples are, to recognise them by content; default server/data. */
  sampleDataDir?: string;
}

export interface FakeContentUnderstanding {
  /** What CONTENT_UNDERSTANDING_ENDPOINT would be set to. */
  endpoint: string;
  requests: RecordedCuRequest[];
  setBehaviour(behaviour: FakeCuBehaviour): void;
  setMoneyShape(shape: FakeMoneyShape): void;
  setIdentityHasRole(hasRole: boolean): void;
  /** Back to normal behaviour with no recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

interface Operation {
  analyzerId: string;
  apiVersion: string;
  mimeType: string;
  invoice: SampleInvoice | undefined;
  polls: number;
  createdAt: string;
}

type Answer = [status: number, body: unknown, headers?: Record<string, string>];

function errorBody(code: string, message: string, extra: Record<string, unknown> = {}): unknown {
  return { error: { code, message, ...extra } };
}

const missingDeploymentsMessage =
  'The analyzer requires model deployments that are not mapped. Set default model deployments for this resource.';

export async function startFakeContentUnderstanding(
  options: FakeContentUnderstandingOptions = {},
): Promise<FakeContentUnderstanding> {
  const normal: FakeCuBehaviour = { kind: 'normal' };
  let behaviour: FakeCuBehaviour = normal;
  let moneyShape: FakeMoneyShape = options.moneyShape ?? 'object';
  let identityHasRole = options.identityHasRole ?? true;
  let throttled = 0;
  const requests: RecordedCuRequest[] = [];
  const operations = new Map<string, Operation>();
  const known = recogniseSamples(options.sampleDataDir ?? path.resolve(__dirname, '../../server/data'));
  let baseUrl = '';

  function send(res: ServerResponse, [status, body, headers = {}]: Answer): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(text);
  }

  /** Key or token, as the service checks them before anything else. */
  function authProblem(record: RecordedCuRequest, method: string, route: string): Answer | undefined {
    if (record.apiKey !== undefined) {
      return record.apiKey === FAKE_CU_API_KEY
        ? undefined
        : [
            401,
            errorBody(
              '401',
              'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
            ),
          ];
    }
    if (record.bearerAudience === undefined) {
      return [401, errorBody('401', 'Access denied due to missing subscription key or bearer token.')];
    }
    if (record.bearerAudience !== COGNITIVE_SERVICES_AUDIENCE) {
      return [401, errorBody('401', `The token's audience is not ${COGNITIVE_SERVICES_AUDIENCE}.`)];
    }
    if (!identityHasRole) {
      return [
        403,
        errorBody(
          'PermissionDenied',
          `The principal lacks the required data action to perform '${method} ${route}'.`,
        ),
      ];
    }
    return undefined;
  }

  function submit(url: URL, analyzerId: string, record: RecordedCuRequest, body: Buffer): Answer {
    if (behaviour.kind === 'throttle' && throttled < behaviour.times) {
      throttled++;
      return [
        429,
        errorBody('429', 'Rate limit is exceeded. Try again later.'),
        { 'retry-after': String(behaviour.retryAfterSeconds) },
      ];
    }
    if (behaviour.kind === 'respond' && behaviour.at === 'submit') {
      return [behaviour.status, behaviour.body, behaviour.headers];
    }
    if (!analyzers.has(analyzerId)) {
      return [404, errorBody('NotFound', `Analyzer '${analyzerId}' was not found.`)];
    }
    if (behaviour.kind === 'missingDeployments' && behaviour.at === 'submit') {
      return [
        400,
        errorBody('InvalidRequest', 'Invalid request.', {
          innererror: { code: 'MissingModelDeploymentMapping', message: missingDeploymentsMessage },
        }),
      ];
    }
    if (!record.contentType) return [400, errorBody('InvalidRequest', 'Content-Type is required.')];
    if (body.length === 0) return [400, errorBody('InvalidRequest', 'The request body is empty.')];
    const id = randomUUID();
    const apiVersion = url.searchParams.get('api-version') ?? '';
    operations.set(id, {
      analyzerId,
      apiVersion,
      mimeType: record.contentType,
      invoice: known.get(sha256(body)),
      polls: 0,
      createdAt: new Date().toISOString(),
    });
    const location = `${baseUrl}/contentunderstanding/analyzerResults/${id}?api-version=${encodeURIComponent(apiVersion)}`;
    return [202, { id, status: 'NotStarted' }, { 'operation-location': location }];
  }

  function poll(id: string): Answer {
    if (behaviour.kind === 'respond' && behaviour.at === 'poll') {
      return [behaviour.status, behaviour.body, behaviour.headers];
    }
    const operation = operations.get(id);
    if (!operation) return [404, errorBody('NotFound', `Operation '${id}' was not found.`)];
    operation.polls++;
    const runningPolls = behaviour.kind === 'normal' ? (behaviour.runningPolls ?? 1) : 1;
    if (behaviour.kind === 'neverFinishes' || operation.polls <= runningPolls) {
      return [200, { id, status: 'Running' }];
    }
    if (behaviour.kind === 'missingDeployments') {
      const error = {
        code: 'InvalidRequest',
        message: 'The analysis failed.',
        details: [{ code: 'MissingModelDeploymentMapping', message: missingDeploymentsMessage }],
      };
      return [200, { id, status: 'Failed', error }];
    }
    if (behaviour.kind === 'fail') return [200, { id, status: 'Failed', error: behaviour.error }];
    const result = behaviour.kind === 'result' ? behaviour.result : analyzeResult(operation, moneyShape);
    return [200, { id, status: 'Succeeded', result }];
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const record: RecordedCuRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      bodyBytes: body.length,
      ...authOf(req),
      ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
    };
    requests.push(record);

    const analyze = /^\/contentunderstanding\/analyzers\/([^/:]+):analyzeBinary$/.exec(url.pathname);
    const result = /^\/contentunderstanding\/analyzerResults\/([^/]+)$/.exec(url.pathname);
    if (!analyze && !result) return send(res, [404, errorBody('404', 'Resource not found')]);
    const unauthorised = authProblem(record, req.method ?? '', url.pathname);
    if (unauthorised) return send(res, unauthorised);
    const apiVersion = url.searchParams.get('api-version');
    if (apiVersion === null || !apiVersions.has(apiVersion)) {
      return send(res, [
        400,
        errorBody('UnsupportedApiVersion', `The API version '${apiVersion ?? ''}' is not supported.`),
      ]);
    }
    if (analyze) {
      if (req.method !== 'POST') return send(res, [405, errorBody('405', 'Method not allowed')]);
      return send(res, submit(url, decodeURIComponent(analyze[1] ?? ''), record, body));
    }
    if (req.method !== 'GET') return send(res, [405, errorBody('405', 'Method not allowed')]);
    return send(res, poll(result?.[1] ?? ''));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint: baseUrl,
    requests,
    setBehaviour(next) {
      behaviour = next;
      throttled = 0;
    },
    setMoneyShape(shape) {
      moneyShape = shape;
    },
    setIdentityHasRole(hasRole) {
      identityHasRole = hasRole;
    },
    reset() {
      behaviour = normal;
      throttled = 0;
      moneyShape = options.moneyShape ?? 'object';
      identityHasRole = options.identityHasRole ?? true;
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function authOf(req: IncomingMessage): Pick<RecordedCuRequest, 'apiKey' | 'bearerAudience'> {
  const key = req.headers['ocp-apim-subscription-key'];
  if (typeof key === 'string') return { apiKey: key };
  const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer === undefined) return {};
  // The real service verifies the signature; the fake checks only whom the token is for.
  try {
    const payload = JSON.parse(Buffer.from(bearer.split('.')[1] ?? '', 'base64url').toString()) as {
      aud?: unknown;
    };
    return { bearerAudience: typeof payload.aud === 'string' ? payload.aud : '' };
  } catch {
    return { bearerAudience: '' };
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The committed samples by content, so the fake "reads" exactly the invoice each file shows. */
function recogniseSamples(dataDir: string): Map<string, SampleInvoice> {
  const known = new Map<string, SampleInvoice>();
  for (const invoice of sampleInvoices) {
    try {
      known.set(sha256(readFileSync(path.join(dataDir, invoice.fileName))), invoice);
    } catch {
      // A sample that is not there is not recognised; the generator test reports it.
    }
  }
  return known;
}

function analyzeResult(operation: Operation, moneyShape: FakeMoneyShape): unknown {
  const isImage = operation.mimeType.startsWith('image/');
  return {
    analyzerId: operation.analyzerId,
    apiVersion: operation.apiVersion,
    createdAt: operation.createdAt,
    warnings: [],
    contents: [
      {
        kind: 'document',
        mimeType: operation.mimeType,
        markdown: operation.invoice ? `# INVOICE\n\n${operation.invoice.vendor.name}\n` : '',
        startPageNumber: 1,
        endPageNumber: 1,
        unit: isImage ? 'pixel' : 'inch',
        pages: [
          isImage ? { pageNumber: 1, width: 1275, height: 1650 } : { pageNumber: 1, width: 8.5, height: 11 },
        ],
        // A document that is not an invoice gets no values, as the prebuilt analyzer finds none.
        fields: operation.invoice ? invoiceFields(operation.invoice, moneyShape) : {},
      },
    ],
  };
}

function invoiceFields(invoice: SampleInvoice, moneyShape: FakeMoneyShape): Record<string, unknown> {
  const text = (value: string) => ({ type: 'string', valueString: value, confidence: 0.97 });
  const date = (value: string) => ({ type: 'date', valueDate: value, confidence: 0.95 });
  const money = (amount: number) =>
    moneyShape === 'object'
      ? {
          type: 'object',
          valueObject: {
            Amount: { type: 'number', valueNumber: amount, confidence: 0.96 },
            CurrencyCode: { type: 'string', valueString: invoice.currency },
          },
        }
      : { type: 'currency', valueCurrency: { amount, currencyCode: invoice.currency }, confidence: 0.96 };
  const totals = sampleTotals(invoice);
  return {
    VendorName: text(invoice.vendor.name),
    VendorAddress: text(invoice.vendor.addressLines.join(', ')),
    CustomerName: text(invoice.customer.name),
    InvoiceId: text(invoice.invoiceNumber),
    InvoiceDate: date(invoice.invoiceDate),
    DueDate: date(invoice.dueDate),
    SubtotalAmount: money(totals.subtotal),
    TotalTaxAmount: money(totals.tax),
    TotalAmount: money(totals.total),
    LineItems: {
      type: 'array',
      valueArray: invoice.lineItems.map((item, i) => ({
        type: 'object',
        valueObject: {
          Description: text(item.description),
          Quantity: { type: 'number', valueNumber: item.quantity },
          UnitPrice: money(item.unitPrice),
          Amount: money(totals.lineAmounts[i] ?? 0),
        },
      })),
    },
  };
}
