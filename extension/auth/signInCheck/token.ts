// Step 6: a token as VS Code would get it, for the scopes and the issuer's tenant. Its claims go in
// the report (never the token): they are what the consistency rules compare with Azure's settings.
import { decodeJwt } from 'jose';
import { established, type SignInContext, type TokenClaims } from './context';
import { VSCODE_CLIENT_ID } from '../entra';
import type { StepResult } from './runner';
import { signInErrorExplained } from './gateway';
import { errorMessage } from './text';

export async function checkToken(context: SignInContext): Promise<StepResult> {
  const scopes = established(context.scopes, 'the scopes');
  const tenant = context.issuerTenant;
  try {
    context.token = await context.input.getToken(scopes, tenant);
  } catch (error) {
    const failure = `No token for ${scopes.join(' ')}${tenant ? ` in tenant ${tenant}` : ''}: ${errorMessage(error)}`;
    const explained = context.input.viaGateway && signInErrorExplained(errorMessage(error), tenant);
    if (explained) {
      return {
        status: 'fail',
        detail: `${failure} ${explained.detail}`,
        fix: explained.fix,
        stopsChain: 'Skipped: needs a token.',
      };
    }
    return {
      status: 'fail',
      detail: failure,
      fix: `Sign in with an account of tenant ${tenant ?? '<tenant>'} when VS Code asks. AADSTS65001 (consent) means the app registration does not pre-authorize VS Code (${VSCODE_CLIENT_ID}) for the scope (Expose an API → Authorized client applications); AADSTS500011 means no app registration has the scope's identifier URI.`,
      stopsChain: 'Skipped: needs a token.',
    };
  }
  const claims = (context.claims = tokenClaims(context.token));
  if (!claims) return { status: 'pass', detail: 'Got a token (not a JWT whose claims can be shown).' };
  const expires = claims.exp ? `, expires ${new Date(claims.exp * 1000).toISOString()}` : '';
  return {
    status: 'pass',
    detail: `Got a token: aud ${claims.aud ?? '?'}, tid ${claims.tid ?? '?'}, client ${claims.azp ?? claims.appid ?? '?'}, scp ${claims.scp ?? '?'}${expires}.`,
  };
}

/** The claims the report shows, as text; undefined when the token is not a JWT. */
function tokenClaims(token: string): TokenClaims | undefined {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    return undefined;
  }
  const text = (value: unknown) =>
    typeof value === 'string' ? value : Array.isArray(value) ? value.join(' ') : undefined;
  return {
    aud: text(claims.aud),
    iss: text(claims.iss),
    tid: text(claims.tid),
    azp: text(claims.azp),
    appid: text(claims.appid),
    scp: text(claims.scp),
    exp: typeof claims.exp === 'number' ? claims.exp : undefined,
  };
}
