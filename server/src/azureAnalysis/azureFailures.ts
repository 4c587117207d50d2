import { z } from 'zod';
import { ToolError } from '../toolkit/tool';
import { describeDuration, describeNetworkError, isRestError } from '../toolkit/upstreamWording';
import { ANALYSIS_TIMEOUT_VARIABLE } from './analysisSettings';

/** A `ToolError` caused by Azure or the way to it, as opposed to by the caller's arguments. */
export class AzureServiceFailure extends ToolError {}

/** What a failure message needs to say who was refused, what to grant, and what to change. */
export interface AzureCallContext {
  /** How messages name the service: "Azure Resource Graph", "Log Analytics". */
  service: string;
  /** The variable that points at the service, for unreachable endpoints. */
  endpointVariable: string;
  /** Who signed in (azureCredentialDescription). */
  identity: string;
  /** What access fixes a 401/403, e.g. `the "Reader" role on subscription …`. */
  requiredAccess: string;
  timeoutMs: number;
  /**
   * The service's own error codes worth a specific message (a missing workspace, an unknown
   * table); return undefined to fall back to the general wording.
   */
  explain?: (failure: { status: number; code: string; message: string }) => string | undefined;
}

/**
 * Runs one tool's Azure work (every page and retry) under the tool's time limit, turning whatever
 * it throws into a `ToolError` worded for `context`.
 */
export async function callAzure<T>(
  context: AzureCallContext,
  callerSignal: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timeout = AbortSignal.timeout(context.timeoutMs);
  const signal = AbortSignal.any([callerSignal, timeout]);
  try {
    return await settledOrAborted(work(signal), signal);
  } catch (error) {
    throw describeAzureFailure(error, context, callerSignal, timeout);
  }
}

/**
 * Not every client honours an abort signal (LogsQueryClient 1.0.0 drops it), so the caller stops
 * waiting at the abort whatever the request still does.
 */
function settledOrAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The names @azure/identity gives errors about getting a token (not about using one). */
const credentialErrorNames = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);

/**
 * Turns anything an Azure SDK call threw into a `ToolError` that says what happened and what to do.
 * `callerSignal` is the MCP request's (cancelled by the client), `timeout` the tool's own limit.
 */
export function describeAzureFailure(
  error: unknown,
  context: AzureCallContext,
  callerSignal: AbortSignal,
  timeout: AbortSignal,
): ToolError {
  if (error instanceof ToolError) return error;
  if (callerSignal.aborted) return new ToolError(`The ${context.service} request was cancelled.`);
  if (timeout.aborted) {
    return new AzureServiceFailure(
      `${context.service} did not answer within ${describeDuration(context.timeoutMs)}. Try again, ask for ` +
        `less (fewer subscriptions, a shorter timespan), or raise ${ANALYSIS_TIMEOUT_VARIABLE} (now ${context.timeoutMs}).`,
    );
  }
  if (error instanceof Error && credentialErrorNames.has(error.name)) {
    return new AzureServiceFailure(
      `Could not get a token for ${context.service} as ${context.identity}: ${credentialProblem(error)}`,
    );
  }
  if (isRestError(error)) {
    // A 2xx the client could not parse (PARSE_ERROR) is a malformed answer, not a refusal.
    if (error.statusCode !== undefined && error.statusCode < 300) return unreadableAnswer(context.service);
    if (error.statusCode === undefined) {
      return new AzureServiceFailure(
        `Could not reach ${context.service}: ${describeNetworkError(error.code)}. Check the network connection ` +
          `and ${context.endpointVariable}.`,
      );
    }
    return new AzureServiceFailure(describeRefusal(error.statusCode, serviceError(error), context));
  }
  // The SDKs parse bodies with few checks: a malformed body surfaces as a TypeError or SyntaxError.
  return unreadableAnswer(context.service);
}

export function unreadableAnswer(service: string, what = ''): AzureServiceFailure {
  return new AzureServiceFailure(
    `${service} answered with a result this server could not read${what}. Try again later; if it persists, ` +
      'the service may have changed its API.',
  );
}

function describeRefusal(
  status: number,
  failure: { code: string; message: string },
  context: AzureCallContext,
): string {
  const said = `${status} ${failure.code}${failure.message ? `: ${failure.message}` : ''}`;
  const specific = context.explain?.({ status, ...failure });
  if (specific !== undefined) return `${specific} (${context.service} said ${said})`;
  switch (true) {
    case status === 401:
      return (
        `${context.service} did not accept the token of ${context.identity} (${said}). Check that it signs in ` +
        `to the right tenant and cloud, and that it has ${context.requiredAccess}.`
      );
    case status === 403:
      return `${context.service} refused access to ${context.identity} (${said}). Grant it ${context.requiredAccess}.`;
    case status === 429:
      return (
        `${context.service} is throttling this server's requests and still was after several retries ` +
        `(${said}). Wait a minute and try again.`
      );
    case status >= 500:
      return `${context.service} had a problem (${said}). Try again later.`;
    default:
      return `${context.service} refused the request (${said}).`;
  }
}

// Both services answer errors as {"error": {"code", "message", "details"?, "innererror"?}}; the
// detail or inner error usually says what was actually wrong.
const errorDetail = z.object({ code: z.string().optional(), message: z.string().optional() });
const errorBody = z.object({
  error: errorDetail.extend({
    details: z.array(errorDetail.extend({ innererror: errorDetail.optional() })).optional(),
    innererror: errorDetail.optional(),
  }),
});

function serviceError(error: { code?: string; message: string; details?: unknown }): {
  code: string;
  message: string;
} {
  const parsed = errorBody.safeParse(error.details);
  if (!parsed.success) {
    return { code: error.code ?? 'no error code', message: shorten(firstLine(error.message)) };
  }
  const body = parsed.data.error;
  const inner = body.innererror ?? body.details?.[0]?.innererror ?? body.details?.[0];
  const message = [body.message, inner?.message].filter((m) => m !== undefined && m !== '').join(' ');
  return {
    code: [body.code, inner?.code].filter(Boolean).join('/') || (error.code ?? 'no error code'),
    message: shorten(message),
  };
}

/** A chain of credentials fails with each one's reason in `errors`; those say what to do. */
function credentialProblem(error: Error): string {
  const causes = 'errors' in error && Array.isArray(error.errors) ? (error.errors as unknown[]) : [];
  const reasons = causes
    .filter((cause): cause is Error => cause instanceof Error)
    .map((cause) => shorten(firstLine(cause.message)));
  return reasons.length > 0
    ? reasons.join(' / ')
    : (managedIdentityRefusal(error.message) ?? shorten(firstLine(error.message)));
}

/**
 * ManagedIdentityCredential wraps the managed identity endpoint's answer in MSAL's server-error
 * format ("… Error(s): … - Timestamp: … - Description: <what the endpoint said> - Correlation ID: …");
 * only the description helps, plus the fix when the app lacks the identity AZURE_CLIENT_ID names.
 */
function managedIdentityRefusal(message: string): string | undefined {
  if (!message.startsWith('ManagedIdentityCredential:')) return undefined;
  const said = /Description: (.*?) - Correlation ID:/s.exec(message)?.[1]?.trim();
  if (!said) return undefined;
  const refusal = `the managed identity endpoint (IDENTITY_ENDPOINT) refused: ${shorten(said)}`;
  return /managed identity found|identity not found/i.test(said)
    ? `${refusal} Assign that identity to the app (the app's Identity page), or set AZURE_CLIENT_ID to the client ID of one it has.`
    : refusal;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0]?.trim() ?? '';
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 400 ? `${oneLine.slice(0, 400)}…` : oneLine;
}
