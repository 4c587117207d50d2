// Remote MCP: Enable API Management (extension/apiManagement/enableApiManagement.ts) against the fake
// azd (test/fakes/azd, built to dist/test/fakeAzd.js by `node esbuild.mjs`): what the user is asked,
// what azd is made to do, the environment and the remembered server afterwards, and the failures.
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  apimPricingUrl,
  enableApiManagementCommand,
} from '../../../extension/apiManagement/enableApiManagement';
import { runCommand } from '../../../extension/common/commandErrors';
import type { MessageAction } from '../../../extension/common/errors';
import { startProcess } from '../../../extension/common/processes';
import { listAzdEnvironments } from '../../../extension/deploy/azdEnvironments';
import {
  functionsMcpInfraFiles,
  functionsMcpTemplatesDir,
} from '../../../extension/deploymentFiles/functionsMcpInfra';
import { selfHostedInfraFiles, selfHostedTemplatesDir } from '../../../extension/hosting/selfHostedInfra';
import type { AzdProject } from '../../../extension/deploy/azdProject';
import type { AzdRun } from '../../../extension/deploy/azdTask';
import { RemoteServerRegistry, type RemoteServer } from '../../../extension/remote/remoteServers';
import { memoryState } from '../../support/memoryStores';
import { RecordingUi, recordingLog } from '../../support/recordingUi';

const fakeAzd = path.resolve(__dirname, '../../fakes/azd/azd');
const repoRoot = path.resolve(__dirname, '../../..');
const repoAzureYaml = path.join(repoRoot, 'azure.yaml');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-apim-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const subscriptionId = '11111111-2222-3333-4444-555555555555';
const tenantId = '99999999-8888-7777-6666-555555555555';
const site = 'func-api-apimtest';
const resourceId = `/subscriptions/${subscriptionId}/resourceGroups/rg-dev/providers/Microsoft.Web/sites/${site}`;

const savedConfig = process.env.FAKE_AZD_CONFIG;
afterEach(() => {
  if (savedConfig === undefined) delete process.env.FAKE_AZD_CONFIG;
  else process.env.FAKE_AZD_CONFIG = savedConfig;
});

let count = 0;
function useFakeAzd(config: Record<string, unknown> = {}): void {
  const file = path.join(scratch, `config-${++count}.json`);
  writeFileSync(
    file,
    JSON.stringify({ signedIn: true, subscriptionId, tenantId, delayMs: 1, siteName: site, ...config }),
  );
  process.env.FAKE_AZD_CONFIG = file;
}

/**
 * An azd project deployed once to environment `dev` (its values as our Bicep leaves them), whose
 * infra/main.parameters.json passes APIM_ENABLED (or, `withGatewayOption: false`, predates it).
 */
function deployedProject(options: { withGatewayOption?: boolean; values?: Record<string, string> } = {}) {
  const dir = path.join(scratch, `project-${++count}`);
  mkdirSync(path.join(dir, 'infra'), { recursive: true });
  copyFileSync(repoAzureYaml, path.join(dir, 'azure.yaml'));
  const parameters: Record<string, { value: string }> = {
    environmentName: { value: '${AZURE_ENV_NAME}' },
    authEnabled: { value: '${AUTH_ENABLED=false}' },
  };
  if (options.withGatewayOption !== false) {
    parameters.apimEnabled = { value: '${APIM_ENABLED=false}' };
    parameters.apimSku = { value: '${APIM_SKU=BasicV2}' };
  }
  writeFileSync(path.join(dir, 'infra', 'main.parameters.json'), JSON.stringify({ parameters }, null, 2));
  writeDeployedEnvironment(dir, options.values);
  return dir;
}

/** The azd environment `dev` of a project deployed once, its values as our Bicep leaves them. */
function writeDeployedEnvironment(dir: string, extra: Record<string, string> = {}): void {
  const values: Record<string, string> = {
    AZURE_ENV_NAME: 'dev',
    AZURE_LOCATION: 'westus3',
    AZURE_SUBSCRIPTION_ID: subscriptionId,
    AZURE_RESOURCE_GROUP: 'rg-dev',
    AZURE_TENANT_ID: tenantId,
    AZURE_FUNCTION_NAME: site,
    SERVICE_API_NAME: site,
    SERVICE_API_DEFAULT_HOSTNAME: `${site}.azurewebsites.net`,
    SERVICE_API_RESOURCE_ID: resourceId,
    ...extra,
  };
  mkdirSync(path.join(dir, '.azure', 'dev'), { recursive: true });
  writeFileSync(
    path.join(dir, '.azure', 'config.json'),
    JSON.stringify({ version: 1, defaultEnvironment: 'dev' }),
  );
  writeFileSync(
    path.join(dir, '.azure', 'dev', '.env'),
    Object.entries(values)
      .map(([key, value]) => `${key}="${value}"`)
      .join('\n'),
  );
}

/**
 * A user's own project, cloned from its fixture (written as its author would), with the deployment
 * files the extension gives it in key mode (Add Azure Deployment Files for a Functions MCP app, Host on
 * Azure Functions… for a self-hosted server), deployed once to `dev`.
 */
async function usersDeployedProject(kind: 'functionsMcpExtension' | 'selfHosted'): Promise<string> {
  const fixture = kind === 'selfHosted' ? 'node-self-hosted' : 'ts-functions-mcp-app';
  const dir = path.join(scratch, `${fixture}-${++count}`);
  cpSync(path.join(repoRoot, 'test', 'fixtures', 'projects', fixture), dir, { recursive: true });
  const files =
    kind === 'selfHosted'
      ? await selfHostedInfraFiles(selfHostedTemplatesDir(repoRoot), {
          language: 'node',
          projectName: fixture,
          auth: 'functionKey',
        })
      : await functionsMcpInfraFiles(functionsMcpTemplatesDir(repoRoot), {
          language: 'node',
          projectName: fixture,
          auth: 'systemKey',
        });
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    writeFileSync(path.join(dir, file.path), file.content);
  }
  writeDeployedEnvironment(dir);
  return dir;
}

const envValues = (dir: string) => listAzdEnvironments(dir).find((env) => env.name === 'dev')?.values ?? {};

function harness(
  dir: string,
  confirmAnswers: (string | undefined)[],
  options: { projects?: AzdProject[]; picks?: string[] } = {},
) {
  const ui = new RecordingUi(options.picks);
  const log = recordingLog();
  const registry = new RemoteServerRegistry(memoryState());
  const project: AzdProject = { dir, source: 'workspace' };
  /** The bundled project's copies made: the copy is refreshed before its infra/ is read. */
  const bundledCopies: string[] = [];
  const confirms: { message: string; detail: string; buttons: readonly string[] }[] = [];
  const runs: (AzdRun & { args: string[] })[] = [];
  const pressed: { action: string; argument: unknown }[] = [];
  const action = (title: string, argument?: unknown): MessageAction => ({
    title,
    run: () => pressed.push({ action: title, argument }),
  });
  const commands = enableApiManagementCommand({
    azdPath: () => fakeAzd,
    projects: () => options.projects ?? [project],
    azdProjectOf: (server) => (server.environment === 'dev' ? project : undefined),
    prepareBundled: () => {
      const bundled = options.projects?.find((candidate) => candidate.source === 'bundled');
      if (!bundled) throw new Error('the bundled project is not used here');
      bundledCopies.push(bundled.dir);
      return bundled;
    },
    runAzd: async (args, cwd, _title, signal) => {
      const child = startProcess({ name: 'azd', command: fakeAzd, args, cwd, env: process.env, log });
      signal.addEventListener('abort', () => void child.stop(), { once: true });
      const lines: string[] = [];
      child.onLine((line) => lines.push(line));
      const exit = await child.exited;
      const run = { args, lines, exitCode: exit.code };
      runs.push(run);
      return run;
    },
    confirm: (message, detail, buttons) => {
      confirms.push({ message, detail, buttons });
      return Promise.resolve(confirmAnswers.shift());
    },
    registry,
    ui,
    log,
    actions: {
      connectThroughGateway: (server) => action('Connect', server),
      deploy: action('Deploy to Azure'),
    },
  });
  const showLogs = action('Show Logs');
  return {
    ui,
    registry,
    confirms,
    runs,
    pressed,
    bundledCopies,
    logLines: log.lines,
    enable: (target?: unknown) =>
      runCommand<RemoteServer | undefined>(
        'remoteMcp.enableApiManagement',
        () => commands['remoteMcp.enableApiManagement'](target),
        ui,
        log,
        showLogs,
      ),
  };
}

describe('Enable API Management', () => {
  test('asks with the tier and the cost; sets APIM_ENABLED, provisions, remembers the gateway and offers Connect', async () => {
    useFakeAzd();
    const dir = deployedProject();
    const h = harness(dir, ['View Pricing', 'Enable API Management']);
    await h.registry.upsert({
      resourceId,
      name: site,
      hostName: `${site}.azurewebsites.net`,
      endpoint: `https://${site}.azurewebsites.net/runtime/webhooks/mcp`,
      subscriptionId,
      resourceGroup: 'rg-dev',
      environment: 'dev',
      connected: true,
      via: 'app',
    });
    const server = await h.enable();

    assert.deepEqual(h.ui.prompts, [], 'one project, one environment: nothing to pick');
    assert.equal(h.confirms.length, 2, 'View Pricing opens the page and asks again');
    assert.equal(h.confirms[0]?.message, 'Add an API Management gateway (BasicV2) to azd environment dev?');
    assert.match(h.confirms[0]?.detail ?? '', /tier BasicV2/);
    assert.match(h.confirms[0]?.detail ?? '', /billed monthly for as long as it exists/);
    assert.ok(h.confirms[0]?.detail.includes(apimPricingUrl));
    assert.deepEqual(h.ui.opened, [apimPricingUrl]);

    assert.deepEqual(
      h.runs.map((run) => run.args),
      [['provision', '--no-prompt', '-e', 'dev', '--cwd', dir]],
    );
    assert.ok(h.runs[0]?.lines.some((line) => /Done: API Management: apim-/.test(line)));
    const values = envValues(dir);
    assert.equal(values.APIM_ENABLED, 'true');
    assert.match(values.SERVICE_MCP_GATEWAY_URL ?? '', /^https:\/\/apim-\w+\.azure-api\.net\/mcp$/);

    assert.equal(server?.gateway?.endpoint, values.SERVICE_MCP_GATEWAY_URL);
    const remembered = h.registry.find(resourceId);
    assert.equal(remembered?.gateway?.endpoint, values.SERVICE_MCP_GATEWAY_URL);
    assert.match(
      remembered?.gateway?.scopes?.[0] ?? '',
      /^api:\/\/.+\/user_impersonation$/,
      "the PRM's scope, which the view's probe signs in for silently",
    );
    assert.equal(remembered?.via, 'app', 'still connected the way it was, until the user connects again');
    const shown = h.ui.last('info');
    assert.match(shown?.message ?? '', /^API Management is in front of func-api-apimtest: https:\/\/apim-/);
    assert.deepEqual(shown?.actions, ['Connect']);
    await h.ui.press('Connect');
    assert.equal((h.pressed[0]?.argument as RemoteServer).gateway?.endpoint, values.SERVICE_MCP_GATEWAY_URL);
  });

  for (const kind of ['functionsMcpExtension', 'selfHosted'] as const) {
    test(`a user's ${kind === 'selfHosted' ? 'self-hosted server' : 'Functions MCP app'}, set up in key mode by the extension: its infra/ offers the gateway, which is provisioned in front of its /mcp`, async () => {
      useFakeAzd();
      const dir = await usersDeployedProject(kind);
      const h = harness(dir, ['Enable API Management']);
      const server = await h.enable();

      assert.equal(h.confirms.length, 1, 'asked, not refused as infra/ that predates the gateway');
      assert.deepEqual(
        h.runs.map((run) => run.args),
        [['provision', '--no-prompt', '-e', 'dev', '--cwd', dir]],
      );
      const values = envValues(dir);
      assert.equal(values.APIM_ENABLED, 'true');
      assert.equal(server?.gateway?.endpoint, values.SERVICE_MCP_GATEWAY_URL);
      assert.match(server?.gateway?.endpoint ?? '', /^https:\/\/apim-\w+\.azure-api\.net\/mcp$/);
      assert.equal(
        server?.endpoint,
        `https://${site}.azurewebsites.net${kind === 'selfHosted' ? '/mcp' : '/runtime/webhooks/mcp'}`,
        "the app's own door stays the kind's endpoint",
      );
      assert.match(h.ui.last('info')?.message ?? '', /^API Management is in front of /);
    });
  }

  test("the environment's APIM_SKU names the tier in the question", async () => {
    useFakeAzd();
    const dir = deployedProject({ values: { APIM_SKU: 'Developer' } });
    const h = harness(dir, [undefined]);
    await h.enable();
    assert.equal(h.confirms[0]?.message, 'Add an API Management gateway (Developer) to azd environment dev?');
    assert.match(
      h.confirms[0]?.detail ?? '',
      /no SLA and is not for production; creating it takes 30 to 45 minutes/,
    );
  });

  test('cancelled at the question: azd runs nothing and the environment is unchanged', async () => {
    useFakeAzd();
    const dir = deployedProject();
    const before = readFileSync(path.join(dir, '.azure', 'dev', '.env'), 'utf8');
    const h = harness(dir, [undefined]);
    assert.equal(await h.enable(), undefined);
    assert.deepEqual(h.runs, []);
    assert.equal(readFileSync(path.join(dir, '.azure', 'dev', '.env'), 'utf8'), before);
    assert.deepEqual(h.ui.shown, [], 'cancelling is silent');
  });

  test('infra/ that predates the gateway: explained, nothing asked or changed', async () => {
    useFakeAzd();
    const dir = deployedProject({ withGatewayOption: false });
    const parameters = readFileSync(path.join(dir, 'infra', 'main.parameters.json'), 'utf8');
    const h = harness(dir, []);
    await h.enable();
    const shown = h.ui.last('error')?.message ?? '';
    assert.match(
      shown,
      /predates the API Management gateway: its main\.parameters\.json does not pass APIM_ENABLED/,
    );
    assert.match(shown, /Nothing was changed\./);
    assert.match(shown, /Add Azure Deployment Files/);
    assert.deepEqual(h.confirms, []);
    assert.deepEqual(h.runs, []);
    assert.equal(envValues(dir).APIM_ENABLED, undefined);
    assert.equal(readFileSync(path.join(dir, 'infra', 'main.parameters.json'), 'utf8'), parameters);
  });

  test('a soft-deleted service of the same name: the purge command with its name and region; APIM_ENABLED is put back', async () => {
    useFakeAzd({ failure: 'apim-soft-deleted' });
    const dir = deployedProject();
    const h = harness(dir, ['Enable API Management']);
    await h.enable();
    const shown = h.ui.last('error')?.message ?? '';
    assert.match(shown, /^azd provision failed: deployment failed/);
    assert.match(shown, /An API Management service named apim-\w+ was deleted recently/);
    assert.match(shown, /`az apim deletedservice purge --service-name apim-\w+ --location westus3`/);
    assert.match(shown, /APIM_ENABLED is false again in environment dev\./);
    assert.equal(envValues(dir).APIM_ENABLED, 'false');
    assert.equal(envValues(dir).SERVICE_MCP_GATEWAY_URL, undefined);
  });

  test('Microsoft.ApiManagement not registered: the registration command, naming what needs it', async () => {
    useFakeAzd({ failure: 'apim-provider-not-registered' });
    const dir = deployedProject();
    const h = harness(dir, ['Enable API Management']);
    await h.enable();
    const shown = h.ui.last('error')?.message ?? '';
    assert.match(
      shown,
      /not registered for the Microsoft\.ApiManagement resource provider, which the API Management gateway needs/,
    );
    assert.match(shown, /`az provider register --namespace Microsoft\.ApiManagement`/);
  });

  test('from a view row of a server not deployed from here: the message says where to do it', async () => {
    useFakeAzd();
    const dir = deployedProject();
    const h = harness(dir, []);
    await h.enable({
      server: {
        resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/elsewhere',
        name: 'elsewhere',
        endpoint: 'https://elsewhere.azurewebsites.net/runtime/webhooks/mcp',
        environment: 'prod',
      },
    });
    assert.match(
      h.ui.last('error')?.message ?? '',
      /^elsewhere was not deployed from an azd environment of this workspace/,
    );
    assert.deepEqual(h.runs, []);
  });

  test("several projects and environments: both are picked; the bundled server's copy is refreshed first", async () => {
    useFakeAzd();
    const userProject = deployedProject();
    const bundledDir = deployedProject();
    // A second environment in the bundled copy, not deployed yet.
    mkdirSync(path.join(bundledDir, '.azure', 'other'), { recursive: true });
    writeFileSync(path.join(bundledDir, '.azure', 'other', '.env'), 'AZURE_ENV_NAME="other"\n');
    const h = harness(bundledDir, ['Enable API Management'], {
      projects: [
        { dir: userProject, source: 'workspace' },
        { dir: bundledDir, source: 'bundled' },
      ],
      picks: ['Bundled sample server', 'dev'],
    });
    const server = await h.enable();
    assert.deepEqual(
      h.ui.prompts.map((prompt) => [prompt.title, ...prompt.options]),
      [
        [
          'Enable API Management for which project?',
          `${path.basename(userProject)} — ${userProject}`,
          "Bundled sample server — this extension's copy",
        ],
        [
          'Enable API Management for which azd environment?',
          `dev — default · ${site}.azurewebsites.net`,
          'other — not deployed yet',
        ],
      ],
    );
    assert.deepEqual(h.bundledCopies, [bundledDir]);
    assert.deepEqual(h.runs[0]?.args, ['provision', '--no-prompt', '-e', 'dev', '--cwd', bundledDir]);
    assert.ok(server?.gateway);
    assert.equal(
      envValues(userProject).APIM_ENABLED,
      undefined,
      "the other project's environment is untouched",
    );
  });

  test('already enabled: no question, the gateway is remembered and Connect offered', async () => {
    useFakeAzd();
    const dir = deployedProject({
      values: { APIM_ENABLED: 'true', SERVICE_MCP_GATEWAY_URL: 'https://apim-done.azure-api.net/mcp' },
    });
    const h = harness(dir, []);
    const server = await h.enable();
    assert.deepEqual(h.confirms, []);
    assert.deepEqual(h.runs, []);
    assert.equal(server?.gateway?.endpoint, 'https://apim-done.azure-api.net/mcp');
    assert.match(h.ui.last('info')?.message ?? '', /^API Management was already in front of/);
  });
});
