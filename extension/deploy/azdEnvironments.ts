// The project's azd environments: `.azure/<env>/.env` as written on disk, and `azd env get-values`
// as azd itself reads them.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { runCli } from '../common/processes';
import { azdStderrMessage, lastLine, queryTimeoutMs, type AzdCallOptions } from './azdCli';

export interface AzdEnvironment {
  name: string;
  isDefault: boolean;
  values: Record<string, string>;
}

/**
 * The project's azd environments, read straight from `.azure/config.json` and `.azure/<env>/.env`
 * (no process, so it is quick enough for pickers and tree views). Values are as written; azd saves
 * them with Go's godotenv, which escapes \ " ! $ ` inside double quotes; dotenv's parse keeps those
 * backslashes, so exact values with such characters should come from azdEnvValues. Our outputs
 * (names, ids, host names) have none.
 */
export function listAzdEnvironments(projectDir: string): AzdEnvironment[] {
  const azureDir = path.join(projectDir, '.azure');
  if (!existsSync(azureDir)) return [];
  let defaultName: string | undefined;
  try {
    const config = JSON.parse(readFileSync(path.join(azureDir, 'config.json'), 'utf8')) as {
      defaultEnvironment?: unknown;
    };
    if (typeof config.defaultEnvironment === 'string') defaultName = config.defaultEnvironment;
  } catch {
    // No config.json (or a broken one): no default environment, as azd treats it.
  }
  const environments: AzdEnvironment[] = [];
  for (const name of readdirSync(azureDir).sort()) {
    const envFile = path.join(azureDir, name, '.env');
    try {
      if (!statSync(path.join(azureDir, name)).isDirectory() || !existsSync(envFile)) continue;
      environments.push({
        name,
        isDefault: name === defaultName,
        values: parseDotenv(readFileSync(envFile)),
      });
    } catch {
      // A folder that vanished or cannot be read is not an environment we can use.
    }
  }
  return environments;
}

/** `azd env get-values --output json -e <env>`: the environment as azd itself reads it. */
export async function azdEnvValues(
  azdPath: string,
  projectDir: string,
  env: string,
  options: AzdCallOptions = {},
): Promise<Record<string, string>> {
  const args = ['env', 'get-values', '--output', 'json', '-e', env, '--cwd', projectDir];
  const command = `azd ${args.slice(0, 4).join(' ')} -e ${env}`;
  const result = await runCli(azdPath, args, {
    timeoutMs: options.timeoutMs ?? queryTimeoutMs,
    cwd: projectDir,
    env: options.env,
  });
  if (result.exitCode !== 0) {
    const said = azdStderrMessage(result.stderr) || lastLine(result.stdout) || `exit code ${result.exitCode}`;
    throw new Error(`\`${command}\` failed: ${said}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw new Error(`\`${command}\` did not print JSON: ${JSON.stringify(result.stdout.slice(0, 200))}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`\`${command}\` printed ${describe(parsed)}, not a flat JSON object of strings.`);
  }
  const notStrings = Object.entries(parsed).filter(([, value]) => typeof value !== 'string');
  if (notStrings.length > 0) {
    const keys = notStrings.map(([key, value]) => `${key} (${describe(value)})`).join(', ');
    throw new Error(`\`${command}\` printed values that are not strings: ${keys}.`);
  }
  return parsed as Record<string, string>;
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
