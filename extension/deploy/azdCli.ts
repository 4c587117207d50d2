// The Azure Developer CLI as the extension uses it: plain Node (no `vscode`), so that it runs under the
// tests against the fake azd (test/fakes/azd). Short queries go through runCli; the long `azd up` /
// `azd deploy` runs are started by the caller (a VS Code task, or startAzd below) and their output is
// read back with interpretAzdOutput.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { parse as parseDotenv } from 'dotenv';
import { UserFacingError } from '../common/errors';
import type { Logger } from '../common/log';
import { CliNotFoundError, runCli, startProcess, type ManagedProcess } from '../common/processes';

/**
 * azd 1.9.4 was the first release that deploys to a Flex Consumption function app (Azure/azure-dev
 * #4003; older releases fail at `azd deploy`), which is the only plan our Bicep creates. We ask for
 * 1.10.0, the first minor release that includes it, so the message can simply say "1.10 or later".
 */
export const MIN_AZD_VERSION = '1.10.0';

const queryTimeoutMs = 30_000;

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
  return compareVersions(version, MIN_AZD_VERSION) < 0
    ? { status: 'too-old', version }
    : { status: 'ok', version };
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
 * Compares the numeric major.minor.patch only: a pre-release or daily build (1.11.0-beta.1) counts as
 * its release, since azd's betas already carry the features of the version they lead to.
 */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => (/^(\d+)\.(\d+)\.(\d+)/.exec(version) ?? []).slice(1, 4).map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
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
    const said = azdErrorText(result.stderr) || lastLine(result.stdout) || `exit code ${result.exitCode}`;
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

/** azd's error from stderr: the message of a JSON consoleMessage envelope, else the last line. */
function azdErrorText(stderr: string): string {
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

function lastLine(text: string): string {
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

/** Runs a long azd command (up, deploy, provision) outside VS Code's tasks; stop() cancels it. */
export function startAzd(
  azdPath: string,
  args: readonly string[],
  options: { cwd: string; log: Logger; env?: NodeJS.ProcessEnv },
): ManagedProcess {
  return startProcess({
    name: 'azd',
    command: azdPath,
    args,
    cwd: options.cwd,
    env: options.env ?? process.env,
    log: options.log,
  });
}

export type AzdRemedyKind =
  | 'provider-not-registered'
  | 'transient-tag'
  | 'not-signed-in'
  | 'quota'
  | 'missing-input'
  | 'internal-server-error';

export interface AzdRemedy {
  kind: AzdRemedyKind;
  message: string;
  /** Running the same command again may well succeed. */
  retry: boolean;
  /** A command the user can run to fix it. */
  command?: string;
}

export interface AzdOutcome {
  succeeded: boolean;
  /** The deployed service's endpoint, from azd's `- Endpoint: <url>` line. */
  endpoint?: string;
  /** azd's last `ERROR: …` line, without the `ERROR: ` prefix; absent when it succeeded. */
  errorLine?: string;
  remedy?: AzdRemedy;
}

const portalProviders =
  'or in the Azure portal: your subscription > Settings > Resource providers > select it > Register';

/**
 * Reads the output of `azd up` / `azd deploy` / `azd provision` (stdout and stderr lines, in any
 * colour): it succeeded when the last `SUCCESS:`/`ERROR:` line is a SUCCESS; the endpoint is the last
 * `- Endpoint:`; known failures get a remedy.
 */
export function interpretAzdOutput(lines: readonly string[]): AzdOutcome {
  // A line a terminal would have redrawn (spinner updates end in \r) shows its last state.
  const clean = lines.flatMap((line) =>
    stripVTControlCharacters(line)
      .split('\n')
      .map((part) => part.split('\r').filter(Boolean).pop() ?? ''),
  );
  let endpoint: string | undefined;
  let verdict: { succeeded: boolean; line: string } | undefined;
  for (const line of clean) {
    const found = /-\s+Endpoint:\s+<?(\S+?)>?$/.exec(line.trim());
    if (found) endpoint = found[1];
    const result = /^\s*(SUCCESS|ERROR):\s*(.*)$/.exec(line);
    if (result) verdict = { succeeded: result[1] === 'SUCCESS', line: result[2]!.trim() };
  }
  const succeeded = verdict?.succeeded === true;
  const outcome: AzdOutcome = { succeeded };
  if (endpoint) outcome.endpoint = endpoint;
  if (succeeded) return outcome;
  if (verdict) outcome.errorLine = verdict.line;
  const remedy = remedyFor(clean.join('\n'));
  if (remedy) outcome.remedy = remedy;
  return outcome;
}

function remedyFor(text: string): AzdRemedy | undefined {
  const unregistered =
    /not registered to use namespace '([\w.]+)'/i.exec(text) ??
    /MissingSubscriptionRegistration[^\n]*?'?(Microsoft\.[\w.]+)/i.exec(text);
  if (unregistered || /MissingSubscriptionRegistration/i.test(text)) {
    const namespace = unregistered?.[1] ?? 'Microsoft.App';
    const command = `az provider register --namespace ${namespace}`;
    return {
      kind: 'provider-not-registered',
      message:
        `Your subscription is not registered for the ${namespace} resource provider, which Flex Consumption ` +
        `function apps need. Register it with \`${command}\` ${portalProviders}. Registration takes a few ` +
        'minutes; deploy again once it shows Registered.',
      retry: false,
      command,
    };
  }
  if (/not logged in, run `azd (auth )?login`|reauthentication required|AADSTS\d+/i.test(text)) {
    return {
      kind: 'not-signed-in',
      message:
        'azd is not signed in to Azure (or its sign-in expired): run `azd auth login`, then deploy again.',
      retry: false,
      command: 'azd auth login',
    };
  }
  const untagged = /unable to find a resource tagged with '(azd-service-name: [\w-]+)'/i.exec(text);
  if (untagged) {
    return {
      kind: 'transient-tag',
      message:
        `azd could not find the function app tagged '${untagged[1]}'. This happens right after provisioning; ` +
        "retrying usually works (Azure's resource index lags a little behind). If it keeps failing, the " +
        'environment was probably never provisioned: run a full deploy (azd up).',
      retry: true,
    };
  }
  if (
    /InsufficientQuota|QuotaExceeded|OverQuota|exceed(?:s|ing|ed)? (?:the )?(?:approved )?quota/i.test(text)
  ) {
    return {
      kind: 'quota',
      message:
        'Your subscription has no quota left for these resources in this region. Deploy to another region ' +
        '(`azd env set AZURE_LOCATION <region>`, then deploy again) or request more quota in the Azure portal.',
      retry: false,
      command: 'azd env set AZURE_LOCATION <region>',
    };
  }
  const question = /no default response for prompt '([^']+)'/.exec(text);
  if (question) {
    return {
      kind: 'missing-input',
      message:
        `azd needed an answer it cannot ask for without a prompt ("${question[1]!.trim()}"). Give the ` +
        'environment its subscription and region (`azd env set AZURE_SUBSCRIPTION_ID <id>`, ' +
        '`azd env set AZURE_LOCATION <region>`) or create it again with both, then deploy again.',
      retry: false,
    };
  }
  if (/InternalServerError/.test(text)) {
    const command = 'az provider register --namespace Microsoft.App';
    return {
      kind: 'internal-server-error',
      message:
        'Azure answered with an internal server error while provisioning. For a Flex Consumption function ' +
        `app this is often the Microsoft.App resource provider not being registered: \`${command}\` ` +
        `${portalProviders}. Otherwise it is transient and retrying usually works.`,
      retry: true,
      command,
    };
  }
  return undefined;
}

export interface DeploymentOutputs {
  functionName: string;
  hostName: string;
  resourceGroup: string;
  tenantId: string;
  subscriptionId: string;
  resourceId: string;
  location: string;
  environment: string;
}

/**
 * The deployed app, from the environment's values (azd's own plus our Bicep outputs). A missing value
 * means provisioning did not finish (or the template is not ours): the error names the keys.
 */
export function deploymentOutputs(values: Record<string, string>): DeploymentOutputs {
  const get = (...keys: string[]) => keys.map((key) => values[key]?.trim()).find(Boolean);
  const found = {
    functionName: get('AZURE_FUNCTION_NAME', 'SERVICE_API_NAME'),
    hostName: get('SERVICE_API_DEFAULT_HOSTNAME')
      ?.replace(/^https?:\/\//i, '')
      .replace(/\/+$/, ''),
    resourceGroup: get('AZURE_RESOURCE_GROUP'),
    tenantId: get('AZURE_TENANT_ID'),
    subscriptionId: get('AZURE_SUBSCRIPTION_ID'),
    location: get('AZURE_LOCATION'),
    environment: get('AZURE_ENV_NAME'),
  };
  const keyOf: Record<keyof typeof found, string> = {
    functionName: 'AZURE_FUNCTION_NAME',
    hostName: 'SERVICE_API_DEFAULT_HOSTNAME',
    resourceGroup: 'AZURE_RESOURCE_GROUP',
    tenantId: 'AZURE_TENANT_ID',
    subscriptionId: 'AZURE_SUBSCRIPTION_ID',
    location: 'AZURE_LOCATION',
    environment: 'AZURE_ENV_NAME',
  };
  const missing = (Object.keys(found) as (keyof typeof found)[]).filter((field) => !found[field]);
  if (missing.length > 0) {
    const keys = missing.map((field) => keyOf[field]);
    const where = found.environment ? `azd environment ${found.environment}` : 'the azd environment';
    throw new UserFacingError(
      `${where} has no ${keys.join(', ')}. \`azd provision\` may not have finished (or the infrastructure ` +
        'is not this extension’s): deploy again with `azd up` to provision it.',
    );
  }
  const complete = found as { [K in keyof typeof found]: string };
  const resourceId =
    get('SERVICE_API_RESOURCE_ID') ??
    `/subscriptions/${complete.subscriptionId}/resourceGroups/${complete.resourceGroup}/providers/Microsoft.Web/sites/${complete.functionName}`;
  if (
    !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web\/sites\/[^/]+$/i.test(
      resourceId,
    )
  ) {
    throw new UserFacingError(
      `SERVICE_API_RESOURCE_ID in ${complete.environment} is not a function app's resource id: ${resourceId}`,
    );
  }
  return { ...complete, resourceId };
}
