// The two credentials ARM calls use: VS Code's Microsoft sign-in session, and the Azure Developer
// CLI's sign-in. Part of the Azure bundle (dist/azure.js).
import type { AccessToken, TokenCredential } from '@azure/identity';
import { decodeJwt } from 'jose';
import { CliNotFoundError, runCli, type CliResult } from '../common/processes';
import { AzureAccessError } from './errors';

export type { TokenCredential };

const FALLBACK_LIFETIME_MS = 5 * 60_000;
const AZD_TOKEN_TIMEOUT_MS = 30_000;

/** The `exp` claim of a JWT, in ms since the epoch; undefined when the token is not a JWT. */
export function jwtExpiry(token: string): number | undefined {
  let exp: unknown;
  try {
    exp = decodeJwt(token).exp;
  } catch {
    return undefined;
  }
  return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? exp * 1000 : undefined;
}

/**
 * A TokenCredential over a sign-in session that hands out bare access tokens (VS Code's
 * authentication API gives no expiry). The expiry comes from the JWT's `exp`; a token that is not
 * a JWT is taken to live 5 minutes. Never 0: the bearer-token policy would treat the token as
 * expired and ask for a new one before every request.
 */
export function tokenCredentialFromSession(
  getAccessToken: (scopes: string[]) => Promise<string>,
): TokenCredential {
  return {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const token = await getAccessToken(Array.isArray(scopes) ? scopes : [scopes]);
      return {
        token,
        expiresOnTimestamp: jwtExpiry(token) ?? Date.now() + FALLBACK_LIFETIME_MS,
        tokenType: 'Bearer',
      };
    },
  };
}

/**
 * The Azure Developer CLI's sign-in, through the azd the user configured (remoteMcp.azdPath).
 * @azure/identity's AzureDeveloperCliCredential speaks the same `azd auth token --output json`
 * contract but always runs the `azd` found on PATH, and VS Code's server replaces the extension
 * host's PATH with the login shell's; so this runs the configured executable itself.
 */
export function azdCredential(azdPath: string, tenantId?: string): TokenCredential {
  return {
    getToken: async (scopes) => {
      const args = ['auth', 'token', '--output', 'json', '--no-prompt'];
      for (const scope of Array.isArray(scopes) ? scopes : [scopes]) args.push('--scope', scope);
      if (tenantId) args.push('--tenant-id', tenantId);
      const { result, failure } = await runAzdTokenCommand(azdPath, args);
      const parsed = result && result.exitCode === 0 ? parseAzdToken(result.stdout) : undefined;
      if (parsed) return parsed;
      const reason =
        azdJsonOrLastLine(result?.stderr ?? '') ??
        azdJsonOrLastLine(result?.stdout ?? '') ??
        failure ??
        (result && result.exitCode !== 0 ? 'it failed' : 'no token in its output');
      throw new AzureAccessError(
        /not logged in|auth login/i.test(reason)
          ? `azd is not signed in to Azure: run "azd auth login", then try again.`
          : `azd could not get an Azure token: ${reason}`,
        401,
        'AzdTokenUnavailable',
      );
    },
  };
}

/** Runs `azd auth token`; a missing executable or a timeout is a `failure`, not a throw. */
async function runAzdTokenCommand(
  azdPath: string,
  args: string[],
): Promise<{ result?: CliResult; failure?: string }> {
  try {
    return { result: await runCli(azdPath, args, { timeoutMs: AZD_TOKEN_TIMEOUT_MS }) };
  } catch (error) {
    return { failure: error instanceof CliNotFoundError ? `${azdPath} was not found` : 'it failed' };
  }
}

/** `{"token": "...", "expiresOn": "2026-01-01T00:00:00Z"}`, as azd prints it. */
function parseAzdToken(stdout: string): { token: string; expiresOnTimestamp: number } | undefined {
  try {
    const body = JSON.parse(stdout) as { token?: unknown; expiresOn?: unknown };
    const expires = typeof body.expiresOn === 'string' ? Date.parse(body.expiresOn) : NaN;
    if (typeof body.token !== 'string' || !body.token || Number.isNaN(expires)) return undefined;
    return { token: body.token, expiresOnTimestamp: expires };
  } catch {
    return undefined;
  }
}

/**
 * What azd said, from one stream: azd writes errors as plain text (the last line is kept) or, with
 * --output json, as one `{"type":"consoleMessage","data":{"message":...}}` document.
 */
function azdJsonOrLastLine(output: string): string | undefined {
  const text = output.trim();
  if (!text) return undefined;
  try {
    const message = (JSON.parse(text) as { data?: { message?: unknown } }).data?.message;
    if (typeof message === 'string') return message.trim();
  } catch {
    // Plain text.
  }
  return text.split('\n').pop();
}
