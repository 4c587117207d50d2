// Words for failures of the web services tools call, shared so every tool describes a refused
// connection or a slow answer the same way.

/** fetch reports every network failure as "fetch failed"; the cause's code says which one. */
export function networkProblem(error: unknown): string {
  return describeNetworkError(errorCode(error instanceof Error ? error.cause : undefined));
}

/** A network error code (Node's, or undici's for fetch) in words. */
export function describeNetworkError(code: string | undefined): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return 'the connection was closed before a complete answer arrived';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name could not be resolved';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out';
    case undefined:
      return 'the request failed';
    default:
      return code.startsWith('ERR_TLS') || code.includes('CERT')
        ? `the TLS connection failed (${code})`
        : `the request failed (${code})`;
  }
}

function errorCode(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  if ('code' in cause && typeof cause.code === 'string') return cause.code;
  // Connecting to a name with several addresses fails with an AggregateError of per-address errors.
  if (cause instanceof AggregateError) return errorCode(cause.errors[0]);
  return undefined;
}

/** A RestError from any Azure SDK (each bundles its own copy of the class, so no instanceof). */
export function isRestError(error: unknown): error is Error & {
  statusCode?: number;
  code?: string;
  details?: unknown;
  request?: { headers: { get(name: string): string | undefined } };
} {
  return error instanceof Error && error.name === 'RestError';
}

/** "250 ms", "1.5 s": how messages state a wait. */
export function describeDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

/** A service's own explanation as one line, without its closing full stop, cut to `max` characters. */
export function oneLine(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
