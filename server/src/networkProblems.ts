/**
 * A network error code (Node's, or undici's for fetch) in words, for messages about a service
 * that could not be reached; shared so every tool describes the same failure the same way.
 */
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
