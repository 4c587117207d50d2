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
  return {
    host,
    port,
    key: env.MCP_KEY ? env.MCP_KEY : undefined,
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
