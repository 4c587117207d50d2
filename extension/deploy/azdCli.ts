// The Azure Developer CLI's short queries, as the extension uses them: is it installed and new enough,
// is it signed in, and the arguments of the commands the extension runs. Plain Node (no `vscode`), so
// that it runs under the tests against the fake azd (test/fakes/azd). Environments are in
// azdEnvironments.ts, the Bicep outputs in azdOutputs.ts, the long runs' output in azdRunOutput.ts.
import { stripVTControlCharacters } from 'node:util';
// The two functions alone: the whole of semver would weigh on the activation bundle.
import coerce from 'semver/functions/coerce';
import lt from 'semver/functions/lt';
import { CliNotFoundError, runCli } from '../common/processes';

/**
 * azd 1.9.4 was the first release that deploys to a Flex Consumption function app (Azure/azure-dev
 * #4003; older releases fail at `azd deploy`), which is the only plan our Bicep creates. We ask for
 * 1.10.0, the first minor release that includes it, so the message can simply say "1.10 or later".
 */
export const MIN_AZD_VERSION = '1.10.0';

export const queryTimeoutMs = 30_000;

export interface AzdCallOptions {
  /** Environment for the azd process (tests point it at the fake's config); default: this process's. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export type AzdProbe =
  | { status: 'ok'; version: string }
  | { status: 'missing' }
  | { status: 'too-old'; version: string }
  | { status: 'broken'; detail: string };

/** Is azd installed, and new enough? `azd version --output json`, falling back to the text form. */
export async function probeAzd(azdPath: string, options: AzdCallOptions = {}): Promise<AzdProbe> {
  const run = (args: string[]) =>
    runCli(azdPath, args, { timeoutMs: options.timeoutMs ?? queryTimeoutMs, env: options.env });
  let result;
  try {
    result = await run(['version', '--output', 'json']);
    if (result.exitCode !== 0 || !jsonVersion(result.stdout)) result = await run(['version']);
  } catch (error) {
    if (error instanceof CliNotFoundError) return { status: 'missing' };
    return { status: 'broken', detail: error instanceof Error ? error.message : String(error) };
  }
  const version = jsonVersion(result.stdout) ?? /azd version (\d+\.\d+\.\d+\S*)/.exec(result.stdout)?.[1];
  if (result.exitCode !== 0 || !version) {
    const said = lastLine(result.stderr) || lastLine(result.stdout) || `exit code ${result.exitCode}`;
    return { status: 'broken', detail: `\`${azdPath} version\` did not report a version: ${said}` };
  }
  return isOlderThanMinimum(version) ? { status: 'too-old', version } : { status: 'ok', version };
}

function jsonVersion(stdout: string): string | undefined {
  try {
    const parsed = JSON.parse(stdout) as { azd?: { version?: unknown } };
    const version = parsed.azd?.version;
    return typeof version === 'string' && /^\d+\.\d+\.\d+/.test(version) ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether azd is older than MIN_AZD_VERSION. A pre-release or daily build (1.11.0-beta.1) counts as
 * its release, since azd's betas already carry the features of the version they lead to.
 */
export function isOlderThanMinimum(version: string): boolean {
  const release = coerce(version);
  return release !== null && lt(release, MIN_AZD_VERSION);
}

/**
 * `azd auth login --check-status --output json`: {"status":"success","expiresOn"} or
 * {"status":"unauthenticated"}, exit code 0 either way. Anything else counts as not signed in, with
 * what azd said as the detail.
 */
export async function azdSignInStatus(
  azdPath: string,
  cwd: string,
  options: AzdCallOptions = {},
): Promise<{ signedIn: boolean; detail?: string }> {
  let result;
  try {
    result = await runCli(azdPath, ['auth', 'login', '--check-status', '--output', 'json'], {
      timeoutMs: options.timeoutMs ?? queryTimeoutMs,
      cwd,
      env: options.env,
    });
  } catch (error) {
    return { signedIn: false, detail: error instanceof Error ? error.message : String(error) };
  }
  let status: unknown;
  try {
    status = (JSON.parse(result.stdout) as { status?: unknown }).status;
  } catch {
    status = undefined;
  }
  if (status === 'success') return { signedIn: true };
  if (status === 'unauthenticated') {
    return { signedIn: false, detail: 'azd is not signed in to Azure: run `azd auth login`.' };
  }
  const said = lastLine(result.stderr) || lastLine(result.stdout) || `exit code ${result.exitCode}`;
  return { signedIn: false, detail: `\`azd auth login --check-status\` gave no status: ${said}` };
}

/**
 * azd's error from the stderr of a command: the message of the last JSON consoleMessage envelope,
 * else the last line, without azd's `ERROR: ` prefix.
 */
export function azdStderrMessage(stderr: string): string {
  for (const line of stderr.split('\n').reverse()) {
    try {
      const message = (JSON.parse(line) as { data?: { message?: unknown } }).data?.message;
      if (typeof message === 'string' && message.trim()) return message.trim().replace(/^ERROR:\s*/, '');
    } catch {
      // not JSON: fall through to the last line
    }
  }
  return lastLine(stderr).replace(/^ERROR:\s*/, '');
}

/** The last non-empty line, without terminal colours. */
export function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => stripVTControlCharacters(line).trim())
      .filter(Boolean)
      .pop() ?? ''
  );
}

/** `azd up` the first time (provision and deploy), `azd deploy` after; never prompts. */
export function azdDeployArgs(options: { first: boolean; env: string; projectDir: string }): string[] {
  return [options.first ? 'up' : 'deploy', '--no-prompt', '-e', options.env, '--cwd', options.projectDir];
}

/** `azd env new <name> --subscription <id> --location <region>`: creates it and makes it the default. */
export function azdNewEnvArgs(options: {
  name: string;
  subscription?: string;
  location?: string;
  projectDir: string;
}): string[] {
  return [
    'env',
    'new',
    options.name,
    ...(options.subscription ? ['--subscription', options.subscription] : []),
    ...(options.location ? ['--location', options.location] : []),
    '--no-prompt',
    '--cwd',
    options.projectDir,
  ];
}
