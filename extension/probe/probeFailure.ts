// Why a probe of an MCP server failed, as plain data: what the status view shows and what decides the
// fix it offers. Kept apart from the MCP SDK (only mcpProbe.ts imports that) so the classification
// is testable with the error shapes alone: the SDK's StreamableHTTPError (`code` = HTTP status),
// McpError (-32001 request timeout), and fetch's TypeError("fetch failed") whose `cause` carries the
// system error code (ENOTFOUND, ECONNREFUSED, a certificate error...).
import { bearerChallenge } from '../auth/signInCheck/wwwAuthenticate';

export type ProbeFailureKind =
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'httpError'
  | 'timeout'
  | 'nameNotResolved'
  | 'tls'
  | 'connectionRefused'
  | 'network'
  | 'protocol'
  | 'cancelled';

export interface ProbeFailure {
  kind: ProbeFailureKind;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** The system error code (ENOTFOUND, CERT_HAS_EXPIRED, ...), when the connection failed. */
  code?: string;
  /** The 401/403 carried a Bearer challenge: the server wants a Microsoft Entra (OAuth) token. */
  bearerChallenge?: boolean;
  /** A short technical detail for the tooltip and the log; never a header value. */
  detail: string;
}

/** What the probe saw of the last HTTP answer before it failed. */
export interface LastResponse {
  status: number;
  wwwAuthenticate?: string;
}

const MCP_REQUEST_TIMEOUT = -32001;
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_)|CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function shortMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}

/**
 * Classifies a probe failure. `timedOut` / `cancelled` say which of the probe's own signals fired:
 * both surface from fetch as a bare abort.
 */
export function classifyProbeFailure(
  error: unknown,
  context: { lastResponse?: LastResponse; timedOut: boolean; cancelled: boolean; timeoutMs: number },
): ProbeFailure {
  if (context.cancelled) return { kind: 'cancelled', detail: 'a newer refresh replaced this probe' };
  const mcpCode = (error as { code?: unknown }).code;
  if (context.timedOut || mcpCode === MCP_REQUEST_TIMEOUT) {
    return { kind: 'timeout', detail: `no answer within ${Math.round(context.timeoutMs / 1000)} s` };
  }
  // The SDK's StreamableHTTPError carries the status as a number `code`; -1 is a wrong content type.
  const status =
    typeof mcpCode === 'number' && mcpCode >= 100 && mcpCode < 600 ? mcpCode : context.lastResponse?.status;
  if (status !== undefined && status >= 400) {
    // A header may list several challenges (`Basic realm="x", Bearer resource_metadata="…"`).
    const wantsBearer = bearerChallenge(context.lastResponse?.wwwAuthenticate) !== undefined;
    const base = { status, detail: `HTTP ${status}: ${shortMessage(error)}` };
    if (status === 401) return { kind: 'unauthorized', bearerChallenge: wantsBearer, ...base };
    if (status === 403) return { kind: 'forbidden', bearerChallenge: wantsBearer, ...base };
    if (status === 404) return { kind: 'notFound', ...base };
    return { kind: 'httpError', ...base };
  }
  const code = errorCode(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return { kind: 'nameNotResolved', code, detail: `the host name was not resolved (${code})` };
  }
  if (code && TLS_CODE.test(code)) {
    return { kind: 'tls', code, detail: `the TLS connection failed (${code})` };
  }
  if (code === 'ECONNREFUSED') {
    return { kind: 'connectionRefused', code, detail: 'the connection was refused (ECONNREFUSED)' };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return { kind: 'timeout', code, detail: `the connection timed out (${code})` };
  }
  if (code && /^(E[A-Z]+|UND_ERR_)/.test(code)) {
    return { kind: 'network', code, detail: `the connection failed (${code})` };
  }
  return { kind: 'protocol', detail: `not an MCP answer: ${shortMessage(error)}` };
}
