// The words of every failure of a Content Understanding analysis: each names the setting or the
// Azure change that fixes it, and reads the service's Azure.Core error body (code, message, inner
// errors, details) for the part it can explain.
import { z } from 'zod';
import { ToolError } from '../toolkit/tool';
import { describeDuration, oneLine } from '../toolkit/upstreamWording';
import type { ContentUnderstandingSettings } from './invoiceSettings';

/** A failure of the service or the way to it, as opposed to of the caller's request. */
export class UpstreamFailure extends ToolError {}

export interface ServiceError {
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
export const serviceError: z.ZodType<ServiceError> = z.lazy(() =>
  z.object({
    code: z.string().optional(),
    message: z.string().optional(),
    innererror: innerError.optional(),
    details: z.array(serviceError).optional(),
  }),
);

export class FailureWording {
  constructor(
    private readonly settings: ContentUnderstandingSettings,
    /** The analyzer and how messages name the document. */
    private readonly request: { analyzerId: string; label: string },
  ) {}

  /** The time budget is spent; `lastStatus` is what the service said last. */
  timeout(lastStatus: string): string {
    const seconds = this.settings.pollTimeoutMs / 1000;
    return (
      `Content Understanding had not finished analyzing ${this.request.label} after ` +
      `${describeDuration(this.settings.pollTimeoutMs)} (last status: ${lastStatus}). Try again later, or raise ` +
      `CONTENT_UNDERSTANDING_POLL_TIMEOUT_SECONDS (now ${seconds}) for long documents.`
    );
  }

  /** The service answered outside its contract. */
  unexpected(what: string): UpstreamFailure {
    return new UpstreamFailure(
      `Content Understanding ${what}. Try again later; if it persists, check CONTENT_UNDERSTANDING_ENDPOINT and ` +
        'CONTENT_UNDERSTANDING_API_VERSION.',
    );
  }

  /** The operation ended Failed or Canceled. */
  operationFailed(operation: { status: string; error?: ServiceError | undefined }): string {
    const error = operation.error ?? {};
    if (hasCode(error, 'MissingModelDeploymentMapping')) return this.missingDeployments();
    const detail = describeServiceError(error);
    const verb = operation.status === 'Canceled' ? 'was cancelled while analyzing' : 'could not analyze';
    return `Content Understanding ${verb} ${this.request.label}${detail ? `: ${detail}` : ''}.`;
  }

  /** An error status, after `attempts` requests in a row answered it. */
  httpFailure(status: number, text: string, attempts = 1): string {
    const error = serviceErrorIn(text);
    if (error && hasCode(error, 'MissingModelDeploymentMapping')) return this.missingDeployments();
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

  private missingDeployments(): string {
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
