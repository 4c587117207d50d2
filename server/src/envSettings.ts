// Reading the server's settings from its environment (app settings in Azure, the shell or a .env
// file locally), shared by every capability so each variable is read and worded the same way.

/** `.env` files and app settings often carry a variable with an empty value, which means "not set". */
export function configured(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value ? value : undefined;
}

/**
 * A whole number of milliseconds from 1 to `maxMs`, or `defaultMs` when the variable is not set.
 * Throws at start-up, naming the variable and the rule, when the value is unusable.
 */
export function millisecondsFromEnv(
  env: NodeJS.ProcessEnv,
  variable: string,
  defaultMs: number,
  maxMs: number,
): number {
  const value = configured(env, variable);
  if (value === undefined) return defaultMs;
  const ms = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < 1 || ms > maxMs) {
    throw new Error(`${variable} must be a whole number of milliseconds from 1 to ${maxMs}, not "${value}".`);
  }
  return ms;
}
