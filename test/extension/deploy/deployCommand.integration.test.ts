// Remote MCP: Deploy to Azure (extension/deploy/deployCommand.ts) against the fake azd (test/fakes/azd,
// built to dist/test/fakeAzd.js by `node esbuild.mjs`), as a user sees it: the messages and buttons,
// the prompts, what azd was asked to do and the servers the workspace remembers afterwards.
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from '../../../extension/common/commandErrors';
import type { MessageAction } from '../../../extension/common/errors';
import { startProcess } from '../../../extension/common/processes';
import { MIN_AZD_VERSION } from '../../../extension/deploy/azdCli';
import { bundledDeployNotice, deployCommand } from '../../../extension/deploy/deployCommand';
import { addDeploymentFiles } from '../../../extension/deploymentFiles/addDeploymentFiles';
import {
  functionsMcpInfraFiles,
  functionsMcpTemplatesDir,
} from '../../../extension/deploymentFiles/functionsMcpInfra';
import { selfHostedInfraFiles, selfHostedTemplatesDir } from '../../../extension/hosting/selfHostedInfra';
import { readDeployRecord } from '../../fakes/azd/deployRecord';
import type { AzdRun } from '../../../extension/deploy/azdTask';
import { RemoteServerRegistry, type RemoteServer } from '../../../extension/remote/remoteServers';
import { RecordingUi, dismiss, recordingLog, type ScriptedAnswer } from '../../support/recordingUi';
import { memoryState } from '../../support/memoryStores';
import { bundledProject } from '../../../extension/project/mcpProject';
import { WorkspaceProjects } from '../../../extension/project/workspaceProjects';

const fakeAzd = path.resolve(__dirname, '../../fakes/azd/azd');
const repoRoot = path.resolve(__dirname, '../../..');
const repoAzureYaml = path.resolve(__dirname, '../../../azure.yaml');
const bundledServerDir = path.resolve(__dirname, '../../../server');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-deploy-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const subscriptionId = '11111111-2222-3333-4444-555555555555';
const tenantId = '99999999-8888-7777-6666-555555555555';

// deployCommand runs its azd queries with this process's environment, as the extension does; the
// fake reads its configuration (and version) from there.
const savedEnv = {
  FAKE_AZD_CONFIG: process.env.FAKE_AZD_CONFIG,
  FAKE_AZD_VERSION: process.env.FAKE_AZD_VERSION,
};
afterEach(() => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

let configCount = 0;
function useFakeAzd(config: Record<string, unknown> = {}): void {
  const file = path.join(scratch, `config-${++configCount}.json`);
  writeFileSync(file, JSON.stringify({ signedIn: true, subscriptionId, tenantId, delayMs: 5, ...config }));
  process.env.FAKE_AZD_CONFIG = file;
}

let projectCount = 0;
/** A workspace folder that is an azd project: this repository's azure.yaml, nothing deployed yet. */
function newProject(): string {
  const dir = path.join(scratch, `project-${++projectCount}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(repoAzureYaml, path.join(dir, 'azure.yaml'));
  return dir;
}

interface Harness {
  dir: string;
  /** The folders Host on Azure Functions was run on. */
  hosted: string[];
  /** Files "Add Azure Deployment Files" showed in an editor. */
  opened: string[];
  ui: RecordingUi;
  registry: RemoteServerRegistry;
  /** Every long azd run (up/deploy): its arguments, working folder, what it printed and its exit code. */
  runs: (AzdRun & { args: string[]; cwd: string })[];
  /** Buttons that were pressed and what they were given. */
  pressed: { action: string; argument: unknown }[];
  /** Runs the command as VS Code would (behind the error wrapper); resolves to the deployed server. */
  deploy(target?: unknown): Promise<RemoteServer | undefined>;
}

interface HarnessOptions {
  answers?: ScriptedAnswer[];
  azdPath?: string;
  /** The workspace's one folder; by default a new folder holding only azure.yaml. */
  dir?: string;
  /** What "Host on Azure Functions…" does to the folder (by default: nothing, as when it is cancelled). */
  host?: (folder: string) => void;
  /** Where the bundled server's copy is; by default deploying it fails the test. */
  bundledDir?: string;
}

function harness(options: HarnessOptions = {}): Harness {
  const dir = options.dir ?? newProject();
  const hosted: string[] = [];
  const opened: string[] = [];
  const ui = new RecordingUi(options.answers);
  const log = recordingLog();
  const registry = new RemoteServerRegistry(memoryState());
  const runs: Harness['runs'] = [];
  const pressed: Harness['pressed'] = [];
  const action = (title: string, argument?: unknown): MessageAction => ({
    title,
    run: () => pressed.push({ action: title, argument }),
  });
  const showLogs = action('Show Logs');
  const chooseProject = (purpose: string) =>
    new WorkspaceProjects({
      workspaceFolders: () => [dir],
      bundled: () => bundledProject(bundledServerDir),
      memory: memoryState(),
      pick: (title, projects) =>
        ui.pick(
          title,
          projects.map((project) => ({ label: project.name, value: project })),
        ),
    }).choose(purpose);
  const commands = deployCommand({
    azdPath: () => options.azdPath ?? fakeAzd,
    workspaceFolders: () => [dir],
    chooseProject,
    hostOnFunctions: (folder) => {
      hosted.push(folder);
      options.host?.(folder);
      return Promise.resolve();
    },
    // The real flow over the shipped templates, with the same prompts and messages.
    addDeploymentFiles: (folder) =>
      addDeploymentFiles(
        {
          workspaceFolders: () => [dir],
          chooseProject,
          ui,
          log,
          functionsMcpInfraFiles: (o) => functionsMcpInfraFiles(functionsMcpTemplatesDir(repoRoot), o),
          selfHostedInfraFiles: (o) => selfHostedInfraFiles(selfHostedTemplatesDir(repoRoot), o),
          openFile: (file) => Promise.resolve(void opened.push(file)),
          actions: { deploy: action('Deploy to Azure'), hostOnFunctions: action('Host on Azure Functions…') },
        },
        folder,
        { deployNext: true },
      ),
    bundledProject: () => {
      if (!options.bundledDir)
        throw new Error('The workspace has a project of the user’s: the bundled one must not be used.');
      return { dir: options.bundledDir, source: 'bundled' };
    },
    runAzd: async (args, cwd, _title, signal) => {
      const child = startProcess({ name: 'azd', command: fakeAzd, args, cwd, env: process.env, log });
      signal.addEventListener('abort', () => void child.stop(), { once: true });
      const lines: string[] = [];
      child.onLine((line) => lines.push(line));
      const exit = await child.exited;
      const run = { args, cwd, lines, exitCode: exit.code };
      runs.push(run);
      return run;
    },
    registry,
    ui,
    log,
    actions: {
      openUrl: (url) => action('Install azd', url),
      signIn: (azdPath) => action('Sign In', azdPath),
      connect: (server) => action('Connect', server),
      showLogs,
    },
  });
  return {
    dir,
    hosted,
    opened,
    ui,
    registry,
    runs,
    pressed,
    deploy: (target) =>
      runCommand('remoteMcp.deploy', () => commands['remoteMcp.deploy'](target), ui, log, showLogs),
  };
}

const verbs = (h: Harness) => h.runs.map((run) => run.args[0]);

describe('before anything is deployed: azd itself', () => {
  test('azd missing: the message names the path and offers Install azd', async () => {
    useFakeAzd();
    const h = harness({ azdPath: '/nonexistent/azd' });
    assert.equal(await h.deploy(), undefined);
    const shown = h.ui.last('error');
    assert.match(
      shown?.message ?? '',
      /The Azure Developer CLI \(azd\) was not found at \/nonexistent\/azd\./,
    );
    assert.match(shown?.message ?? '', /remoteMcp\.azdPath/);
    assert.deepEqual(shown?.actions, ['Install azd', 'Show Logs']);
    await h.ui.press('Install azd');
    assert.deepEqual(h.pressed, [{ action: 'Install azd', argument: 'https://aka.ms/azd-install' }]);
    assert.deepEqual(h.runs, []);
    assert.deepEqual(h.ui.prompts, []);
  });

  test('azd too old: the message gives its version and the one needed', async () => {
    useFakeAzd();
    process.env.FAKE_AZD_VERSION = '1.5.0';
    const h = harness();
    await h.deploy();
    const shown = h.ui.last('error');
    assert.match(shown?.message ?? '', /azd 1\.5\.0 is too old/);
    assert.ok(shown?.message.includes(`${MIN_AZD_VERSION} or later`), shown?.message);
    assert.deepEqual(shown?.actions, ['Install azd', 'Show Logs']);
    assert.deepEqual(h.runs, []);
  });

  test('not signed in: nothing runs, and Sign In is offered with the azd to sign in with', async () => {
    useFakeAzd({ signedIn: false });
    const h = harness();
    await h.deploy();
    const shown = h.ui.last('error');
    assert.match(shown?.message ?? '', /azd is not signed in to Azure\. Sign in, then deploy again\./);
    assert.deepEqual(shown?.actions, ['Sign In', 'Show Logs']);
    await h.ui.press('Sign In');
    assert.deepEqual(h.pressed, [{ action: 'Sign In', argument: fakeAzd }]);
    assert.deepEqual(h.runs, []);
    assert.deepEqual(h.ui.prompts, [], 'no environment is asked for before sign-in');
  });
});

describe('deploying', () => {
  test('the first deploy creates the environment and runs up; the next one picks it and runs deploy', async () => {
    useFakeAzd();
    const h = harness({ answers: ['mcp-dev', subscriptionId, 'westus3'] });
    const server = await h.deploy();
    assert.ok(server, JSON.stringify(h.ui.shown));

    // What the user was asked, and what azd did.
    assert.deepEqual(
      h.ui.prompts.map((prompt) => prompt.title),
      ['New azd environment', 'Azure subscription', 'Azure region'],
    );
    assert.ok(h.ui.prompts[2]?.options.includes('westus3'));
    assert.deepEqual(verbs(h), ['up']);
    assert.deepEqual(
      h.ui.progress.map((progress) => progress.title),
      ['Deploying to Azure: azd up (environment mcp-dev)'],
    );
    const up = h.runs[0]!;
    assert.equal(up.exitCode, 0);
    assert.ok(up.lines.includes('Provisioning Azure resources (azd provision)'), up.lines.join('\n'));
    assert.ok(up.lines.some((line) => line.startsWith('SUCCESS: Your up workflow')));
    assert.ok(up.lines.includes(`Subscription: ${subscriptionId}`));
    assert.ok(up.lines.includes('Location: westus3'));

    // The server is remembered, not connected, and Connect is offered.
    assert.match(server.hostName, /^func-api-[a-z2-7]{13}\.azurewebsites\.net$/);
    assert.equal(server.endpoint, `https://${server.hostName}/runtime/webhooks/mcp`);
    assert.equal(server.environment, 'mcp-dev');
    assert.equal(server.subscriptionId, subscriptionId);
    assert.equal(server.location, 'westus3');
    assert.equal(server.tenantId, tenantId);
    assert.equal(
      server.resourceId,
      `/subscriptions/${subscriptionId}/resourceGroups/rg-mcp-dev/providers/Microsoft.Web/sites/${server.name}`,
    );
    const remembered = h.registry.list();
    assert.equal(remembered.length, 1);
    assert.equal(remembered[0]?.connected, false);
    assert.deepEqual(h.ui.shown, [
      { severity: 'info', message: `Deployed to ${server.hostName}`, actions: ['Connect'] },
    ]);
    await h.ui.press('Connect');
    assert.equal((h.pressed[0]?.argument as RemoteServer).resourceId, server.resourceId);

    // Connected in the meantime; deploying again must not disconnect it.
    await h.registry.upsert({ ...server, connected: true });
    h.ui.answer('mcp-dev');
    const again = await h.deploy();
    assert.equal(again?.resourceId, server.resourceId);
    const pick = h.ui.prompts.at(-1);
    assert.equal(pick?.title, 'Deploy to which azd environment?');
    assert.deepEqual(pick?.options, [
      `mcp-dev — default · ${server.hostName}`,
      'New environment… — name, subscription and region',
    ]);
    assert.deepEqual(verbs(h), ['up', 'deploy']);
    const deploy = h.runs[1]!;
    assert.equal(deploy.exitCode, 0);
    assert.ok(!deploy.lines.some((line) => line.startsWith('Provisioning')), deploy.lines.join('\n'));
    assert.ok(deploy.lines.some((line) => line.startsWith('SUCCESS: Your application was deployed')));
    assert.equal(h.ui.progress.at(-1)?.title, 'Deploying to Azure: azd deploy (environment mcp-dev)');
    assert.deepEqual(h.ui.last(), {
      severity: 'info',
      message: `Deployed to ${server.hostName}`,
      actions: ['Connect'],
    });
    assert.equal(h.registry.list().length, 1);
    assert.equal(h.registry.find(server.resourceId)?.connected, true);
    assert.deepEqual(h.ui.unusedAnswers, []);
  });

  test('an environment with APIM_ENABLED: the gateway is remembered and named, and kept by the next deploy', async () => {
    useFakeAzd();
    const h = harness({ answers: ['mcp-apim', 'mcp-apim'] });
    // `azd env set APIM_ENABLED true` in a new environment, before its first deploy.
    mkdirSync(path.join(h.dir, '.azure', 'mcp-apim'), { recursive: true });
    writeFileSync(
      path.join(h.dir, '.azure', 'mcp-apim', '.env'),
      `AZURE_ENV_NAME="mcp-apim"\nAZURE_LOCATION="westus3"\nAZURE_SUBSCRIPTION_ID="${subscriptionId}"\nAPIM_ENABLED="true"\n`,
    );
    const server = await h.deploy();
    const gatewayUrl = server?.gateway?.endpoint ?? '';
    assert.match(gatewayUrl, /^https:\/\/apim-[a-z2-7]{13}\.azure-api\.net\/mcp$/);
    assert.ok(h.runs[0]?.lines.some((line) => line.includes('Done: API Management')));
    assert.equal(h.registry.find(server!.resourceId)?.gateway?.endpoint, gatewayUrl);
    assert.equal(server?.auth, undefined, 'AUTH_ENABLED is off: the app endpoint keeps its key');
    assert.deepEqual(h.ui.last(), {
      severity: 'info',
      message: `Deployed to ${server!.hostName}, behind API Management at ${gatewayUrl}`,
      actions: ['Connect'],
    });
    await h.ui.press('Connect');
    assert.equal((h.pressed[0]?.argument as RemoteServer).gateway?.endpoint, gatewayUrl);

    // Connected through the gateway meanwhile: deploying the code again keeps the door and the gateway.
    await h.registry.upsert({
      ...server!,
      connected: true,
      via: 'gateway',
      auth: { mode: 'entra', scopes: [], tenantId },
    });
    await h.deploy();
    const remembered = h.registry.find(server!.resourceId);
    assert.equal(remembered?.gateway?.endpoint, gatewayUrl);
    assert.equal(remembered?.via, 'gateway');
    assert.deepEqual(remembered?.auth, { mode: 'entra', scopes: [], tenantId });
    assert.deepEqual(verbs(h), ['up', 'deploy']);
  });

  test('a bad environment name or subscription id is refused by the prompt, and the corrected one is used', async () => {
    useFakeAzd();
    const h = harness({
      answers: [
        'my env!',
        'x'.repeat(65),
        'mcp-ok',
        'not-a-guid',
        '11111111-2222-3333-4444-55555555555',
        ` ${subscriptionId} `,
        'eastus',
      ],
    });
    const server = await h.deploy();
    assert.deepEqual(h.ui.rejected, [
      { title: 'New azd environment', answer: 'my env!', problem: 'Use 1-64 letters, digits and hyphens.' },
      {
        title: 'New azd environment',
        answer: 'x'.repeat(65),
        problem: 'Use 1-64 letters, digits and hyphens.',
      },
      {
        title: 'Azure subscription',
        answer: 'not-a-guid',
        problem: 'A subscription id looks like 00000000-0000-0000-0000-000000000000.',
      },
      {
        title: 'Azure subscription',
        answer: '11111111-2222-3333-4444-55555555555',
        problem: 'A subscription id looks like 00000000-0000-0000-0000-000000000000.',
      },
    ]);
    // The accepted id is trimmed before azd gets it.
    assert.equal(server?.environment, 'mcp-ok');
    assert.equal(server?.subscriptionId, subscriptionId);
    assert.match(
      readFileSync(path.join(h.dir, '.azure/mcp-ok/.env'), 'utf8'),
      /AZURE_SUBSCRIPTION_ID="11111111-/,
    );
  });

  test('dismissing a prompt cancels quietly: no message, nothing run, no environment', async () => {
    useFakeAzd();
    const h = harness({ answers: ['mcp-dev', dismiss] });
    assert.equal(await h.deploy(), undefined);
    assert.deepEqual(h.ui.shown, []);
    assert.deepEqual(h.runs, []);
    assert.equal(existsSync(path.join(h.dir, '.azure')), false);
  });
});

describe('failures', () => {
  test("Microsoft.App not registered: azd's ERROR line and the register command, no Retry", async () => {
    useFakeAzd({ failure: 'provider-not-registered' });
    const h = harness({ answers: ['mcp-dev', subscriptionId, 'eastus'] });
    assert.equal(await h.deploy(), undefined);
    assert.deepEqual(verbs(h), ['up']);
    const shown = h.ui.last('error');
    assert.ok(
      shown?.message.startsWith(
        "azd up failed: error executing step command 'provision': deployment failed: error deploying infrastructure: deploying to subscription:",
      ),
      shown?.message,
    );
    assert.ok(shown?.message.includes('`az provider register --namespace Microsoft.App`'), shown?.message);
    assert.deepEqual(shown?.actions, ['Show Logs']);
    assert.deepEqual(h.registry.list(), []);
    assert.equal(h.ui.messages('info').length, 0);
  });

  test('the transient tag error right after provisioning: Retry deploys again and succeeds', async () => {
    useFakeAzd({ failure: 'transient-tag-once' });
    const h = harness({ answers: ['mcp-dev', subscriptionId, 'eastus'] });
    assert.equal(await h.deploy(), undefined);
    const shown = h.ui.last('error');
    assert.match(
      shown?.message ?? '',
      /^azd up failed: error executing step command 'deploy --all': getting target resource: resource not found unable to find a resource tagged with 'azd-service-name: api'/,
    );
    assert.match(shown?.message ?? '', /retrying usually works/);
    assert.deepEqual(shown?.actions, ['Retry', 'Show Logs']);
    assert.deepEqual(h.registry.list(), []);

    await h.ui.press('Retry');
    // Provisioning finished the first time, so the retry only deploys; no question is asked again.
    assert.deepEqual(verbs(h), ['up', 'deploy']);
    assert.equal(h.runs[1]?.exitCode, 0);
    const server = h.registry.list()[0];
    assert.ok(server);
    assert.equal(server.environment, 'mcp-dev');
    assert.deepEqual(h.ui.last(), {
      severity: 'info',
      message: `Deployed to ${server.hostName}`,
      actions: ['Connect'],
    });
    assert.equal(h.ui.messages('error').length, 1);
    assert.deepEqual(h.ui.unusedAnswers, []);
  });

  test('a retry that fails again is reported like the first failure, with Retry again', async () => {
    useFakeAzd({ failure: 'transient-tag' });
    const h = harness({ answers: ['mcp-dev', subscriptionId, 'eastus'] });
    await h.deploy();
    await h.ui.press('Retry');
    assert.deepEqual(verbs(h), ['up', 'deploy']);
    const errors = h.ui.messages('error');
    assert.equal(errors.length, 2, JSON.stringify(h.ui.shown));
    assert.match(errors[1]?.message ?? '', /^azd deploy failed: getting target resource: resource not found/);
    assert.deepEqual(errors[1]?.actions, ['Retry', 'Show Logs']);
    assert.deepEqual(h.registry.list(), []);
  });
});

// ---------------------------------------------------------------------------------------------
// Which project Deploy deploys (issue 13, point 1): the workspaces are copies of the fixtures a user
// would have, and the fake azd shows where it ran by the `.azure/` it keeps beside azure.yaml.

const fixtures = path.resolve(__dirname, '../../fixtures/projects');

/** A workspace folder holding a copy of a fixture project (nothing built, no node_modules). */
function workspaceWith(fixture: string, options: { azureYaml?: boolean } = {}): string {
  const dir = path.join(scratch, `${fixture}-${++projectCount}`);
  cpSync(path.join(fixtures, fixture), dir, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist)$/.test(source),
  });
  if (options.azureYaml) writeSelfHostedAzureYaml(dir);
  return dir;
}

/** The azure.yaml Host on Azure Functions adds: the folder itself is the service. */
function writeSelfHostedAzureYaml(dir: string): void {
  writeFileSync(
    path.join(dir, 'azure.yaml'),
    'name: todo-mcp\nservices:\n  api:\n    project: .\n    language: ts\n    host: function\n',
  );
}

/** Every file under a folder, relative, sorted: what a "nothing changed" assertion compares. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map((file) => file.replace(/\\/g, '/')).sort();
}

const newEnvironmentAnswers = ['mcp-dev', subscriptionId, 'westus3'];

describe('which project is deployed', () => {
  test('a self-hosted project with azure.yaml: azd runs in its folder and Connect gets /mcp', async () => {
    useFakeAzd();
    const dir = workspaceWith('node-self-hosted', { azureYaml: true });
    const h = harness({ dir, answers: newEnvironmentAnswers });
    const server = await h.deploy();
    assert.ok(server, JSON.stringify(h.ui.shown));
    assert.deepEqual(
      h.runs.map((run) => run.cwd),
      [dir],
    );
    assert.ok(existsSync(path.join(dir, '.azure', 'mcp-dev', '.env')), 'the environment is the project’s');
    assert.equal(server.kind, 'selfHosted');
    assert.equal(server.endpoint, `https://${server.hostName}/mcp`);
    assert.equal(h.registry.list()[0]?.kind, 'selfHosted');
    assert.deepEqual(h.hosted, []);
  });

  test('a self-hosted project in an older form without azure.yaml: declining Host on Azure Functions deploys nothing and changes no file', async () => {
    useFakeAzd();
    const dir = workspaceWith('node-legacy');
    const before = filesUnder(dir);
    const h = harness({ dir, answers: ['Cancel'] });
    assert.equal(await h.deploy(), undefined);
    const offer = h.ui.prompts[0];
    assert.equal(offer?.title, 'inventory-mcp is not set up for Azure Functions yet (no azure.yaml)');
    assert.deepEqual(
      offer?.options.map((option) => option.split(' — ')[0]),
      ['Host on Azure Functions…', 'Cancel'],
    );
    assert.deepEqual(h.hosted, []);
    assert.deepEqual(h.runs, []);
    assert.deepEqual(h.ui.shown, [], 'declining is not an error');
    assert.deepEqual(filesUnder(dir), before);
  });

  test('a self-hosted project in an older form without azure.yaml: Host on Azure Functions, then the deploy goes on in that folder', async () => {
    useFakeAzd();
    const dir = workspaceWith('node-legacy');
    const h = harness({
      dir,
      answers: ['Host on Azure Functions…', ...newEnvironmentAnswers],
      host: writeSelfHostedAzureYaml,
    });
    const server = await h.deploy();
    assert.deepEqual(h.hosted, [dir]);
    assert.ok(server, JSON.stringify(h.ui.shown));
    assert.deepEqual(verbs(h), ['up']);
    assert.deepEqual(
      h.runs.map((run) => run.cwd),
      [dir],
    );
    assert.equal(server.endpoint, `https://${server.hostName}/mcp`);
  });

  test('a self-hosted project in the current form without azure.yaml: Add Azure Deployment Files asks nothing (host.json says how clients authenticate), then azd deploys it and Connect gets /mcp', async () => {
    const deployRecord = path.join(scratch, `deployed-${++projectCount}.jsonl`);
    useFakeAzd({ deployRecord });
    const dir = workspaceWith('node-self-hosted');
    const h = harness({ dir, answers: ['Add Azure Deployment Files…', ...newEnvironmentAnswers] });
    const server = await h.deploy();
    assert.ok(server, JSON.stringify(h.ui.shown));
    assert.equal(h.ui.prompts[0]?.title, 'todo-mcp-server has no Azure deployment files yet (no azure.yaml)');
    assert.deepEqual(h.hosted, [], 'Host on Azure Functions is for servers not hosted yet');
    assert.match(
      readFileSync(path.join(dir, 'infra/app/api.bicep'), 'utf8'),
      /EnableMcpCustomHandlerPreview/,
    );
    assert.deepEqual(
      readDeployRecord(deployRecord).map((deployed) => deployed.serviceDir),
      [dir],
    );
    assert.equal(server.kind, 'selfHosted');
    assert.equal(server.endpoint, `https://${server.hostName}/mcp`);
  });

  test('hosting cancelled half-way (no azure.yaml added): nothing is deployed and nothing shown', async () => {
    useFakeAzd();
    const dir = workspaceWith('node-legacy');
    const h = harness({ dir, answers: ['Host on Azure Functions…'] });
    assert.equal(await h.deploy(), undefined);
    assert.deepEqual(h.hosted, [dir]);
    assert.deepEqual(h.runs, []);
    assert.deepEqual(h.ui.shown, []);
  });

  test('an SDK server not hosted yet (a candidate) is offered Host on Azure Functions, never the bundled server', async () => {
    useFakeAzd();
    const dir = workspaceWith('node-candidate');
    const before = filesUnder(dir);
    const h = harness({ dir, answers: [dismiss], bundledDir: newProject() });
    assert.equal(await h.deploy(), undefined);
    assert.equal(
      h.ui.prompts[0]?.title,
      '@contoso/weather-mcp is not set up for Azure Functions yet (no azure.yaml)',
    );
    assert.deepEqual(h.runs, [], 'the bundled server was not deployed in its place');
    assert.deepEqual(h.ui.shown, []);
    assert.deepEqual(filesUnder(dir), before);
  });

  test('a Functions MCP extension app without azure.yaml: declining Add Azure Deployment Files deploys nothing and changes no file', async () => {
    useFakeAzd();
    const dir = workspaceWith('ts-functions-mcp');
    const before = filesUnder(dir);
    const declines: ScriptedAnswer[][] = [['Cancel'], ['Add Azure Deployment Files…', dismiss]];
    for (const answers of declines) {
      const h = harness({ dir, answers, bundledDir: newProject() });
      assert.equal(await h.deploy(), undefined);
      assert.equal(
        h.ui.prompts[0]?.title,
        'greetings-functions has no Azure deployment files yet (no azure.yaml)',
      );
      assert.deepEqual(
        h.ui.prompts[0]?.options.map((option) => option.split(' — ')[0]),
        ['Add Azure Deployment Files…', 'Cancel'],
      );
      assert.deepEqual(h.runs, [], 'neither the app nor the bundled server was deployed');
      assert.deepEqual(h.ui.shown, [], 'declining or dismissing the question is not an error');
      assert.deepEqual(filesUnder(dir), before, `${answers.map(String).join(', ')}: a file changed`);
    }
  });

  test('a Functions MCP extension app without azure.yaml: Add Azure Deployment Files, then azd deploys that folder as its api service', async () => {
    const deployRecord = path.join(scratch, `deployed-${++projectCount}.jsonl`);
    useFakeAzd({ deployRecord });
    const dir = workspaceWith('ts-functions-mcp');
    const h = harness({
      dir,
      answers: ['Add Azure Deployment Files…', 'System key (mcp_extension)', ...newEnvironmentAnswers],
      bundledDir: newProject(),
    });
    const server = await h.deploy();
    assert.ok(server, JSON.stringify(h.ui.shown));
    assert.equal(
      h.ui.prompts[1]?.title,
      'Add Azure Deployment Files: how do clients of greetings-functions authenticate?',
    );
    for (const file of [
      'azure.yaml',
      'infra/main.bicep',
      'infra/app/api.bicep',
      'infra/main.parameters.json',
    ]) {
      assert.ok(existsSync(path.join(dir, file)), `${file} was not added`);
    }
    // Since the gateway (issue 15) every variant carries the app registration's module and the
    // gateway's files: the Bicep creates the registration only with AUTH_ENABLED or APIM_ENABLED.
    for (const file of ['infra/app/entra.bicep', 'infra/app/gateway/mcp-api.policy.xml']) {
      assert.ok(existsSync(path.join(dir, file)), `${file} was not added`);
    }
    assert.deepEqual(h.opened, [path.join(dir, 'azure.yaml')]);
    assert.deepEqual(
      h.ui.shown.map((shown) => [shown.severity, shown.actions]),
      [
        ['info', []],
        ['info', ['Connect']],
      ],
    );
    assert.match(
      h.ui.shown[0]?.message ?? '',
      /Added: azure\.yaml, infra\/ \(\d+ files\)\. Deploying it now\./,
    );
    assert.deepEqual(verbs(h), ['up']);
    assert.deepEqual(
      h.runs.map((run) => run.cwd),
      [dir],
    );
    const deployed = readDeployRecord(deployRecord);
    assert.deepEqual(deployed, [
      { environment: 'mcp-dev', projectDir: dir, serviceDir: dir, language: 'ts', host: 'function' },
    ]);
    assert.equal(server.kind, 'functionsMcpExtension');
    assert.equal(server.endpoint, `https://${server.hostName}/runtime/webhooks/mcp`);
  });

  test('a workspace with no MCP project and no candidate: the bundled server, and the notification says so', async () => {
    useFakeAzd();
    const empty = path.join(scratch, `empty-${++projectCount}`);
    mkdirSync(empty);
    writeFileSync(path.join(empty, 'README.md'), '# notes\n');
    const bundledDir = newProject();
    const h = harness({ dir: empty, bundledDir, answers: newEnvironmentAnswers });
    const server = await h.deploy();
    assert.ok(server, JSON.stringify(h.ui.shown));
    assert.deepEqual(
      h.runs.map((run) => run.cwd),
      [bundledDir],
    );
    assert.deepEqual(
      h.ui.progress.map((progress) => progress.title),
      [`${bundledDeployNotice} (azd up, environment mcp-dev)`],
    );
    assert.equal(
      bundledDeployNotice,
      'Deploying the bundled sample server: this workspace holds no MCP project of yours',
    );
    assert.deepEqual(h.ui.shown, [
      {
        severity: 'info',
        message: `Deployed to ${server.hostName}`,
        actions: ['Connect'],
      },
    ]);
    assert.equal(server.kind, 'functionsMcpExtension');
    assert.equal(server.endpoint, `https://${server.hostName}/runtime/webhooks/mcp`);
    assert.ok(!existsSync(path.join(empty, '.azure')), 'nothing is written into the workspace');
  });
});
