// Raw HTTP(S) requests for tests that need what fetch and the SDK clients will not do: a forged
// Host header, the exact status and headers of a refusal, a custom CA for one request.
import http from 'node:http';
import https from 'node:https';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The SDK's transports report an HTTP refusal as an error whose `code` is the status. */
export function httpStatus(status: number) {
  return (error: unknown) => (error as { code?: unknown }).code === status;
}

export const initializeBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** A JSON-RPC POST as an MCP client sends it (both Accept types). */
export function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return request(url, 'POST', body, {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...headers,
  });
}

export function request(
  url: string,
  method: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => collect(res, resolve));
    req.on('error', reject);
    req.end(body);
  });
}

export function httpsRequest(
  url: string,
  method: string,
  ca: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca }, (res) => collect(res, resolve));
    req.on('error', reject);
    req.end(body);
  });
}

function collect(res: http.IncomingMessage, resolve: (answer: RawAnswer) => void): void {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
}
