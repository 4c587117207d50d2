// Microsoft Entra sign-in for the embedded host, shaped like a function app with built-in auth
// ("Easy Auth") in front of the MCP webhook, so VS Code's whole sign-in chain runs offline:
//   - a request without `Authorization: Bearer` gets 401 and
//       WWW-Authenticate: Bearer resource_metadata="<origin>/.well-known/oauth-protected-resource/runtime/webhooks/mcp"
//     (RFC 9728 §5.1; no error code when no token was sent, RFC 6750 §3.1);
//   - a token that fails validation gets 401 with error="invalid_token" and a description;
//   - Protected Resource Metadata (RFC 9728 §3) is served at the path-suffixed and the root
//     well-known paths, with `resource` equal to the MCP URL, as VS Code requires.
// No /.well-known/oauth-authorization-server is served: Entra publishes only its OpenID
// configuration, at <issuer>/.well-known/openid-configuration.
import type { Request, RequestHandler, Response } from 'express';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { mcpRoutes } from '../../../../shared/mcpRoutes';
import { sendJsonRpcError } from './requestGuards';
import type { ToolLogger } from '../../toolkit/toolLogger';

/** The MCP_AUTH_* settings. With them set, MCP_KEY is not allowed: Entra replaces the key. */
export interface EntraAuthSettings {
  /** MCP_AUTH_ISSUER, e.g. https://login.microsoftonline.com/<tenant>/v2.0; tokens' `iss` must equal it. */
  issuer: string;
  /**
   * MCP_AUTH_AUDIENCE, comma-separated: a token's `aud` must be one of them. Entra v2 access tokens
   * carry the API's application (client) id, v1 tokens its identifier URI (api://...); list both if unsure.
   */
  audiences: string[];
  /** MCP_AUTH_JWKS_URL, e.g. https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys. */
  jwksUrl: string;
  /** MCP_AUTH_SCOPES, advertised as the PRM's scopes_supported; default `<identifier URI>/user_impersonation`. */
  scopes: string[];
  /** MCP_TRUST_PROXY=1: honour `X-Forwarded-Proto: https` from a TLS front end when building URLs. */
  trustForwardedProto: boolean;
}

export const protectedResourcePaths = {
  /** RFC 9728 §3.1: the well-known segment inserted before the resource's path. */
  pathSuffixed: `/.well-known/oauth-protected-resource${mcpRoutes.streamableHttp}`,
  root: '/.well-known/oauth-protected-resource',
} as const;

/** Enough for clocks a little apart, small enough that an expired token is refused promptly. */
const clockToleranceSeconds = 30;

/** The origin clients used to reach this host: the (already validated) Host, plain http unless a trusted proxy says https. */
export function requestOrigin(
  req: Request,
  settings: Pick<EntraAuthSettings, 'trustForwardedProto'>,
): string {
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  const scheme = settings.trustForwardedProto && first === 'https' ? 'https' : 'http';
  return `${scheme}://${req.headers.host ?? 'localhost'}`;
}

export function protectedResourceMetadata(
  origin: string,
  settings: Pick<EntraAuthSettings, 'issuer' | 'scopes'>,
): Record<string, unknown> {
  return {
    resource: `${origin}${mcpRoutes.streamableHttp}`,
    authorization_servers: [settings.issuer],
    scopes_supported: settings.scopes,
    bearer_methods_supported: ['header'],
  };
}

/** GET handler for both well-known PRM paths. */
export function protectedResourceMetadataHandler(settings: EntraAuthSettings): RequestHandler {
  return (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(protectedResourceMetadata(requestOrigin(req, settings), settings));
  };
}

/**
 * Requires `Authorization: Bearer <JWT>` signed RS256 by a key in the issuer's JWKS, with the
 * configured issuer and one of the audiences, and not expired. The verified claims go on `req.auth`,
 * where the MCP SDK's transports hand them to request handlers as `authInfo`.
 */
export function entraBearerGuard(settings: EntraAuthSettings, log: ToolLogger): RequestHandler {
  // Fetched on first use, cached, and refetched (rate-limited) when a token names an unknown key id.
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 10_000 });
  return (req, res, next) => {
    const challenge = `Bearer resource_metadata="${requestOrigin(req, settings)}${protectedResourcePaths.pathSuffixed}"`;
    const header = req.headers.authorization ?? '';
    if (!/^Bearer(\s|$)/i.test(header)) {
      // No credentials, or another scheme (a key, Basic): say where to sign in, with no error code.
      res.setHeader('WWW-Authenticate', challenge);
      sendJsonRpcError(
        res,
        401,
        'This MCP server requires Microsoft Entra sign-in: send an access token in the Authorization header (Bearer).',
      );
      return;
    }
    const token = header.slice('Bearer'.length).trim();
    if (token === '' || /\s/.test(token)) {
      refuse(res, challenge, 'The Authorization header must be "Bearer" followed by one access token.');
      return;
    }
    jwtVerify(token, keys, {
      issuer: settings.issuer,
      audience: settings.audiences,
      algorithms: ['RS256'],
      clockTolerance: clockToleranceSeconds,
      requiredClaims: ['exp'],
    }).then(
      ({ payload }) => {
        (req as Request & { auth?: unknown }).auth = authInfo(token, payload);
        next();
      },
      (error: unknown) => {
        const problem = describeTokenProblem(error);
        if (problem) {
          refuse(res, challenge, problem);
          return;
        }
        // The keys could not be fetched: the client's token may be fine, so no invalid_token.
        log.error(
          `Could not check a token against the signing keys at ${settings.jwksUrl} (MCP_AUTH_JWKS_URL): ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
        sendJsonRpcError(
          res,
          503,
          "The MCP host could not fetch its sign-in provider's signing keys to check the token. Its log has the details.",
        );
      },
    );
  };
}

function refuse(res: Response, challenge: string, description: string): void {
  res.setHeader(
    'WWW-Authenticate',
    `${challenge}, error="invalid_token", error_description="${quotable(description)}"`,
  );
  sendJsonRpcError(res, 401, description);
}

/** A reason for the client, or undefined when the failure is the server's (keys unreachable). */
function describeTokenProblem(error: unknown): string | undefined {
  if (error instanceof errors.JWTExpired) return 'The access token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'aud':
        return 'The access token is for another audience (aud) than this MCP server.';
      case 'iss':
        return 'The access token was issued by another issuer (iss) than this MCP server trusts.';
      case 'nbf':
        return 'The access token is not valid yet (nbf).';
      case 'exp':
        return 'The access token has no expiry (exp).';
      default:
        return `The access token's ${error.claim} claim is not valid.`;
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return "The access token's signature is not valid.";
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return 'The access token is signed with a key the issuer does not publish.';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The access token is not signed with RS256.';
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWEInvalid
  )
    return 'The access token is not a well-formed signed JWT.';
  return undefined;
}

/** RFC 6750 §3: error_description is limited to printable ASCII without `"` and `\`. */
function quotable(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '');
}

function authInfo(token: string, payload: JWTPayload) {
  const scp = typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r) => typeof r === 'string') : [];
  const clientId =
    typeof payload.azp === 'string' ? payload.azp : typeof payload.appid === 'string' ? payload.appid : '';
  return {
    token,
    clientId,
    scopes: [...scp, ...roles],
    expiresAt: payload.exp,
    extra: { oid: payload.oid, tid: payload.tid, sub: payload.sub },
  };
}
