import type { EntraAuthSettings } from './entraAuth';

/** How the embedded host is configured: environment variables, read and checked once at start. */
export interface EmbeddedHostSettings {
  host: string;
  port: number;
  /** When set, every MCP request must carry it, as the Functions `mcp_extension` key would be required. */
  key: string | undefined;
  /** Host names accepted in the Host header, besides the loopback names (DNS-rebinding protection). */
  extraAllowedHosts: string[];
  /** Origins accepted from browsers, besides loopback origins. */
  extraAllowedOrigins: string[];
  maxBodyBytes: number;
  /** Set by MCP_AUTH_*: every MCP request needs a Microsoft Entra access token instead of a key. */
  auth?: EntraAuthSettings;
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

const defaultPort = 7071;
const defaultMaxBodyBytes = 4 * 1024 * 1024;

export function embeddedHostSettingsFromEnv(env: NodeJS.ProcessEnv): EmbeddedHostSettings {
  // PORT first (what people set by hand), then the custom-handler port Functions assigns.
  const portVariable = env.PORT
    ? 'PORT'
    : env.FUNCTIONS_CUSTOMHANDLER_PORT
      ? 'FUNCTIONS_CUSTOMHANDLER_PORT'
      : undefined;
  const port = portVariable ? parseInteger(portVariable, env[portVariable], 0, 65535) : defaultPort;
  const host = env.MCP_HOST?.trim() || '127.0.0.1';
  const auth = entraAuthSettingsFromEnv(env);
  if (auth && env.MCP_KEY) {
    throw new SettingsError(
      'MCP_KEY and MCP_AUTH_* are both set: pick one. With Entra sign-in (MCP_AUTH_*) the key is not used, as a function app with Entra turns its MCP webhook to Anonymous; unset MCP_KEY.',
    );
  }
  return {
    host,
    port,
    key: env.MCP_KEY ? env.MCP_KEY : undefined,
    ...(auth ? { auth } : {}),
    extraAllowedHosts: [
      ...list(env.MCP_ALLOWED_HOSTS),
      ...(isWildcard(host) || isLoopback(host) ? [] : [host]),
    ],
    extraAllowedOrigins: list(env.MCP_ALLOWED_ORIGINS),
    maxBodyBytes: env.MCP_MAX_BODY_BYTES
      ? parseInteger('MCP_MAX_BODY_BYTES', env.MCP_MAX_BODY_BYTES, 1024, 100 * 1024 * 1024)
      : defaultMaxBodyBytes,
  };
}

const authVariables = ['MCP_AUTH_ISSUER', 'MCP_AUTH_AUDIENCE', 'MCP_AUTH_JWKS_URL'] as const;

/** Entra sign-in needs all three of issuer, audience and JWKS URL; none of them means key or no auth. */
export function entraAuthSettingsFromEnv(env: NodeJS.ProcessEnv): EntraAuthSettings | undefined {
  const given = authVariables.filter((name) => env[name]?.trim());
  if (given.length === 0) {
    if (env.MCP_AUTH_SCOPES?.trim()) {
      throw new SettingsError(
        `MCP_AUTH_SCOPES is set but Entra sign-in is not configured: also set ${authVariables.join(', ')}.`,
      );
    }
    return undefined;
  }
  const missing = authVariables.filter((name) => !given.includes(name));
  if (missing.length > 0) {
    throw new SettingsError(
      `Entra sign-in needs ${authVariables.join(', ')} together; ${missing.join(' and ')} ${
        missing.length === 1 ? 'is' : 'are'
      } not set.`,
    );
  }
  const issuer = parseHttpUrl('MCP_AUTH_ISSUER', env.MCP_AUTH_ISSUER);
  const jwksUrl = parseHttpUrl('MCP_AUTH_JWKS_URL', env.MCP_AUTH_JWKS_URL);
  const audiences = list(env.MCP_AUTH_AUDIENCE);
  const scopes = list(env.MCP_AUTH_SCOPES);
  // The scope VS Code asks for names the API by its identifier URI (api://...) where there is one.
  const resource = audiences.find((audience) => audience.includes('://')) ?? audiences[0];
  return {
    issuer,
    audiences,
    jwksUrl,
    scopes: scopes.length > 0 ? scopes : [`${resource}/user_impersonation`],
    trustForwardedProto: env.MCP_TRUST_PROXY?.trim() === '1',
  };
}

function parseHttpUrl(variable: string, raw: string | undefined): string {
  const value = (raw ?? '').trim();
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new SettingsError(`${variable} must be an http(s) URL; it is "${value}".`);
  }
  // The issuer is compared with tokens' iss exactly, so it is kept as written.
  return value;
}

function parseInteger(variable: string, raw: string | undefined, min: number, max: number): number {
  const value = Number(raw);
  if (!raw || !/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new SettingsError(`${variable} must be a whole number from ${min} to ${max}; it is "${raw}".`);
  }
  return value;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}
