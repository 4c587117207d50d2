// A loopback fake of the App Service / Azure Functions managed identity endpoint: the local token
// service the platform announces to the app in IDENTITY_ENDPOINT and IDENTITY_HEADER. Contract: the
// Learn page https://learn.microsoft.com/azure/app-service/overview-managed-identity, section "REST
// endpoint reference", and the request @azure/msal-node 7 builds for it
// (https://github.com/AzureAD/microsoft-authentication-library-for-js/tree/dev/lib/msal-node/src/client/ManagedIdentitySources:
// AppService.ts and BaseManagedIdentitySource.ts), which
// @azure/identity's ManagedIdentityCredential sends:
// - GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=<resource>[&client_id=<id>] with the
//   header `X-IDENTITY-HEADER: {IDENTITY_HEADER}`; without client_id (or mi_res_id / principal_id,
//   which this fake does not model) the token is for the system-assigned identity;
// - 200 {access_token, expires_on (epoch seconds, as a string), resource, token_type: "Bearer",
//   client_id};
// - refusals are {statusCode, message, correlationId}, the shape App Service answers with, as quoted
//   in reports of its 400 "No User Assigned or Delegated Managed Identity found for specified
//   ClientId/ResourceId/PrincipalId." for an identity the app does not have (e.g. the GitHub issue
//   Azure-Samples/azure-search-openai-demo#2148). The Learn page documents no error statuses: 400
//   for a malformed request (no header, no resource, another api-version) and 401 for a header that
//   is not the app's secret are this fake's choice (UNCONFIRMED), as are its messages' wording.
// Tokens are JWT-shaped (aud = the resource, appid = the identity's client ID) with a signature of
// random bytes: the loopback Azure fakes read `aud` (test/fakes/azureJsonService.ts), nothing can
// verify them, and none of it is a secret. Plain http on loopback, as the real endpoint is.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const MANAGED_IDENTITY_API_VERSION = '2019-08-01';
const tokenLifetimeSeconds = 24 * 3600;
const tenantId = '72f988bf-0000-4000-8000-0000000000f1';

export interface FakeManagedIdentityOptions {
  /** Client IDs of the user-assigned identities the app has. */
  userAssigned?: string[];
  /** The client ID of the app's system-assigned identity; without one the app has none. */
  systemAssigned?: string;
}

export interface ManagedIdentityTokenRequest {
  method: string;
  path: string;
  apiVersion: string | undefined;
  resource: string | undefined;
  /** The user-assigned identity asked for; undefined for the system-assigned one. */
  clientId: string | undefined;
  /** Whether X-IDENTITY-HEADER came, and whether it was the app's; its value is never kept. */
  identityHeader: 'missing' | 'wrong' | 'valid';
  status: number;
}

export interface FakeManagedIdentity {
  /** What the platform puts in IDENTITY_ENDPOINT: `http://127.0.0.1:PORT/msi/token`. */
  endpoint: string;
  /** What the platform puts in IDENTITY_HEADER (the app's secret for this endpoint). */
  identityHeader: string;
  /** The variables App Service sets for the app, to pass to the process under test. */
  env: { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string };
  requests: ManagedIdentityTokenRequest[];
  /** Every access token handed out, for tests that check none is written where it must not be. */
  issuedTokens: string[];
  /**
   * From now on only this header is accepted, as after the platform restarted the app with a new
   * secret: a process still holding the old one is refused with 401.
   */
  changeIdentityHeader(value: string): void;
  close(): Promise<void>;
}

export async function startFakeManagedIdentity(
  options: FakeManagedIdentityOptions,
): Promise<FakeManagedIdentity> {
  let identityHeader = randomBytes(16).toString('hex');
  const requests: ManagedIdentityTokenRequest[] = [];
  const issuedTokens: string[] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const header = req.headers['x-identity-header'];
    const request: Omit<ManagedIdentityTokenRequest, 'status'> = {
      method: req.method ?? 'GET',
      path: url.pathname,
      apiVersion: url.searchParams.get('api-version') ?? undefined,
      resource: url.searchParams.get('resource') ?? undefined,
      clientId: url.searchParams.get('client_id') ?? undefined,
      identityHeader: header === undefined ? 'missing' : header === identityHeader ? 'valid' : 'wrong',
    };
    const { status, body } = answer(request, options);
    requests.push({ ...request, status });
    if (status === 200) issuedTokens.push((body as { access_token: string }).access_token);
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    });
    res.end(text);
    // Drain whatever body came, so the connection can be reused.
    req.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`;

  return {
    endpoint,
    get identityHeader() {
      return identityHeader;
    },
    get env() {
      return { IDENTITY_ENDPOINT: endpoint, IDENTITY_HEADER: identityHeader };
    },
    requests,
    issuedTokens,
    changeIdentityHeader(value) {
      identityHeader = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(
  request: Omit<ManagedIdentityTokenRequest, 'status'>,
  options: FakeManagedIdentityOptions,
): { status: number; body: unknown } {
  const refuse = (status: number, message: string) => ({
    status,
    body: { statusCode: status, message, correlationId: randomUUID() },
  });
  if (request.method !== 'GET' || request.path !== '/msi/token') {
    return refuse(404, `No route for ${request.method} ${request.path}.`);
  }
  if (request.identityHeader === 'missing') return refuse(400, 'The X-IDENTITY-HEADER header is required.');
  if (request.identityHeader === 'wrong') return refuse(401, 'The X-IDENTITY-HEADER header is not valid.');
  if (request.apiVersion !== MANAGED_IDENTITY_API_VERSION) {
    return refuse(400, `The api-version "${request.apiVersion ?? ''}" is not supported.`);
  }
  if (!request.resource) return refuse(400, 'The resource query parameter is required.');
  const clientId =
    request.clientId === undefined
      ? options.systemAssigned
      : options.userAssigned?.find((id) => id.toLowerCase() === request.clientId?.toLowerCase());
  if (clientId === undefined) {
    return refuse(
      400,
      request.clientId === undefined
        ? 'No system-assigned managed identity is enabled for this app.'
        : 'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.',
    );
  }
  const now = Math.floor(Date.now() / 1000);
  const expiresOn = now + tokenLifetimeSeconds;
  return {
    status: 200,
    body: {
      access_token: fakeAccessToken({ audience: request.resource, clientId, issuedAt: now, expiresOn }),
      expires_on: String(expiresOn),
      resource: request.resource,
      token_type: 'Bearer',
      client_id: clientId,
    },
  };
}

/** A JWT-shaped access token for the identity, whose audience is the resource asked for. */
function fakeAccessToken(claims: {
  audience: string;
  clientId: string;
  issuedAt: number;
  expiresOn: number;
}): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = { typ: 'JWT', alg: 'RS256', kid: 'fake-managed-identity' };
  const payload = {
    aud: claims.audience,
    iss: `https://sts.windows.net/${tenantId}/`,
    iat: claims.issuedAt,
    nbf: claims.issuedAt,
    exp: claims.expiresOn,
    appid: claims.clientId,
    idtyp: 'app',
    tid: tenantId,
  };
  return `${part(header)}.${part(payload)}.${randomBytes(32).toString('base64url')}`;
}
