// A client for the two calls analyze_invoice makes to Azure AI Content Understanding, written from
// its REST reference (azure-rest-api-specs, specification/ai/data-plane/ContentUnderstanding/stable/
// 2025-11-01): POST {endpoint}/contentunderstanding/analyzers/{analyzerId}:analyzeBinary with the
// file as the body answers 202 and an Operation-Location, which is polled until the operation
// Succeeded, Failed or was Canceled. There is no Content Understanding SDK for JavaScript on npm, so
// it is built from the parts Azure SDK clients are built from: @azure/core-rest-pipeline sends and
// retries, @azure/core-lro follows the Operation-Location. What is hand-written is this service's
// rule for retries and its contract for statuses, each with its reason where it is.
import { setTimeout as sleep } from 'node:timers/promises';
import { createHttpPoller, type OperationResponse, type OperationState } from '@azure/core-lro';
import {
  createDefaultHttpClient,
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  isRestError,
  retryPolicy,
  type PipelinePolicy,
  type PipelineResponse,
  type RetryStrategy,
} from '@azure/core-rest-pipeline';
import { z } from 'zod';
import type { ToolLogger } from '../toolkit/toolLogger';
import { ToolError } from '../toolkit/tool';
import { describeNetworkError, oneLine } from '../toolkit/upstreamWording';
import { FailureWording, serviceError, UpstreamFailure } from './contentUnderstandingFailures';
import type { ContentUnderstandingSettings } from './invoiceSettings';

/** Entra ID scope of Cognitive Services data-plane APIs, Content Understanding among them. */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** A typed value the analyzer extracted (the REST API's ContentField and its subtypes). */
export interface ContentField {
  type: string;
  valueString?: string | undefined;
  valueDate?: string | undefined;
  valueNumber?: number | undefined;
  valueInteger?: number | undefined;
  valueBoolean?: boolean | undefined;
  /** Document Intelligence-style money, which some analyzers and API versions still return. */
  valueCurrency?: { amount: number; currencyCode?: string | undefined } | undefined;
  valueArray?: ContentField[] | undefined;
  valueObject?: Record<string, ContentField> | undefined;
}

export interface AnalyzeDocumentRequest {
  analyzerId: string;
  contentType: string;
  bytes: Buffer;
  /** How messages name the document. */
  label: string;
}

const contentField: z.ZodType<ContentField> = z.lazy(() =>
  z.object({
    type: z.string(),
    valueString: z.string().optional(),
    valueDate: z.string().optional(),
    valueNumber: z.number().optional(),
    valueInteger: z.number().optional(),
    valueBoolean: z.boolean().optional(),
    valueCurrency: z.object({ amount: z.number(), currencyCode: z.string().optional() }).optional(),
    valueArray: z.array(contentField).optional(),
    valueObject: z.record(z.string(), contentField).optional(),
  }),
);

const operationStatus = z.object({
  status: z.string(),
  error: serviceError.optional(),
  result: z
    .object({
      contents: z.array(z.object({ fields: z.record(z.string(), contentField).optional() })),
    })
    .optional(),
});

type OperationStatus = z.infer<typeof operationStatus>;

// 429 and these are the service saying "not now"; anything else will not change by asking again.
const transientStatuses = new Set([429, 500, 502, 503, 504]);
const maxAttempts = 4;
// A Retry-After this long means the quota is gone for a while; waiting it out helps nobody.
const maxRetryAfterMs = 60_000;
// The statuses of an analyze operation; another one is a contract this client does not know.
const operationStatuses = new Set(['NotStarted', 'Running', 'Succeeded', 'Failed', 'Canceled']);

// One client for every analysis, so connections to the service are reused.
const httpClient = createDefaultHttpClient();

/**
 * Sends the document to the analyzer and waits for the result: the fields of the first content
 * (a document's pages, analyzed as one). Every failure becomes a `ToolError` that names the setting
 * or the Azure change that fixes it; failures of the service are also logged as warnings.
 */
export async function analyzeDocument(
  settings: ContentUnderstandingSettings,
  request: AnalyzeDocumentRequest,
  log: ToolLogger,
  signal: AbortSignal,
): Promise<Record<string, ContentField>> {
  try {
    return await new Analysis(settings, request, signal).run();
  } catch (error) {
    if (error instanceof UpstreamFailure) log.warn(`analyze_invoice: ${error.message}`);
    throw error;
  }
}

class Analysis {
  private readonly deadline: number;
  /** Aborts when the time budget is spent. */
  private readonly outOfTime: AbortSignal;
  /** Aborts every request and wait: the caller cancelled, or the time budget is spent. */
  private readonly stop: AbortSignal;
  private readonly pipeline = createEmptyPipeline();
  private readonly wording: FailureWording;
  private lastStatus = 'not started';
  /** Requests sent for the current call, retries included, for the throttling message. */
  private attempts = 0;

  constructor(
    private readonly settings: ContentUnderstandingSettings,
    private readonly request: AnalyzeDocumentRequest,
    private readonly signal: AbortSignal,
  ) {
    this.wording = new FailureWording(settings, request);
    // One budget for the upload, the waits and every poll: what the user waits for in total.
    this.deadline = Date.now() + settings.pollTimeoutMs;
    this.outOfTime = AbortSignal.timeout(settings.pollTimeoutMs);
    this.stop = AbortSignal.any([signal, this.outOfTime]);
    // Only these two policies: no redirect policy, since a redirect would carry the key header to
    // wherever it points (the service never redirects), and the credential is applied by hand
    // because the SDK's bearer policy refuses http, which the loopback stand-in in the tests speaks.
    this.pipeline.addPolicy(retryPolicy([this.retryStrategy()], { maxRetries: maxAttempts - 1 }), {
      phase: 'Retry',
    });
    this.pipeline.addPolicy(this.signPolicy(), { phase: 'Sign' });
  }

  async run(): Promise<Record<string, ContentField>> {
    try {
      return await this.analyze();
    } catch (error) {
      if (this.signal.aborted) throw new ToolError('The invoice analysis was cancelled.');
      if (this.outOfTime.aborted) throw new UpstreamFailure(this.wording.timeout(this.lastStatus));
      throw error;
    }
  }

  private async analyze(): Promise<Record<string, ContentField>> {
    const poller = createHttpPoller<OperationStatus, OperationState<OperationStatus>>(
      { sendInitialRequest: () => this.submit(), sendPollRequest: (location) => this.poll(location) },
      {
        intervalInMs: this.settings.pollIntervalMs,
        // Failed and Canceled come back as the operation status, whose error the messages below explain.
        resolveOnUnsuccessful: true,
        // The result is in the operation status itself; there is no resource to GET afterwards.
        skipFinalGet: true,
      },
    );
    await poller.submitted();
    this.lastStatus = 'accepted';
    // The poller asks at once after the upload; the service has barely started by then, so the
    // first status request waits one interval too, as every later one does.
    await sleep(this.settings.pollIntervalMs, undefined, { signal: this.stop });
    const operation = await poller.pollUntilDone({ abortSignal: this.stop });
    if (operation.status === 'Succeeded') return this.fields(operation);
    throw new UpstreamFailure(this.wording.operationFailed(operation));
  }

  private async submit(): Promise<OperationResponse> {
    const { endpoint, apiVersion } = this.settings;
    const analyzeUrl = new URL(
      `${endpoint}/contentunderstanding/analyzers/${encodeURIComponent(this.request.analyzerId)}:analyzeBinary`,
    );
    analyzeUrl.searchParams.set('api-version', apiVersion);
    const accepted = await this.send('POST', analyzeUrl, this.request.bytes);
    if (accepted.status !== 202)
      throw this.wording.unexpected(`answered HTTP ${accepted.status} instead of 202 Accepted`);
    const operationUrl = this.operationUrl(accepted.headers.get('operation-location'));
    return {
      flatResponse: undefined,
      rawResponse: {
        statusCode: accepted.status,
        request: { method: 'POST', url: analyzeUrl.href },
        // Only the checked location: the poller follows whatever Operation-Location it is given.
        headers: { 'operation-location': operationUrl.href },
      },
    };
  }

  private async poll(location: string): Promise<OperationResponse<OperationStatus>> {
    const polled = await this.send('GET', new URL(location));
    if (polled.status !== 200)
      throw this.wording.unexpected(`answered HTTP ${polled.status} to a status request`);
    const operation = this.parse(operationStatus, polled.bodyAsText ?? '', 'the operation status');
    this.lastStatus = operation.status;
    // The poller would take any other word for "still running" and ask until the time-out.
    if (!operationStatuses.has(operation.status))
      throw this.wording.unexpected(
        `reported the unknown operation status "${oneLine(operation.status, 40)}"`,
      );
    return {
      flatResponse: operation,
      // No headers: the interval stays CONTENT_UNDERSTANDING_POLL_INTERVAL_SECONDS and the location
      // the checked one, where the poller would follow a Retry-After or a new Operation-Location.
      rawResponse: {
        statusCode: polled.status,
        request: { method: 'GET', url: location },
        headers: {},
        body: operation,
      },
    };
  }

  /** The service says where to poll; only a URL on the configured endpoint gets the key or token. */
  private operationUrl(location: string | undefined): URL {
    if (!location)
      throw this.wording.unexpected('accepted the document but sent no Operation-Location header');
    let url: URL;
    try {
      url = new URL(location, this.settings.endpoint);
    } catch {
      throw this.wording.unexpected('sent an Operation-Location that is not a URL');
    }
    if (url.origin !== new URL(this.settings.endpoint).origin) {
      throw this.wording.unexpected(
        `sent an Operation-Location on another host (${url.host}); it is not polled`,
      );
    }
    return url;
  }

  private fields(operation: OperationStatus): Record<string, ContentField> {
    const content = operation.result?.contents[0];
    if (!content) throw this.wording.unexpected('reported success without any analyzed content');
    if (!content.fields) {
      throw new UpstreamFailure(
        `Analyzer "${this.request.analyzerId}" returned no fields for ${this.request.label}: it only extracts text. ` +
          `Use an analyzer with a field schema for invoices, such as "prebuilt-invoice".`,
      );
    }
    return content.fields;
  }

  /** One request through the pipeline, which retries while the service says "not now". */
  private async send(method: 'GET' | 'POST', url: URL, body?: Buffer): Promise<PipelineResponse> {
    this.attempts = 0;
    const request = createPipelineRequest({
      url: url.href,
      method,
      headers: createHttpHeaders({
        accept: 'application/json',
        ...(body ? { 'content-type': this.request.contentType } : {}),
      }),
      ...(body ? { body } : {}),
      // The time budget covers reading the body too: a service that stalls mid-answer is as slow as a silent one.
      abortSignal: this.stop,
      // The service is https; the client refuses http unless told, and the loopback stand-in speaks it.
      allowInsecureConnection: url.protocol === 'http:',
    });
    let response: PipelineResponse;
    try {
      response = await this.pipeline.sendRequest(httpClient, request);
    } catch (error) {
      if (error instanceof ToolError || this.stop.aborted) throw error;
      throw new UpstreamFailure(
        `Could not reach Content Understanding at ${url.host}: ${describeNetworkError(isRestError(error) ? error.code : undefined)}. ` +
          'Check CONTENT_UNDERSTANDING_ENDPOINT and the network connection.',
      );
    }
    if (response.status >= 400)
      throw new UpstreamFailure(
        this.wording.httpFailure(response.status, response.bodyAsText ?? '', this.attempts),
      );
    return response;
  }

  /**
   * The pipeline's retry loop with this service's rule. Neither of the pipeline's own strategies
   * fits: the throttling one waits out any Retry-After, even past the time budget or for an hour,
   * and retries only 429 and 503; the exponential one skips 429 and knows no budget either. Both
   * would end in a time-out where the service's own answer (429, 503) says more.
   */
  private retryStrategy(): RetryStrategy {
    return {
      name: 'contentUnderstandingRetry',
      retry: ({ retryCount, response }) => {
        if (!response || !transientStatuses.has(response.status)) return { skipStrategy: true };
        const wait = retryDelayMs(response.headers.get('retry-after'), retryCount);
        if (wait === undefined || Date.now() + wait >= this.deadline) return { skipStrategy: true };
        return { retryAfterInMs: wait };
      },
    };
  }

  /** Every attempt, retries too, carries the key or a token fresh from the credential. */
  private signPolicy(): PipelinePolicy {
    return {
      name: 'contentUnderstandingSign',
      sendRequest: async (request, next) => {
        this.attempts++;
        for (const [name, value] of Object.entries(await this.authHeaders()))
          request.headers.set(name, value);
        return next(request);
      },
    };
  }

  private async authHeaders(): Promise<Record<string, string>> {
    const { auth } = this.settings;
    if (auth.kind === 'apiKey') return { 'ocp-apim-subscription-key': auth.apiKey };
    let token: { token: string } | null;
    try {
      // The credential caches tokens, so asking before every request costs nothing once signed in.
      token = await auth.credential.getToken(COGNITIVE_SERVICES_SCOPE, { abortSignal: this.signal });
    } catch (error) {
      if (this.signal.aborted) throw new ToolError('The invoice analysis was cancelled.');
      const reason =
        error instanceof Error ? oneLine(error.message.split('\n')[0] ?? '', 200) : String(error);
      throw new UpstreamFailure(
        `Could not get a token for Content Understanding with ${auth.description}: ${reason}. ` +
          'Sign in, or set CONTENT_UNDERSTANDING_API_KEY to use a key instead.',
      );
    }
    if (!token?.token) {
      throw new UpstreamFailure(
        `${auth.description} gave no token for Content Understanding. Sign in again.`,
      );
    }
    return { authorization: `Bearer ${token.token}` };
  }

  private parse<T>(schema: z.ZodType<T>, text: string, what: string): T {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.wording.unexpected(`sent ${what} that is not JSON`);
    }
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where =
      issue && issue.path.length > 0 ? ` (${issue.path.map(String).join('.')}: ${issue.message})` : '';
    throw this.wording.unexpected(`sent ${what} in an unexpected shape${where}`);
  }
}

/** The delay Retry-After (seconds or a date) asks for, or a growing default; undefined if too long to wait. */
function retryDelayMs(retryAfter: string | undefined, retryCount: number): number | undefined {
  let ms: number | undefined;
  if (retryAfter !== undefined) {
    if (/^\d+$/.test(retryAfter.trim())) ms = Number(retryAfter.trim()) * 1000;
    else if (!Number.isNaN(Date.parse(retryAfter))) ms = Math.max(0, Date.parse(retryAfter) - Date.now());
  }
  ms ??= 500 * 2 ** retryCount;
  return ms > maxRetryAfterMs ? undefined : ms;
}
