// The common part of the loopback fakes of Azure's JSON query services (Resource Graph, Log
// Analytics): https with the loopback certificate (Azure SDKs refuse to send a bearer token over
// http), a check of the bearer token's audience like the real services make, a record of every
// request, and responses a test injects ahead of the normal ones (throttling, slowness, errors,
// malformed bodies). Each service's own routes and error shapes live in its fake.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { loopbackCertificate } from './loopbackCertificate';

export interface FakeRequest {
  method: string;
  /** Path as sent, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: unknown;
  rawBody: string;
}

export interface FakeResponse {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, instead of `body`: for malformed answers. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Answer only after this long: for time-outs. */
  delayMs?: number;
}

export interface InjectedResponse extends FakeResponse {
  /** How many of the next requests get this answer (default 1). */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** Request headers, without Authorization (tokens are never kept). */
  headers: Record<string, string>;
  /** The `aud` claim of the bearer token, or undefined when none came; the token itself is never kept. */
  audience: string | undefined;
  /** When the request arrived (ms since the epoch), to measure retry waits. */
  at: number;
  status: number;
}

export interface AzureJsonServiceOptions {
  /** The service's JSON error body for a code and message. */
  errorBody: (code: string, message: string) => unknown;
  /** The body of the 401 the service sends for a missing token or one for another audience. */
  tokenRefusal: (reason: 'missing' | 'audience', audience: string | undefined, expected: string) => unknown;
  /** Answers a request that passed the token check. */
  route: (request: FakeRequest) => FakeResponse;
}

export interface AzureJsonService {
  /** `https://127.0.0.1:PORT`: the client's endpoint, and the token audience the fake accepts. */
  endpoint: string;
  caPem: string;
  requests: RecordedRequest[];
  /** Queues an answer for the next request(s), before any routing. */
  respondNext(response: InjectedResponse): void;
  close(): Promise<void>;
}

export async function startAzureJsonService(options: AzureJsonServiceOptions): Promise<AzureJsonService> {
  const { cert, key } = await loopbackCertificate();
  const requests: RecordedRequest[] = [];
  const injected: (InjectedResponse & { remaining: number })[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let endpoint = '';

  const send = (res: ServerResponse, response: FakeResponse): void => {
    const text = response.rawBody ?? (response.body === undefined ? '' : JSON.stringify(response.body));
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(response.status, {
        'x-ms-request-id': randomUUID(),
        ...(text === '' ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        'content-length': String(Buffer.byteLength(text)),
        ...response.headers,
      });
      res.end(text);
    };
    if (!response.delayMs) return write();
    const timer = setTimeout(() => {
      timers.delete(timer);
      write();
    }, response.delayMs);
    timers.add(timer);
  };

  const answer = (
    req: IncomingMessage,
    url: URL,
    rawBody: string,
    body: unknown,
  ): { response: FakeResponse; audience?: string } => {
    const audience = tokenAudience(req.headers.authorization);
    // Both services challenge like ARM: a 401 with WWW-Authenticate naming the authority.
    const challenge = {
      'www-authenticate':
        'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"',
    };
    if (audience === undefined) {
      return {
        response: {
          status: 401,
          headers: challenge,
          body: options.tokenRefusal('missing', undefined, endpoint),
        },
      };
    }
    if (audience !== endpoint) {
      return {
        response: {
          status: 401,
          headers: challenge,
          body: options.tokenRefusal('audience', audience, endpoint),
        },
        audience,
      };
    }
    const next = injected.find((response) => response.remaining > 0);
    if (next) {
      next.remaining--;
      return { response: next, audience };
    }
    try {
      const request = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
      };
      return { response: options.route({ ...request, body, rawBody }), audience };
    } catch (error) {
      return {
        response: {
          status: 500,
          body: options.errorBody('InternalServerError', `The fake failed: ${String(error)}`),
        },
        audience,
      };
    }
  };

  const server = https.createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', endpoint);
      const body = parseJson(rawBody);
      const { response, audience } = answer(req, url, rawBody, body);
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: body ?? rawBody,
        headers: Object.fromEntries(
          Object.entries(req.headers).flatMap(([name, value]) =>
            name === 'authorization' || value === undefined ? [] : [[name, String(value)]],
          ),
        ),
        audience,
        at: Date.now(),
        status: response.status,
      });
      send(res, response);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    caPem: cert,
    requests,
    respondNext(response) {
      injected.push({ ...response, remaining: response.times ?? 1 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * The `aud` claim of a bearer JWT, '' for a bearer token that is not a readable JWT, undefined
 * without a bearer token. The real services validate the signature too; these fakes cannot.
 */
function tokenAudience(authorization: string | undefined): string | undefined {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (token === undefined) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      aud?: unknown;
    };
    return typeof payload.aud === 'string' ? payload.aud.replace(/\/$/, '') : '';
  } catch {
    return '';
  }
}
