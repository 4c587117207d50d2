// A loopback fake of the Microsoft identity platform (Microsoft Entra ID) v2.0 endpoint for one
// tenant, shaped after the documented contract:
//   - "OpenID Connect on the Microsoft identity platform" (learn.microsoft.com/entra/identity-platform/v2-protocols-oidc):
//     the OpenID configuration is at <issuer>/.well-known/openid-configuration, where the issuer is
//     https://login.microsoftonline.com/<tenant>/v2.0; its fields (issuer, authorization_endpoint,
//     token_endpoint, jwks_uri, response_types_supported, subject_types_supported ["pairwise"],
//     id_token_signing_alg_values_supported ["RS256"], scopes_supported, claims_supported,
//     tenant_region_scope, cloud_instance_name, ...). No code_challenge_methods_supported, as Entra.
//   - "Signing key rollover" (learn.microsoft.com/entra/identity-platform/signing-key-rollover):
//     the JWKS at https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys,
//     {"keys":[{"kty":"RSA","use":"sig","kid","x5t","n","e","issuer"}]}, kid equal to x5t.
//   - "Access token claims reference" (learn.microsoft.com/entra/identity-platform/access-token-claims-reference):
//     v2.0 access tokens are RS256 JWTs with header kid and claims aud, iss, iat, nbf, exp, tid, oid,
//     sub, azp (the client app), scp (space-separated delegated scopes), ver "2.0".
// Like Entra, nothing is served at /.well-known/oauth-authorization-server (RFC 8414) anywhere: 404.
// Tokens come from mintToken(); the token endpoint exists only so the metadata is truthful.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

/** The client id VS Code's built-in Microsoft authentication provider signs in with. */
export const VSCODE_CLIENT_ID = 'aebc6443-996d-45c2-90f0-388ff96faa56';

export interface MintTokenOptions {
  /** The `aud` claim: for v2.0 tokens Entra puts the API's application (client) id here. */
  audience: string;
  /** Scope names for `scp` (without the resource prefix); default ["user_impersonation"]. */
  scopes?: string[];
  /** Negative for a token that has already expired; default 3600. */
  expiresInSeconds?: number;
  /** Overrides `iss` (default: this fake's issuer). */
  issuer?: string;
  /** Overrides `tid` (default: this fake's tenant). */
  tenantId?: string;
  /** 'untrusted' signs with a key the JWKS does not hold, under the trusted key's kid (a forgery). */
  signWith?: 'trusted' | 'untrusted';
  /** The `azp` claim, the client app that asked for the token; default VS Code's client id. */
  appId?: string;
}

export interface FakeEntra {
  tenantId: string;
  origin: string;
  /** http://127.0.0.1:PORT/<tenant>/v2.0 */
  issuer: string;
  jwksUrl: string;
  openIdConfigurationUrl: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  mintToken(options: MintTokenOptions): Promise<string>;
  /** Every request served, in order, e.g. "GET /<tenant>/discovery/v2.0/keys". */
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

export async function startFakeEntra(options: { tenantId?: string } = {}): Promise<FakeEntra> {
  const tenantId = options.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const trusted = await generateKeyPair('RS256', { extractable: true });
  const untrusted = await generateKeyPair('RS256', { extractable: true });
  const kid = await thumbprint(trusted.publicKey);
  const oid = randomUUID();
  const requests: FakeEntra['requests'] = [];

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const issuer = `${origin}/${tenantId}/v2.0`;
  const paths = {
    openIdConfiguration: `/${tenantId}/v2.0/.well-known/openid-configuration`,
    jwks: `/${tenantId}/discovery/v2.0/keys`,
    authorize: `/${tenantId}/oauth2/v2.0/authorize`,
    token: `/${tenantId}/oauth2/v2.0/token`,
  };
  const jwks = { keys: [{ ...(await exportJWK(trusted.publicKey)), use: 'sig', kid, x5t: kid, issuer }] };
  const openIdConfiguration = {
    token_endpoint: `${origin}${paths.token}`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${origin}${paths.jwks}`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${origin}${paths.authorize}`,
    device_authorization_endpoint: `${origin}/${tenantId}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${origin}/${tenantId}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${origin}/${tenantId}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path });
    req.resume();
    if (req.method === 'GET' && path === paths.openIdConfiguration)
      return sendJson(res, 200, openIdConfiguration);
    if (req.method === 'GET' && path === paths.jwks) return sendJson(res, 200, jwks);
    if (path === paths.token || path === paths.authorize) {
      // The fake signs tokens through mintToken() only; Entra's error shape for a request it cannot serve.
      return sendJson(res, 400, {
        error: 'invalid_request',
        error_description: 'AADSTS900144: The fake identity platform issues tokens through mintToken() only.',
        error_codes: [900144],
        timestamp: new Date().toISOString(),
        trace_id: randomUUID(),
        correlation_id: randomUUID(),
      });
    }
    sendJson(res, 404, { error: 'not_found', error_description: `Nothing is served at ${path}.` });
  });

  return {
    tenantId,
    origin,
    issuer,
    jwksUrl: `${origin}${paths.jwks}`,
    openIdConfigurationUrl: `${origin}${paths.openIdConfiguration}`,
    authorizationEndpoint: `${origin}${paths.authorize}`,
    tokenEndpoint: `${origin}${paths.token}`,
    requests,
    mintToken: async (token) => {
      const now = Math.floor(Date.now() / 1000);
      const lifetime = token.expiresInSeconds ?? 3600;
      const exp = now + lifetime;
      const iat = lifetime > 0 ? now : exp - 3600;
      return new SignJWT({
        aud: token.audience,
        iss: token.issuer ?? issuer,
        iat,
        nbf: iat,
        exp,
        aio: randomUUID(),
        azp: token.appId ?? VSCODE_CLIENT_ID,
        azpacr: '0',
        name: 'Test User',
        oid,
        preferred_username: 'test.user@contoso.test',
        rh: '0.fake.',
        scp: (token.scopes ?? ['user_impersonation']).join(' '),
        sub: createHash('sha256').update(`${oid}:${token.audience}`).digest('base64url').slice(0, 43),
        tid: token.tenantId ?? tenantId,
        uti: randomUUID(),
        ver: '2.0',
      })
        .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid })
        .sign(token.signWith === 'untrusted' ? untrusted.privateKey : trusted.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON answer with its length, as the identity platform (and the gateway stand-in) send them. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Entra's kid/x5t is the signing certificate's SHA-1 thumbprint; the public key's stands in for it. */
async function thumbprint(publicKey: CryptoKey): Promise<string> {
  const pem = await exportSPKI(publicKey);
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return createHash('sha1').update(der).digest('base64url');
}

/** Errors Entra answers a sign-in with, which VS Code's getSession passes on in its message. */
export type EntraSignInErrorCode = 'AADSTS50020' | 'AADSTS65001' | 'AADSTS650057';

/**
 * The error a sign-in fails with, worded as Entra's error_description is (code, description, trace
 * and correlation ids), from https://learn.microsoft.com/entra/identity-platform/reference-error-codes:
 * AADSTS50020 UserUnauthorized, an account of another tenant (VS Code shows "Selected user account
 * does not exist in tenant"); AADSTS65001 DelegationDoesNotExist, no consent (VS Code cannot ask for
 * it: the app registration must pre-authorise VS Code); AADSTS650057 InvalidResource, a resource the
 * client's registration does not list.
 */
export function entraSignInError(
  code: EntraSignInErrorCode,
  about: { tenantId: string; appId: string; account?: string },
): Error {
  const descriptions: Record<EntraSignInErrorCode, string> = {
    AADSTS50020: `User account '${about.account ?? 'someone@fabrikam.test'}' from identity provider 'https://sts.windows.net/f0e1d2c3-0000-4000-8000-00000000f00d/' does not exist in tenant '${about.tenantId}' and cannot access the application '${VSCODE_CLIENT_ID}'(Visual Studio Code) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
    AADSTS65001: `The user or administrator has not consented to use the application with ID '${VSCODE_CLIENT_ID}' named 'Visual Studio Code'. Send an interactive authorization request for this user and resource.`,
    AADSTS650057: `Invalid resource. The client has requested access to a resource which is not listed in the requested permissions in the client's application registration. Client app ID: ${VSCODE_CLIENT_ID}(Visual Studio Code). Resource value from request: api://${about.appId}. Resource app ID: ${about.appId}.`,
  };
  return new Error(
    `${code}: ${descriptions[code]} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`,
  );
}
