// A client for the two calls analyze_invoice makes to Azure AI Content Understanding, written from
// its REST reference (azure-rest-api-specs, specification/ai/data-plane/ContentUnderstanding/stable/
// 2025-11-01): POST {endpoint}/contentunderstanding/analyzers/{analyzerId}:analyzeBinary with the
// file as the body answers 202 and an Operation-Location, which is polled until the operation
// Succeeded, Failed or was Canceled. There is no Content Understanding SDK for JavaScript on npm,
// and the Azure SDK pipelines refuse bearer tokens over http, which the local stand-in in the tests
// speaks; plain fetch with the token from the credential does the same over https.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { ToolLogger } from '../toolkit/toolLogger';
import { ToolError } from '../toolkit/tool';
import { describeDuration, networkProblem, oneLine } from '../toolkit/upstreamWording';
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

interface ServiceError {
  code?: string | undefined;
  message?: string | undefined;
  innererror?: ServiceInnerError | undefined;
  details?: ServiceError[] | undefined;
}

interface ServiceInnerError {
  code?: string | undefined;
  message?: string | undefined;
  innererror?: ServiceInnerError | undefined;
}

const innerError: z.ZodType<ServiceInnerError> = z.lazy(() =>
  z.object({
    code: z.string().optional(),
    message: z.string().optional(),
    innererror: innerError.optional(),
  }),
);
const serviceError: z.ZodType<ServiceError> = z.lazy(() =>
  z.object({
    code: z.string().optional(),
    message: z.string().optional(),
    innererror: innerError.optional(),
    details: z.array(serviceError).optional(),
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

/** A failure of the service or the way to it, as opposed to of the caller's request. */
class UpstreamFailure extends ToolError {}

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
  private lastStatus = 'not started';

  constructor(
    private readonly settings: ContentUnderstandingSettings,
    private readonly request: AnalyzeDocumentRequest,
    private readonly signal: AbortSignal,
  ) {
    // One budget for the upload, the waits and every poll: what the user waits for in total.
    this.deadline = Date.now() + settings.pollTimeoutMs;
  }

  async run(): Promise<Record<string, ContentField>> {
    const { endpoint, apiVersion } = this.settings;
    const analyzeUrl = new URL(
      `${endpoint}/contentunderstanding/analyzers/${encodeURIComponent(this.request.analyzerId)}:analyzeBinary`,
    );
    analyzeUrl.searchParams.set('api-version', apiVersion);
    const accepted = await this.send('POST', analyzeUrl, this.request.bytes);
    if (accepted.status !== 202)
      throw this.unexpected(`answered HTTP ${accepted.status} instead of 202 Accepted`);
    const operationUrl = this.operationUrl(accepted.headers.get('operation-location'));
    this.lastStatus = 'accepted';

    for (;;) {
      await this.pause(this.settings.pollIntervalMs);
      const polled = await this.send('GET', operationUrl);
      if (polled.status !== 200) throw this.unexpected(`answered HTTP ${polled.status} to a status request`);
      const operation = this.parse(operationStatus, polled.text, 'the operation status');
      this.lastStatus = operation.status;
      switch (operation.status) {
        case 'NotStarted':
        case 'Running':
          continue;
        case 'Succeeded':
          return this.fields(operation);
        case 'Failed':
        case 'Canceled':
          throw new UpstreamFailure(this.failureMessage(operation));
        default:
          throw this.unexpected(`reported the unknown operation status "${oneLine(operation.status, 40)}"`);
      }
    }
  }

  /** The service says where to poll; only a URL on the configured endpoint gets the key or token. */
  private operationUrl(location: string | null): URL {
    if (!location) throw this.unexpected('accepted the document but sent no Operation-Location header');
    let url: URL;
    try {
      url = new URL(location, this.settings.endpoint);
    } catch {
      throw this.unexpected('sent an Operation-Location that is not a URL');
    }
    if (url.origin !== new URL(this.settings.endpoint).origin) {
      throw this.unexpected(`sent an Operation-Location on another host (${url.host}); it is not polled`);
    }
    return url;
  }

  private fields(operation: OperationStatus): Record<string, ContentField> {
    const content = operation.result?.contents[0];
    if (!content) throw this.unexpected('reported success without any analyzed content');
    if (!content.fields) {
      throw new UpstreamFailure(
        `Analyzer "${this.request.analyzerId}" returned no fields for ${this.request.label}: it only extracts text. ` +
          `Use an analyzer with a field schema for invoices, such as "prebuilt-invoice".`,
      );
    }
    return content.fields;
  }

  /** One request, retried while the service says "not now" and the time budget allows. */
  private async send(
    method: 'GET' | 'POST',
    url: URL,
    body?: Buffer,
  ): Promise<{ status: number; headers: Headers; text: string }> {
    for (let attempt = 1; ; attempt++) {
      const response = await this.fetchOnce(method, url, body);
      if (!transientStatuses.has(response.status)) {
        if (response.status >= 400)
          throw new UpstreamFailure(this.httpFailureMessage(response.status, response.text));
        return response;
      }
      const wait = retryDelayMs(response.headers, attempt);
      if (attempt >= maxAttempts || wait === undefined || Date.now() + wait >= this.deadline) {
        throw new UpstreamFailure(this.httpFailureMessage(response.status, response.text, attempt));
      }
      await this.pause(wait);
    }
  }

  private async fetchOnce(
    method: 'GET' | 'POST',
    url: URL,
    body?: Buffer,
  ): Promise<{ status: number; headers: Headers; text: string }> {
    const headers: Record<string, string> = { ...(await this.authHeaders()), accept: 'application/json' };
    if (body) headers['content-type'] = this.request.contentType;
    const timeout = AbortSignal.timeout(Math.max(1, this.deadline - Date.now()));
    try {
      // The time-out covers reading the body too: a service that stalls mid-answer is as slow as a silent one.
      const response = await fetch(url, {
        method,
        headers,
        // A redirect would carry the key header to wherever it points; the service never redirects.
        redirect: 'manual',
        ...(body ? { body } : {}),
        signal: AbortSignal.any([this.signal, timeout]),
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      if (this.signal.aborted) throw new ToolError('The invoice analysis was cancelled.');
      if (timeout.aborted) throw new UpstreamFailure(this.timeoutMessage());
      throw new UpstreamFailure(
        `Could not reach Content Understanding at ${url.host}: ${networkProblem(error)}. ` +
          'Check CONTENT_UNDERSTANDING_ENDPOINT and the network connection.',
      );
    }
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

  /** Waits, unless cancelled, and never past the deadline. */
  private async pause(ms: number): Promise<void> {
    const left = this.deadline - Date.now();
    if (left <= 0) throw new UpstreamFailure(this.timeoutMessage());
    try {
      await sleep(Math.min(ms, left), undefined, { signal: this.signal });
    } catch {
      throw new ToolError('The invoice analysis was cancelled.');
    }
    if (ms >= left) throw new UpstreamFailure(this.timeoutMessage());
  }

  private timeoutMessage(): string {
    const seconds = this.settings.pollTimeoutMs / 1000;
    return (
      `Content Understanding had not finished analyzing ${this.request.label} after ` +
      `${describeDuration(this.settings.pollTimeoutMs)} (last status: ${this.lastStatus}). Try again later, or raise ` +
      `CONTENT_UNDERSTANDING_POLL_TIMEOUT_SECONDS (now ${seconds}) for long documents.`
    );
  }

  private parse<T>(schema: z.ZodType<T>, text: string, what: string): T {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.unexpected(`sent ${what} that is not JSON`);
    }
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where =
      issue && issue.path.length > 0 ? ` (${issue.path.map(String).join('.')}: ${issue.message})` : '';
    throw this.unexpected(`sent ${what} in an unexpected shape${where}`);
  }

  private unexpected(what: string): UpstreamFailure {
    return new UpstreamFailure(
      `Content Understanding ${what}. Try again later; if it persists, check CONTENT_UNDERSTANDING_ENDPOINT and ` +
        'CONTENT_UNDERSTANDING_API_VERSION.',
    );
  }

  private failureMessage(operation: OperationStatus): string {
    const error = operation.error ?? {};
    if (hasCode(error, 'MissingModelDeploymentMapping')) return this.missingDeploymentsMessage();
    const detail = describeServiceError(error);
    const verb = operation.status === 'Canceled' ? 'was cancelled while analyzing' : 'could not analyze';
    return `Content Understanding ${verb} ${this.request.label}${detail ? `: ${detail}` : ''}.`;
  }

  private httpFailureMessage(status: number, text: string, attempts = 1): string {
    const error = serviceErrorIn(text);
    if (error && hasCode(error, 'MissingModelDeploymentMapping')) return this.missingDeploymentsMessage();
    const detail = error ? describeServiceError(error) : undefined;
    const answered = `Content Understanding answered HTTP ${status}${detail ? ` (${detail})` : ''}`;
    const { auth } = this.settings;
    switch (status) {
      case 401:
        return auth.kind === 'apiKey'
          ? `${answered}: the API key was not accepted. Set CONTENT_UNDERSTANDING_API_KEY to Key 1 or Key 2 from the ` +
              `resource's "Keys and Endpoint" page, or leave it empty to sign in with an identity.`
          : `${answered}: the token from ${auth.description} was not accepted. Check that CONTENT_UNDERSTANDING_ENDPOINT ` +
              'is a Microsoft Foundry (AI Services) resource in the tenant you signed in to.';
      case 403:
        return auth.kind === 'apiKey'
          ? `${answered}: access was refused. Check the resource's networking settings (firewall, private endpoints).`
          : `${answered}: ${auth.description} may not use the resource. Grant it the "Cognitive Services User" ` +
              'role on the Content Understanding resource (role assignments take a few minutes to apply).';
      case 404:
        return (
          `${answered}: there is no analyzer "${this.request.analyzerId}" there. Check the analyzerId argument or ` +
          "CONTENT_UNDERSTANDING_ANALYZER_ID, and that CONTENT_UNDERSTANDING_ENDPOINT is the resource's endpoint."
        );
      case 429:
        return (
          `${answered}${attempts > 1 ? ` to ${attempts} attempts in a row` : ''}: the resource is throttling ` +
          'requests. Wait a minute and try again, or raise its rate limit in the Azure portal.'
        );
      default:
        if (status >= 500) return `${answered}: the service is having trouble. Try again later.`;
        return `${answered} for ${this.request.label}.`;
    }
  }

  private missingDeploymentsMessage(): string {
    return (
      `Content Understanding cannot run analyzer "${this.request.analyzerId}" yet (MissingModelDeploymentMapping): ` +
      'the resource has no default model deployments. Prebuilt analyzers use generative models deployed in your ' +
      'Microsoft Foundry resource: deploy the models they need (such as gpt-4.1, gpt-4.1-mini and ' +
      'text-embedding-3-large), then set them as the default model deployments for Content Understanding, on its ' +
      'settings page in the Foundry portal or with PATCH {endpoint}/contentunderstanding/defaults and ' +
      '"modelDeployments". See https://aka.ms/cudoc-quickstart-rest.'
    );
  }
}

/** The delay Retry-After (seconds or a date) asks for, or a growing default; undefined if too long to wait. */
function retryDelayMs(headers: Headers, attempt: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  let ms: number | undefined;
  if (retryAfter !== null) {
    if (/^\d+$/.test(retryAfter.trim())) ms = Number(retryAfter.trim()) * 1000;
    else if (!Number.isNaN(Date.parse(retryAfter))) ms = Math.max(0, Date.parse(retryAfter) - Date.now());
  }
  ms ??= 500 * 2 ** (attempt - 1);
  return ms > maxRetryAfterMs ? undefined : ms;
}

function serviceErrorIn(text: string): ServiceError | undefined {
  try {
    const parsed = z.object({ error: serviceError }).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}

/** The service puts its specific code in the error, its inner errors or its details, depending on the failure. */
function hasCode(error: ServiceError | ServiceInnerError, code: string): boolean {
  const wanted = code.toLowerCase();
  if (error.code?.toLowerCase() === wanted) return true;
  if (error.innererror && hasCode(error.innererror, code)) return true;
  return 'details' in error && (error.details ?? []).some((detail) => hasCode(detail, code));
}

function describeServiceError(error: ServiceError): string | undefined {
  const parts = [error.code, error.message ? oneLine(error.message) : undefined].filter(Boolean);
  return parts.length > 0 ? parts.join(': ') : undefined;
}
