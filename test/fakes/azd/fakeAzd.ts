// A stand-in for the Azure Developer CLI (`azd` 1.x), which cannot be installed on these machines (it
// is a downloaded binary) and whose real commands would reach Azure. It keeps its state where azd
// does — `.azure/config.json` and `.azure/<env>/.env` next to the project's azure.yaml (found from the
// working directory or `--cwd`, upwards) — and prints azd's own text. A JSON file named by
// FAKE_AZD_CONFIG says who is signed in, what provisioning produces and which failure to show (see
// FakeAzdConfig); FAKE_AZD_VERSION overrides the version it reports. The launcher is ./azd.
//
// Where its text and shapes come from (Azure/azure-dev unless another repository is named):
// - `azd version`: "azd version 1.2.0 (commit 99ea…)" as users paste it (Azure-Samples/
//   azure-search-openai-demo#555, Azure/azure-dev#2456); `--output json` is cli/azd/pkg/contracts/
//   version.go, {"azd":{"version","commit"}}.
// - `auth login --check-status`: cli/azd/cmd/auth_login.go prints the status and "always return[s] a
//   zero exit code"; JSON is contracts/login.go {"status":"success"|"unauthenticated","expiresOn"?};
//   the text "Not logged in, run `azd auth login` to login to Azure." is what Homebrew's azd formula
//   test expects from the same command.
// - `auth token`: cmd/auth_token.go and contracts/auth_token.go ({"token","expiresOn"}, RFC 3339 to
//   the second). Not signed in fails with pkg/auth's ErrNoCurrentUser, "not logged in, run `azd auth
//   login` to login"; with --output json azd 1.x writes it to stderr as a consoleMessage envelope
//   (contracts/envelope.go), the shape @azure/identity 4.14's AzureDeveloperCliCredential parses.
// - `env list --output json`: pkg/environment/manager.go's Description {Name, DotEnvPath, HasLocal,
//   HasRemote, IsDefault}, sorted by name. `env new`'s messages, `env get-values`/`get-value`'s
//   "does not exist" errors and `env set KEY VALUE | KEY=VALUE…`: cmd/env.go (`azd env set` in
//   https://learn.microsoft.com/azure/developer/azure-developer-cli/reference#azd-env-set: the value
//   is saved to `.azure/<env>/.env`, and `${KEY=default}` in main.parameters.json reads it). Environment names:
//   pkg/environment's "should contain only alphanumeric characters and hyphens" rule.
// - `.env` files: azd saves them with godotenv (sorted `KEY="value"` lines, integers unquoted,
//   \ " ! $ ` and newlines escaped); `.azure/config.json` is {"version":1,"defaultEnvironment"}.
// - `up`/`provision`/`deploy` progress: "Packaging services (azd package)", "Provisioning Azure
//   resources (azd provision)", "Provisioning Azure resources can take some time.", "Subscription:",
//   "Location:", the portal DeploymentDetailsBlade link and "  (✓) Done: <type>: <name> (1.52s)" lines
//   from Azure-Samples/functions-quickstart-powershell-azd#8; "Deploying services (azd deploy)",
//   "  (✓) Done: Deploying service web", "  - Endpoint: …", "SUCCESS: Your application was deployed
//   to Azure in 1 minute 39 seconds.", "You can view the resources created under the resource group …
//   in Azure Portal:" and "SUCCESS: Your up workflow to provision and deploy to Azure completed in 3
//   minutes 50 seconds." from azd quickstarts in MicrosoftDocs (Aspire and Cosmos DB). The ERROR and
//   SUCCESS lines go to stdout: azd prints an action's result through its console
//   (cmd/cobra_builder.go, console.MessageUxItem).
// - Failures: "ERROR: deployment failed: error deploying infrastructure: deploying to subscription:"
//   + "Deployment Error Details:" + "<Code>: <message>" (Azure/azure-dev#1708, Azure/reliable-web-
//   app-pattern-dotnet#335), with ARM's "MissingSubscriptionRegistration" text "The subscription is
//   not registered to use namespace '…'. See https://aka.ms/rps-not-found for how to register
//   subscriptions." (many ARM reports, e.g. Azure/data-product-streaming#12); "(x) Failed: Deploying
//   service backend" + "ERROR: getting target resource: resource not found unable to find a resource
//   tagged with 'azd-service-name: backend'. Ensure the service resource is correctly tagged in your
//   infrastructure configuration, and rerun provision." (azure-search-openai-demo#555); inside `up`
//   the step is named: "ERROR: error executing step command 'provision': …" (Azure-Samples/
//   realtime-call-center-accelerator#8). --no-prompt without an answer: "no default response for
//   prompt '…'" (pkg/input's askOneNoPrompt).
// Nothing here is copied code: it is written from those observed outputs and contracts.
import crypto from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { DeployedService } from './deployRecord';

/** What the test says about the account and what provisioning produces. */
export interface FakeAzdConfig {
  signedIn: boolean;
  /** Used when the environment has no AZURE_SUBSCRIPTION_ID (like azd's `defaults.subscription`); '' = none. */
  subscriptionId: string;
  tenantId: string;
  /** Used when the environment has no AZURE_LOCATION (like `defaults.location`); '' = none. */
  location: string;
  resourceGroup?: string;
  siteName?: string;
  /** e.g. '127.0.0.1:8443' so that tests can reach the "deployed" app. */
  defaultHostName?: string;
  siteResourceId?: string;
  /**
   * What goes wrong. The `apim-` failures happen only when the environment has APIM_ENABLED=true, at
   * the API Management resource: a service of the same name soft-deleted (ARM's
   * ServiceAlreadyExistsInSoftDeletedState), or Microsoft.ApiManagement not registered.
   */
  failure?:
    | 'provider-not-registered'
    | 'transient-tag'
    | 'transient-tag-once'
    | 'apim-soft-deleted'
    | 'apim-provider-not-registered'
    | 'none';
  /**
   * SERVICE_MCP_GATEWAY_URL that provisioning with APIM_ENABLED=true "creates" (e.g. a loopback
   * stand-in of the gateway); by default https://apim-<resourceToken>.azure-api.net/mcp.
   */
  gatewayUrl?: string;
  token?: string;
  /** Pause between progress steps; default 300 ms. */
  delayMs?: number;
  account?: string;
  /** Colour the output as azd does on a terminal. */
  ansi?: boolean;
  /** Outputs the "Bicep template" leaves out, to test readers of incomplete environments. */
  omitOutputs?: string[];
  /** The app registration's client id that provisioning with AUTH_ENABLED=true "creates". */
  entraApplicationId?: string;
  /**
   * A file each deploy appends one JSON line to, {@link DeployedService}: what a real deployment would
   * have uploaded, for tests that assert which folder was deployed.
   */
  deployRecord?: string;
}

const version = process.env.FAKE_AZD_VERSION ?? '1.12.0';
const commit = '3c1a2d0e5f00000000000000000000000000fa4e';
const managementScope = 'https://management.azure.com/.default';

function loadConfig(): FakeAzdConfig {
  const defaults: FakeAzdConfig = {
    signedIn: true,
    subscriptionId: '00000000-0000-0000-0000-00000000a2d0',
    tenantId: '00000000-0000-0000-0000-0000000000e1',
    location: 'eastus2',
  };
  const file = process.env.FAKE_AZD_CONFIG;
  if (!file) return defaults;
  return { ...defaults, ...(JSON.parse(readFileSync(file, 'utf8')) as Partial<FakeAzdConfig>) };
}

// ---------------------------------------------------------------------------------------------
// Arguments: azd takes flags anywhere on the line; `--flag=value` works too.

interface Parsed {
  positionals: string[];
  flags: Map<string, string[]>;
  switches: Set<string>;
}

const valueFlags: Record<string, string> = {
  '--cwd': 'cwd',
  '-C': 'cwd',
  '-e': 'environment',
  '--environment': 'environment',
  '--output': 'output',
  '-o': 'output',
  '--subscription': 'subscription',
  '--location': 'location',
  '-l': 'location',
  '--scope': 'scope',
  '--tenant-id': 'tenant-id',
  '--service': 'service',
};

function parseArgs(args: string[]): Parsed {
  const parsed: Parsed = { positionals: [], flags: new Map(), switches: new Set() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.startsWith('-') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const key = valueFlags[name];
    if (key) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`flag needs an argument: ${name}`);
      parsed.flags.set(key, [...(parsed.flags.get(key) ?? []), value]);
    } else if (arg.startsWith('-') && arg.length > 1) {
      parsed.switches.add(arg.replace(/^-+/, ''));
    } else {
      parsed.positionals.push(arg);
    }
  }
  return parsed;
}

class UsageError extends Error {}
/** An error azd reports as `ERROR: <message>` and exit code 1. */
class AzdError extends Error {}

// ---------------------------------------------------------------------------------------------
// Output

let ansi = false;
let jsonOutput = false;
const color = (code: string, text: string) => (ansi ? `\u001b[${code}m${text}\u001b[0m` : text);
const link = (url: string) => (ansi ? `\u001b]8;;${url}\u0007${color('36', url)}\u001b]8;;\u0007` : url);
const out = (line = '') => process.stdout.write(`${line}\n`);
const done = (what: string, seconds?: number) =>
  out(`  ${color('32', '(✓) Done:')} ${what}${seconds === undefined ? '' : ` (${seconds.toFixed(3)}s)`}`);
const failed = (what: string) => out(`  ${color('31', '(x) Failed:')} ${what}`);

function reportError(message: string): void {
  if (jsonOutput) {
    const envelope = {
      type: 'consoleMessage',
      timestamp: new Date().toISOString(),
      data: { message: `\nERROR: ${message}\n` },
    };
    process.stderr.write(`${JSON.stringify(envelope)}\n`);
  } else {
    out();
    out(color('31', `ERROR: ${message}`));
  }
}

function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

function duration(ms: number): string {
  const total = Math.max(1, Math.round(ms / 1000));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return total < 60
    ? unit(total, 'second')
    : `${unit(Math.floor(total / 60), 'minute')} ${unit(total % 60, 'second')}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// State: the project (azure.yaml) and its .azure folder, in azd's formats.

function findProject(cwd: string): string {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'azure.yaml')) || existsSync(path.join(dir, 'azure.yml'))) return dir;
    if (path.dirname(dir) === dir)
      throw new AzdError('no project exists; to create a new project, run `azd init`');
  }
}

/**
 * azure.yaml's `services.api` (project, language, host), read by indentation: the files azd and this
 * extension write keep each of those keys on one line. A missing service folder fails as azd's
 * packaging would.
 */
function apiService(projectDir: string): Pick<DeployedService, 'serviceDir' | 'language' | 'host'> {
  const file = ['azure.yaml', 'azure.yml'].map((name) => path.join(projectDir, name)).find(existsSync);
  const lines = file ? readFileSync(file, 'utf8').split(/\r?\n/) : [];
  const keys: Record<string, string> = {};
  let section = '';
  for (const raw of lines) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '');
    const key = /^(\s*)([\w-]+)\s*:\s*["']?([^"']*?)["']?\s*$/.exec(line);
    if (!key) continue;
    const depth = (key[1] ?? '').length;
    if (depth === 0) section = key[2] === 'services' ? 'services' : '';
    else if (section.startsWith('services') && depth === 2) section = `services.${key[2]}`;
    else if (section === 'services.api' && depth === 4 && key[3]) keys[key[2] ?? ''] = key[3];
  }
  const serviceDir = path.resolve(projectDir, keys.project ?? '.');
  if (!existsSync(serviceDir)) {
    throw new AzdError(`service 'api': project path '${serviceDir}' does not exist`);
  }
  return { serviceDir, language: keys.language, host: keys.host };
}

const specialChars = ['\\', '\n', '\r', '"', '!', '$', '`'];

/** godotenv's Marshal: integers bare, everything else double-quoted and escaped; lines sorted. */
function formatDotenv(values: Record<string, string>): string {
  const lines = Object.entries(values).map(([key, value]) => {
    if (/^[+-]?\d+$/.test(value) && Number.isSafeInteger(Number(value))) return `${key}=${Number(value)}`;
    let escaped = value;
    for (const char of specialChars) {
      const replacement = char === '\n' ? '\\n' : char === '\r' ? '\\r' : `\\${char}`;
      escaped = escaped.split(char).join(replacement);
    }
    return `${key}="${escaped}"`;
  });
  return `${lines.sort().join('\n')}\n`;
}

/** godotenv's reading of what formatDotenv wrote (and of hand-written KEY=value lines). */
function parseDotenv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([\w.-]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, rest] = match as unknown as [string, string, string];
    let value: string;
    if (rest.startsWith('"')) {
      const body = /^"((?:\\.|[^"\\])*)"/.exec(rest)?.[1] ?? rest.slice(1);
      value = body.replace(/\\(.)/g, (_all, char: string) =>
        char === 'n' ? '\n' : char === 'r' ? '\r' : char,
      );
    } else if (rest.startsWith("'")) {
      value = /^'([^']*)'/.exec(rest)?.[1] ?? rest.slice(1);
    } else {
      value = rest.replace(/\s+#.*$/, '').trim();
    }
    values[key] = value;
  }
  return values;
}

class Project {
  readonly azureDir: string;
  constructor(readonly dir: string) {
    this.azureDir = path.join(dir, '.azure');
  }

  envFile(name: string): string {
    return path.join(this.azureDir, name, '.env');
  }
  has(name: string): boolean {
    return existsSync(this.envFile(name));
  }
  names(): string[] {
    if (!existsSync(this.azureDir)) return [];
    return readdirSync(this.azureDir)
      .filter((entry) => statSync(path.join(this.azureDir, entry)).isDirectory() && this.has(entry))
      .sort();
  }
  read(name: string): Record<string, string> {
    const values = parseDotenv(readFileSync(this.envFile(name), 'utf8'));
    // azd keeps AZURE_ENV_NAME in step with the folder name whenever it loads an environment.
    if (values.AZURE_ENV_NAME !== name) this.write(name, { ...values, AZURE_ENV_NAME: name });
    return { ...values, AZURE_ENV_NAME: name };
  }
  write(name: string, values: Record<string, string>): void {
    mkdirSync(path.dirname(this.envFile(name)), { recursive: true });
    writeFileSync(this.envFile(name), formatDotenv(values));
  }
  defaultName(): string | undefined {
    try {
      const config = JSON.parse(readFileSync(path.join(this.azureDir, 'config.json'), 'utf8')) as {
        defaultEnvironment?: string;
      };
      return config.defaultEnvironment || undefined;
    } catch {
      return undefined;
    }
  }
  setDefault(name: string): void {
    mkdirSync(this.azureDir, { recursive: true });
    writeFileSync(
      path.join(this.azureDir, 'config.json'),
      `${JSON.stringify({ version: 1, defaultEnvironment: name })}\n`,
    );
  }
  /** The fake's own bookkeeping (how many deploys each environment has had), beside azd's files. */
  deployAttempt(name: string): number {
    const file = path.join(this.azureDir, 'fake-azd-state.json');
    const state = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as { deployAttempts: Record<string, number> })
      : { deployAttempts: {} };
    const attempt = (state.deployAttempts[name] ?? 0) + 1;
    state.deployAttempts[name] = attempt;
    mkdirSync(this.azureDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
    return attempt;
  }
}

function validName(name: string): void {
  if (!/^[a-zA-Z0-9-()_.]{1,64}$/.test(name)) {
    throw new AzdError(
      `environment name '${name}' is invalid (it should contain only alphanumeric characters and hyphens)`,
    );
  }
}

function noPromptAnswer(prompt: string): AzdError {
  return new AzdError(`no default response for prompt '${prompt}'`);
}

// ---------------------------------------------------------------------------------------------
// Commands

function versionCommand(args: Parsed): number {
  if (args.flags.get('output')?.[0] === 'json') printJson({ azd: { version, commit } });
  else out(`azd version ${version} (commit ${commit})`);
  return 0;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

const rfc3339 = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function authCommand(args: Parsed, config: FakeAzdConfig): number {
  const sub = args.positionals[1];
  const account = config.account ?? 'dev@contoso.example';
  if (sub === 'login' && args.switches.has('check-status')) {
    const expiresOn = rfc3339(new Date(Date.now() + 3600_000));
    if (jsonOutput)
      printJson(config.signedIn ? { status: 'success', expiresOn } : { status: 'unauthenticated' });
    else if (config.signedIn) out(`(${account}) Logged in to Azure.`);
    else out('Not logged in, run `azd auth login` to login to Azure.');
    return 0;
  }
  if (sub === 'login')
    throw new AzdError('the fake azd cannot sign in interactively; set signedIn in FAKE_AZD_CONFIG');
  if (sub === 'token') {
    if (!config.signedIn) throw new AzdError('not logged in, run `azd auth login` to login');
    const scope = args.flags.get('scope')?.[0] ?? managementScope;
    const tenantId = args.flags.get('tenant-id')?.[0] ?? config.tenantId;
    const now = Math.floor(Date.now() / 1000);
    const exp = now + 3600;
    const token =
      config.token ??
      [
        base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'fake-azd' })),
        base64url(
          JSON.stringify({
            aud: scope.replace(/\/?\.default$/, ''),
            iss: `https://sts.windows.net/${tenantId}/`,
            iat: now,
            nbf: now,
            exp,
            tid: tenantId,
            oid: '00000000-0000-0000-0000-0000000000a1',
            upn: account,
            scp: 'user_impersonation',
          }),
        ),
        base64url(crypto.randomBytes(32)),
      ].join('.');
    const result = { token, expiresOn: rfc3339(new Date(exp * 1000)) };
    if (jsonOutput) printJson(result);
    else out(token);
    return 0;
  }
  throw new UsageError(`unknown command "${sub ?? ''}" for "azd auth"`);
}

function envCommand(args: Parsed, project: Project): number {
  const [, sub, ...rest] = args.positionals;
  const selected = () => {
    const name = args.flags.get('environment')?.[0] ?? project.defaultName();
    if (!name) throw noPromptAnswer('Enter a new environment name:');
    if (!project.has(name)) {
      throw new AzdError(
        `environment '${name}' does not exist. You can create it with "azd env new ${name}"`,
      );
    }
    return name;
  };
  switch (sub) {
    case 'new': {
      const name = rest[0] ?? args.flags.get('environment')?.[0];
      if (!name) throw noPromptAnswer('Enter a new environment name:');
      validName(name);
      if (project.has(name))
        throw new AzdError(`creating new environment: environment '${name}' already exists`);
      const values: Record<string, string> = { AZURE_ENV_NAME: name };
      const subscription = args.flags.get('subscription')?.[0];
      const location = args.flags.get('location')?.[0];
      if (subscription) values.AZURE_SUBSCRIPTION_ID = subscription;
      if (location) values.AZURE_LOCATION = location;
      const first = project.names().length === 0;
      project.write(name, values);
      project.setDefault(name);
      out(
        first
          ? `New environment '${name}' was set as default`
          : `\nNew environment '${name}' created and set as default`,
      );
      return 0;
    }
    case 'select': {
      const name = rest[0];
      if (!name) throw new AzdError('accepts 1 arg(s), received 0');
      if (!project.has(name)) {
        throw new AzdError(
          `environment '${name}' does not exist. You can create it with "azd env new ${name}"`,
        );
      }
      project.setDefault(name);
      return 0;
    }
    case 'set': {
      const name = selected();
      const pairs: [string, string][] =
        rest.length === 2 && !rest[0]!.includes('=')
          ? [[rest[0]!, rest[1]!]]
          : rest.map((pair) => {
              const eq = pair.indexOf('=');
              if (eq <= 0) throw new AzdError(`invalid key=value format: ${pair}`);
              return [pair.slice(0, eq), pair.slice(eq + 1)];
            });
      if (pairs.length === 0) {
        throw new AzdError(
          "no environment values provided. Use '<key> <value>', '<key>=<value>', or '--file <filepath>'",
        );
      }
      project.write(name, { ...project.read(name), ...Object.fromEntries(pairs) });
      return 0;
    }
    case 'list':
    case 'ls': {
      const defaultName = project.defaultName();
      const environments = project.names().map((name) => ({
        Name: name,
        DotEnvPath: project.envFile(name),
        HasLocal: true,
        HasRemote: false,
        IsDefault: name === defaultName,
      }));
      if (jsonOutput) printJson(environments);
      else {
        out('NAME'.padEnd(20) + 'DEFAULT'.padEnd(10) + 'LOCAL'.padEnd(10) + 'REMOTE');
        for (const env of environments) {
          out(env.Name.padEnd(20) + String(env.IsDefault).padEnd(10) + 'true'.padEnd(10) + 'false');
        }
      }
      return 0;
    }
    case 'get-values': {
      const values = project.read(selected());
      if (jsonOutput) printJson(values);
      else process.stdout.write(formatDotenv(values));
      return 0;
    }
    case 'get-value': {
      const key = rest[0];
      if (!key) throw new AzdError('no key name provided');
      const values = project.read(selected());
      if (!(key in values)) throw new AzdError(`key '${key}' not found in the environment values`);
      out(values[key]);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${sub ?? ''}" for "azd env"`);
  }
}

/**
 * ARM's error for the API Management service, as azd prints it under "Deployment Error Details". The
 * soft-delete text is API Management's own (users quote it with https://aka.ms/apimsoftdelete; the
 * behaviour is https://learn.microsoft.com/azure/api-management/soft-delete); the registration text
 * is ARM's MissingSubscriptionRegistration, as for Microsoft.App above.
 */
function apimFailureText(failure: FakeAzdConfig['failure'], serviceName: string): string | undefined {
  if (failure === 'apim-soft-deleted') {
    return (
      `ServiceAlreadyExistsInSoftDeletedState: Api service ${serviceName} was soft-deleted. In order to create ` +
      'the new service with the same name, you have to either undelete the service or purge it. See ' +
      'https://aka.ms/apimsoftdelete.'
    );
  }
  if (failure === 'apim-provider-not-registered') {
    return (
      "MissingSubscriptionRegistration: The subscription is not registered to use namespace 'Microsoft.ApiManagement'. " +
      'See https://aka.ms/rps-not-found for how to register subscriptions.'
    );
  }
  return undefined;
}

/** Bicep's uniqueString(subscription, environment, location) stand-in: 13 lowercase letters and digits. */
function resourceToken(...parts: string[]): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = crypto.createHash('sha256').update(parts.join('|')).digest();
  return Array.from(bytes.subarray(0, 13), (byte) => alphabet[byte % 32]).join('');
}

async function workflow(
  command: 'up' | 'provision' | 'deploy',
  args: Parsed,
  project: Project,
  config: FakeAzdConfig,
): Promise<number> {
  const started = Date.now();
  const delay = config.delayMs ?? 300;
  const step = (name: string, error: string) =>
    command === 'up' ? `error executing step command '${name}': ${error}` : error;
  if (!config.signedIn) throw new AzdError('not logged in, run `azd auth login` to login');

  // The environment: -e, else the default; a named one that does not exist is created (azd asks,
  // and --no-prompt takes the default answer, yes) and becomes the default.
  const name = args.flags.get('environment')?.[0] ?? project.defaultName();
  if (!name) throw noPromptAnswer('Enter a new environment name:');
  validName(name);
  if (!project.has(name)) {
    project.write(name, { AZURE_ENV_NAME: name });
    project.setDefault(name);
  }
  // The fake never prompts: every question is answered as --no-prompt would.
  let values = project.read(name);

  if (command !== 'deploy') {
    const subscriptionId = values.AZURE_SUBSCRIPTION_ID || config.subscriptionId;
    if (!subscriptionId) throw noPromptAnswer('Select an Azure Subscription to use:');
    const location = values.AZURE_LOCATION || config.location;
    if (!location) throw noPromptAnswer('Select an Azure location to use:');
    values = { ...values, AZURE_SUBSCRIPTION_ID: subscriptionId, AZURE_LOCATION: location };
    project.write(name, values);
  }
  const subscriptionId = values.AZURE_SUBSCRIPTION_ID ?? config.subscriptionId;
  const token = resourceToken(subscriptionId, name, values.AZURE_LOCATION ?? '');
  const siteName = config.siteName ?? `func-api-${token}`;
  const resourceGroup = config.resourceGroup ?? `rg-${name}`;
  const groupUrl = `https://portal.azure.com/#@/resource/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/overview`;

  if (command !== 'provision') {
    out();
    out('Packaging services (azd package)');
    out();
    await sleep(delay);
    done('Packaging service api');
    out(`  - Build Output: ${path.join(project.dir, 'server')}`);
    out(`  - Package Output: ${path.join(project.dir, '.azure', name, 'api-azddeploy.zip')}`);
  }

  if (command !== 'deploy') {
    const deploymentId = `/subscriptions/${subscriptionId}/providers/Microsoft.Resources/deployments/${name}-${Math.floor(started / 1000)}`;
    out();
    out('Provisioning Azure resources (azd provision)');
    out('Provisioning Azure resources can take some time.');
    out();
    out(`Subscription: ${subscriptionId}`);
    out(`Location: ${values.AZURE_LOCATION}`);
    out();
    out('  You can view detailed progress in the Azure Portal:');
    out(
      `  ${link(`https://portal.azure.com/#view/HubsExtension/DeploymentDetailsBlade/~/overview/id/${encodeURIComponent(deploymentId)}`)}`,
    );
    out();
    const resources = [
      `Resource group: ${resourceGroup}`,
      `User-assigned managed identity: id-api-${token}`,
      `Storage account: st${token}`,
      `App Service plan: plan-${token}`,
      `Log Analytics workspace: log-${token}`,
      `Application Insights: appi-${token}`,
    ];
    for (const resource of resources) {
      await sleep(delay);
      done(resource, (delay / 1000) * 7.3);
    }
    await sleep(delay);
    if (config.failure === 'provider-not-registered') {
      failed(`Function App: ${siteName}`);
      reportError(
        step(
          'provision',
          'deployment failed: error deploying infrastructure: deploying to subscription:\n\n' +
            'Deployment Error Details:\n' +
            "MissingSubscriptionRegistration: The subscription is not registered to use namespace 'Microsoft.App'. " +
            'See https://aka.ms/rps-not-found for how to register subscriptions.\n\n' +
            `TraceID: ${crypto.randomUUID().replace(/-/g, '')}`,
        ),
      );
      return 1;
    }
    done(`Function App: ${siteName}`, (delay / 1000) * 11.1);

    // infra/app/gateway/ (shared/apiManagementGateway.ts), deployed only when APIM_ENABLED=true.
    const apimEnabled = values.APIM_ENABLED === 'true';
    if (apimEnabled) {
      const serviceName = `apim-${token}`;
      await sleep(delay);
      const apimFailure = apimFailureText(config.failure, serviceName);
      if (apimFailure) {
        failed(`API Management: ${serviceName}`);
        reportError(
          step(
            'provision',
            'deployment failed: error deploying infrastructure: deploying to subscription:\n\n' +
              `Deployment Error Details:\n${apimFailure}\n\n` +
              `TraceID: ${crypto.randomUUID().replace(/-/g, '')}`,
          ),
        );
        return 1;
      }
      done(`API Management: ${serviceName}`, (delay / 1000) * 41.7);
    }

    // The Bicep outputs, as azd stores them in the environment.
    const outputs: Record<string, string> = {
      AZURE_FUNCTION_NAME: siteName,
      SERVICE_API_NAME: siteName,
      SERVICE_API_DEFAULT_HOSTNAME: config.defaultHostName ?? `${siteName}.azurewebsites.net`,
      AZURE_RESOURCE_GROUP: resourceGroup,
      AZURE_TENANT_ID: config.tenantId,
      SERVICE_API_RESOURCE_ID:
        config.siteResourceId ??
        `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/sites/${siteName}`,
    };
    // infra/main.bicep's auth outputs, driven by the authEnabled parameter (main.parameters.json:
    // `${AUTH_ENABLED=false}`). entra.bicep's identifier URI is api://<tenant>/<uniqueName>, the
    // uniqueName being 'remote-mcp-<resourceToken>'.
    // With APIM_ENABLED the app registration is created too (the gateway validates its tokens), even
    // when AUTH_ENABLED leaves the app's built-in auth off.
    const authEnabled = values.AUTH_ENABLED === 'true';
    const registered = authEnabled || apimEnabled;
    Object.assign(outputs, {
      AUTH_ENABLED: String(authEnabled),
      ENTRA_APPLICATION_ID: registered
        ? (config.entraApplicationId ?? '0e5a1c2d-3b4f-4a6e-8d7c-9f0a1b2c3d4e')
        : '',
      ENTRA_IDENTIFIER_URI: registered ? `api://${config.tenantId}/remote-mcp-${token}` : '',
      APIM_ENABLED: String(apimEnabled),
      SERVICE_MCP_GATEWAY_URL: apimEnabled
        ? (config.gatewayUrl ?? `https://apim-${token}.azure-api.net/mcp`)
        : '',
    });
    for (const key of config.omitOutputs ?? []) delete outputs[key];
    values = { ...values, ...outputs };
    project.write(name, values);

    if (command === 'provision') {
      out();
      out(
        color(
          '32',
          `SUCCESS: Your application was provisioned in Azure in ${duration(Date.now() - started)}.`,
        ),
      );
      out(`You can view the resources created under the resource group ${resourceGroup} in Azure Portal:`);
      out(link(groupUrl));
      return 0;
    }
  }

  out();
  out('Deploying services (azd deploy)');
  out();
  await sleep(delay);
  const attempt = project.deployAttempt(name);
  const tagMissing =
    !values.SERVICE_API_NAME ||
    config.failure === 'transient-tag' ||
    (config.failure === 'transient-tag-once' && attempt === 1);
  if (tagMissing) {
    failed('Deploying service api');
    reportError(
      step(
        'deploy --all',
        "getting target resource: resource not found unable to find a resource tagged with 'azd-service-name: api'. " +
          'Ensure the service resource is correctly tagged in your infrastructure configuration, and rerun provision.',
      ),
    );
    return 1;
  }
  await sleep(delay);
  done('Deploying service api');
  if (config.deployRecord) {
    const deployed: DeployedService = {
      environment: name,
      projectDir: project.dir,
      ...apiService(project.dir),
    };
    appendFileSync(config.deployRecord, `${JSON.stringify(deployed)}\n`);
  }
  out(`  - Endpoint: ${link(`https://${values.SERVICE_API_DEFAULT_HOSTNAME}/`)}`);
  out();
  out();
  out(color('32', `SUCCESS: Your application was deployed to Azure in ${duration(Date.now() - started)}.`));
  out(
    `You can view the resources created under the resource group ${values.AZURE_RESOURCE_GROUP} in Azure Portal:`,
  );
  out(link(groupUrl));
  if (command === 'up') {
    out();
    out(
      color(
        '32',
        `SUCCESS: Your up workflow to provision and deploy to Azure completed in ${duration(Date.now() - started)}.`,
      ),
    );
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const config = loadConfig();
  ansi = config.ansi === true;
  jsonOutput = args.flags.get('output')?.[0] === 'json';
  const cwd = path.resolve(process.cwd(), args.flags.get('cwd')?.[0] ?? '.');
  const [command] = args.positionals;
  try {
    if (command === 'version' || (!command && args.switches.has('version'))) return versionCommand(args);
    if (command === 'auth') return authCommand(args, config);
    if (command === 'env') return envCommand(args, new Project(findProject(cwd)));
    if (command === 'up' || command === 'provision' || command === 'deploy') {
      return await workflow(command, args, new Project(findProject(cwd)), config);
    }
    throw new UsageError(`unknown command "${command ?? ''}" for "azd"`);
  } catch (error) {
    if (error instanceof AzdError) {
      reportError(error.message);
      return 1;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`Error: ${error.message}\nRun 'azd --help' for usage.\n`);
      return 1;
    }
    throw error;
  }
}

// Ctrl+C in a terminal, or the extension stopping the task: azd stops where it is.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
