// extension/deploy/azdCli.ts, azdEnvironments.ts, azdRunOutput.ts (with azdRemedies.ts) and azdOutputs.ts,
// against the fake azd (test/fakes/azd, built to dist/test/fakeAzd.js by
// `node esbuild.mjs --only=test`), which keeps azd's files and prints azd's text.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../../extension/common/log';
import { UserFacingError } from '../../../extension/common/errors';
import { runCli, startProcess } from '../../../extension/common/processes';
import {
  azdDeployArgs,
  azdNewEnvArgs,
  azdSignInStatus,
  isOlderThanMinimum,
  probeAzd,
} from '../../../extension/deploy/azdCli';
import { azdEnvValues, listAzdEnvironments } from '../../../extension/deploy/azdEnvironments';
import { deploymentOutputs } from '../../../extension/deploy/azdOutputs';
import { interpretAzdOutput } from '../../../extension/deploy/azdRunOutput';
import { fakeAzd, fakeAzdSubscriptionId, fakeAzdTenantId, fakeEnv } from '../../support/fakeAzdConfig';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-azd-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const subscriptionId = fakeAzdSubscriptionId;
const tenantId = fakeAzdTenantId;

let projectCount = 0;
function newProject(): string {
  const dir = path.join(scratch, `project-${++projectCount}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'azure.yaml'), 'name: remote-mcp\nservices:\n  api:\n    project: ./server\n');
  return dir;
}

const quietLog: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Runs a long azd command the way the extension does and collects every line it printed. */
async function runAzd(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const child = startProcess({ name: 'azd', command: fakeAzd, args, cwd, env, log: quietLog });
  const lines: string[] = [];
  child.onLine((line) => lines.push(line));
  const exit = await child.exited;
  return { exitCode: exit.code, lines };
}

async function azd(args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  return runCli(fakeAzd, args, { timeoutMs: 20_000, env, cwd });
}

async function newEnvironment(dir: string, env: NodeJS.ProcessEnv, name = 'dev') {
  const created = await azd(
    azdNewEnvArgs({ name, subscription: subscriptionId, location: 'westus3', projectDir: dir }),
    env,
  );
  assert.equal(created.exitCode, 0, created.stderr + created.stdout);
}

describe('probing azd', () => {
  test('a current azd is ok, an old one too old, a missing one missing', async () => {
    assert.deepEqual(await probeAzd(fakeAzd, { env: fakeEnv() }), { status: 'ok', version: '1.12.0' });
    assert.deepEqual(await probeAzd(fakeAzd, { env: fakeEnv({}, { FAKE_AZD_VERSION: '1.9.3' }) }), {
      status: 'too-old',
      version: '1.9.3',
    });
    assert.deepEqual(await probeAzd(fakeAzd, { env: fakeEnv({}, { FAKE_AZD_VERSION: '1.10.0' }) }), {
      status: 'ok',
      version: '1.10.0',
    });
    assert.deepEqual(await probeAzd(path.join(scratch, 'no-such-azd')), { status: 'missing' });
  });

  test('something that does not report a version is broken, with what it said', async () => {
    const liar = path.join(scratch, 'not-azd');
    writeFileSync(liar, '#!/bin/sh\necho "command not understood" >&2\nexit 3\n');
    chmodSync(liar, 0o755);
    const probe = await probeAzd(liar);
    assert.equal(probe.status, 'broken');
    assert.match(
      probe.status === 'broken' ? probe.detail : '',
      /did not report a version: command not understood/,
    );
  });

  test('versions compare on major.minor.patch against 1.10.0; a beta counts as its release', () => {
    assert.equal(isOlderThanMinimum('1.10.0'), false);
    assert.equal(isOlderThanMinimum('1.9.6'), true);
    assert.equal(isOlderThanMinimum('1.10.0-beta.1'), false);
    assert.equal(isOlderThanMinimum('1.9.99-beta.1'), true);
    assert.equal(isOlderThanMinimum('2.0.0'), false);
    assert.equal(isOlderThanMinimum('1.99.99'), false);
  });
});

describe('sign-in status', () => {
  test('signed in and signed out, both from exit code 0', async () => {
    const dir = newProject();
    assert.deepEqual(await azdSignInStatus(fakeAzd, dir, { env: fakeEnv() }), { signedIn: true });
    const out = await azdSignInStatus(fakeAzd, dir, { env: fakeEnv({ signedIn: false }) });
    assert.equal(out.signedIn, false);
    assert.match(out.detail ?? '', /azd auth login/);
    // What real azd prints for the same question.
    const raw = await azd(
      ['auth', 'login', '--check-status', '--output', 'json'],
      fakeEnv({ signedIn: false }),
    );
    assert.equal(raw.exitCode, 0);
    assert.deepEqual(JSON.parse(raw.stdout), { status: 'unauthenticated' });
  });

  test('a missing azd is reported as not signed in, with the reason', async () => {
    const status = await azdSignInStatus(path.join(scratch, 'no-such-azd'), scratch);
    assert.equal(status.signedIn, false);
    assert.match(status.detail ?? '', /was not found/);
  });
});

describe('azd up, deploy and the environment files', () => {
  test('argument lists', () => {
    assert.deepEqual(azdDeployArgs({ first: true, env: 'dev', projectDir: '/p' }), [
      'up',
      '--no-prompt',
      '-e',
      'dev',
      '--cwd',
      '/p',
    ]);
    assert.deepEqual(azdDeployArgs({ first: false, env: 'dev', projectDir: '/p' })[0], 'deploy');
    assert.deepEqual(azdNewEnvArgs({ name: 'dev', subscription: 's', location: 'l', projectDir: '/p' }), [
      'env',
      'new',
      'dev',
      '--subscription',
      's',
      '--location',
      'l',
      '--no-prompt',
      '--cwd',
      '/p',
    ]);
  });

  test('up in a new project writes azd files whose values read the same directly and through azd', async () => {
    const dir = newProject();
    const env = fakeEnv();
    await newEnvironment(dir, env);
    assert.equal((await azd(['env', 'set', 'PORT', '8080', '--cwd', dir], env)).exitCode, 0);

    const run = await runAzd(azdDeployArgs({ first: true, env: 'dev', projectDir: dir }), env, scratch);
    assert.equal(run.exitCode, 0, run.lines.join('\n'));
    const outcome = interpretAzdOutput(run.lines);
    assert.deepEqual(outcome, { succeeded: true, endpoint: 'https://127.0.0.1:8443/' });
    assert.ok(run.lines.includes('Provisioning Azure resources (azd provision)'));
    assert.ok(run.lines.includes('Deploying services (azd deploy)'));
    assert.match(
      run.lines.at(-1) ?? '',
      /^SUCCESS: Your up workflow to provision and deploy to Azure completed in/,
    );

    assert.equal(
      readFileSync(path.join(dir, '.azure', 'config.json'), 'utf8').trim(),
      '{"version":1,"defaultEnvironment":"dev"}',
    );
    const envLines = readFileSync(path.join(dir, '.azure', 'dev', '.env'), 'utf8')
      .trim()
      .split('\n');
    assert.deepEqual(envLines, [...envLines].sort(), 'the .env lines are sorted');
    assert.ok(envLines.includes('PORT=8080'), 'integers stay unquoted');
    assert.ok(envLines.includes('AZURE_ENV_NAME="dev"'));

    const listed = listAzdEnvironments(dir);
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.name, 'dev');
    assert.equal(listed[0]!.isDefault, true);
    const throughAzd = await azdEnvValues(fakeAzd, dir, 'dev', { env });
    assert.deepEqual(listed[0]!.values, throughAzd);

    const outputs = deploymentOutputs(throughAzd);
    const siteName = throughAzd.AZURE_FUNCTION_NAME!;
    assert.match(siteName, /^func-api-[a-z0-9]{13}$/);
    assert.deepEqual(outputs, {
      functionName: siteName,
      hostName: '127.0.0.1:8443',
      resourceGroup: 'rg-dev',
      tenantId,
      subscriptionId,
      resourceId: `/subscriptions/${subscriptionId}/resourceGroups/rg-dev/providers/Microsoft.Web/sites/${siteName}`,
      location: 'westus3',
      environment: 'dev',
    });
    assert.equal(throughAzd.SERVICE_API_NAME, siteName);
    assert.equal(throughAzd.PORT, '8080');

    // Later deploys: azd deploy prints the endpoint again.
    const deploy = await runAzd(azdDeployArgs({ first: false, env: 'dev', projectDir: dir }), env, scratch);
    assert.equal(deploy.exitCode, 0);
    assert.ok(deploy.lines.includes('  - Endpoint: https://127.0.0.1:8443/'));
    assert.deepEqual(interpretAzdOutput(deploy.lines), {
      succeeded: true,
      endpoint: 'https://127.0.0.1:8443/',
    });
    assert.ok(!deploy.lines.includes('Provisioning Azure resources (azd provision)'));
  });

  test('several environments: the default one is marked, and only folders with a .env count', async () => {
    const dir = newProject();
    const env = fakeEnv();
    await newEnvironment(dir, env, 'alpha');
    await newEnvironment(dir, env, 'beta');
    assert.equal((await azd(['env', 'select', 'alpha', '--cwd', dir], env)).exitCode, 0);
    mkdirSync(path.join(dir, '.azure', 'not-an-env'));
    writeFileSync(path.join(dir, '.azure', 'stray-file'), 'x');
    assert.deepEqual(
      listAzdEnvironments(dir).map((e) => [e.name, e.isDefault, e.values.AZURE_LOCATION]),
      [
        ['alpha', true, 'westus3'],
        ['beta', false, 'westus3'],
      ],
    );
    const listed = await azd(['env', 'list', '--output', 'json', '--cwd', dir], env);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { Name: string; IsDefault: boolean; HasLocal: boolean }[]).map((e) => [
        e.Name,
        e.IsDefault,
        e.HasLocal,
      ]),
      [
        ['alpha', true, true],
        ['beta', false, true],
      ],
    );
    assert.deepEqual(listAzdEnvironments(path.join(scratch, 'no-project-here')), []);
  });

  test('colour codes and hyperlinks in the output do not hide the result', async () => {
    const dir = newProject();
    const env = fakeEnv({ ansi: true });
    await newEnvironment(dir, env);
    const run = await runAzd(azdDeployArgs({ first: true, env: 'dev', projectDir: dir }), env, dir);
    assert.ok(
      run.lines.some((line) => line.includes('\u001b[')),
      'the fake coloured its output',
    );
    assert.deepEqual(interpretAzdOutput(run.lines), { succeeded: true, endpoint: 'https://127.0.0.1:8443/' });
  });
});

describe('failures and their remedies', () => {
  test('Microsoft.App not registered: provisioning fails, the remedy registers the provider, no retry', async () => {
    const dir = newProject();
    const env = fakeEnv({ failure: 'provider-not-registered' });
    await newEnvironment(dir, env);
    const run = await runAzd(azdDeployArgs({ first: true, env: 'dev', projectDir: dir }), env, dir);
    assert.equal(run.exitCode, 1);
    const outcome = interpretAzdOutput(run.lines);
    assert.equal(outcome.succeeded, false);
    assert.match(outcome.errorLine ?? '', /^error executing step command 'provision': deployment failed/);
    assert.equal(outcome.remedy?.kind, 'provider-not-registered');
    assert.equal(outcome.remedy?.retry, false);
    assert.equal(outcome.remedy?.command, 'az provider register --namespace Microsoft.App');
    assert.match(outcome.remedy?.message ?? '', /Resource providers/);
    // Nothing was provisioned, so the environment has no outputs to connect to.
    assert.throws(
      () => deploymentOutputs(listAzdEnvironments(dir)[0]!.values),
      (error: unknown) =>
        error instanceof UserFacingError &&
        /AZURE_FUNCTION_NAME, SERVICE_API_DEFAULT_HOSTNAME, AZURE_RESOURCE_GROUP, AZURE_TENANT_ID/.test(
          error.message,
        ) &&
        /azd provision` may not have finished/.test(error.message),
    );
  });

  test('the transient tag error right after provisioning: retry advised, and a retry succeeds', async () => {
    const dir = newProject();
    const env = fakeEnv({ failure: 'transient-tag-once' });
    await newEnvironment(dir, env);
    const first = await runAzd(azdDeployArgs({ first: true, env: 'dev', projectDir: dir }), env, dir);
    assert.equal(first.exitCode, 1);
    const outcome = interpretAzdOutput(first.lines);
    assert.equal(outcome.succeeded, false);
    assert.match(outcome.errorLine ?? '', /unable to find a resource tagged with 'azd-service-name: api'/);
    assert.equal(outcome.remedy?.kind, 'transient-tag');
    assert.equal(outcome.remedy?.retry, true);
    assert.match(outcome.remedy?.message ?? '', /right after provisioning; retrying usually works/);
    // Provisioning finished, so the next run is a plain deploy.
    assert.ok(listAzdEnvironments(dir)[0]!.values.SERVICE_API_NAME);
    const retry = await runAzd(azdDeployArgs({ first: false, env: 'dev', projectDir: dir }), env, dir);
    assert.equal(retry.exitCode, 0);
    assert.deepEqual(interpretAzdOutput(retry.lines), {
      succeeded: true,
      endpoint: 'https://127.0.0.1:8443/',
    });
  });

  test('a tag error that persists keeps failing', async () => {
    const dir = newProject();
    const env = fakeEnv({ failure: 'transient-tag' });
    await newEnvironment(dir, env);
    for (const first of [true, false]) {
      const run = await runAzd(azdDeployArgs({ first, env: 'dev', projectDir: dir }), env, dir);
      assert.equal(run.exitCode, 1);
      assert.equal(interpretAzdOutput(run.lines).remedy?.kind, 'transient-tag');
    }
  });

  test('not signed in: up fails and the remedy is azd auth login', async () => {
    const dir = newProject();
    const env = fakeEnv({ signedIn: false });
    await newEnvironment(dir, env);
    const run = await runAzd(azdDeployArgs({ first: true, env: 'dev', projectDir: dir }), env, dir);
    assert.equal(run.exitCode, 1);
    const outcome = interpretAzdOutput(run.lines);
    assert.equal(outcome.errorLine, 'not logged in, run `azd auth login` to login');
    assert.deepEqual(
      { kind: outcome.remedy?.kind, retry: outcome.remedy?.retry, command: outcome.remedy?.command },
      { kind: 'not-signed-in', retry: false, command: 'azd auth login' },
    );
  });

  test('--no-prompt without an environment, or without a subscription, names the question', async () => {
    const dir = newProject();
    const noEnv = await runAzd(['up', '--no-prompt', '--cwd', dir], fakeEnv(), dir);
    assert.equal(noEnv.exitCode, 1);
    const outcome = interpretAzdOutput(noEnv.lines);
    assert.equal(outcome.errorLine, "no default response for prompt 'Enter a new environment name:'");
    assert.equal(outcome.remedy?.kind, 'missing-input');

    const noSubscription = await runAzd(
      azdDeployArgs({ first: true, env: 'fresh', projectDir: dir }),
      fakeEnv({ subscriptionId: '' }),
      dir,
    );
    assert.equal(noSubscription.exitCode, 1);
    assert.match(
      interpretAzdOutput(noSubscription.lines).errorLine ?? '',
      /Select an Azure Subscription to use:/,
    );
  });

  test('transcripts of real azd runs', () => {
    // Azure-Samples/azure-search-openai-demo#555 (azd 1.2.0).
    const tagged = interpretAzdOutput([
      'Deploying services (azd deploy)',
      '',
      '  (x) Failed: Deploying service backend',
      '',
      "ERROR: getting target resource: resource not found unable to find a resource tagged with 'azd-service-name: backend'. Ensure the service resource is correctly tagged in your infrastructure configuration, and rerun provision.",
    ]);
    assert.equal(tagged.remedy?.kind, 'transient-tag');
    // Deployment Error Details follow the ERROR line (Azure/azure-dev#1708's layout).
    const unregistered = interpretAzdOutput([
      '  (✓) Done: Resource group: rg-x (1.52s)',
      '',
      'ERROR: deployment failed: error deploying infrastructure: deploying to subscription:',
      '',
      'Deployment Error Details:',
      "MissingSubscriptionRegistration: The subscription is not registered to use namespace 'Microsoft.App'. See https://aka.ms/rps-not-found for how to register subscriptions.",
    ]);
    assert.equal(
      unregistered.errorLine,
      'deployment failed: error deploying infrastructure: deploying to subscription:',
    );
    assert.equal(unregistered.remedy?.command, 'az provider register --namespace Microsoft.App');
    // Flex Consumption without Microsoft.App can surface as a bare InternalServerError.
    const internal = interpretAzdOutput([
      'ERROR: deployment failed: error deploying infrastructure: deploying to subscription:',
      'Deployment Error Details:',
      'InternalServerError: There was an unexpected InternalServerError.  Please try again later.',
    ]);
    assert.equal(internal.remedy?.kind, 'internal-server-error');
    assert.equal(internal.remedy?.retry, true);
    const quota = interpretAzdOutput([
      'ERROR: deployment failed: error deploying infrastructure: deploying to subscription:',
      'SubscriptionIsOverQuotaForSku: This region has quota of 0 instances for your subscription.',
    ]);
    assert.equal(quota.remedy?.kind, 'quota');
    // An unknown error has its line and no remedy; no verdict at all (cancelled) is not a success.
    assert.deepEqual(interpretAzdOutput(['ERROR: something new']), {
      succeeded: false,
      errorLine: 'something new',
    });
    assert.deepEqual(interpretAzdOutput(['Packaging services (azd package)']), { succeeded: false });
  });
});

describe('cancelling', () => {
  test('SIGTERM stops a running azd up promptly, before it writes any outputs', async () => {
    const dir = newProject();
    const env = fakeEnv({ delayMs: 2000 });
    await newEnvironment(dir, env);
    const child = startProcess({
      name: 'azd',
      command: fakeAzd,
      args: azdDeployArgs({ first: true, env: 'dev', projectDir: dir }),
      cwd: dir,
      env,
      log: quietLog,
    });
    const lines: string[] = [];
    await new Promise<void>((resolve) =>
      child.onLine((line) => {
        lines.push(line);
        if (line.startsWith('Packaging services')) resolve();
      }),
    );
    const stopped = Date.now();
    const exit = await child.stop(5000);
    assert.ok(Date.now() - stopped < 1500, `azd took ${Date.now() - stopped} ms to stop`);
    assert.ok(exit.code === 143 || exit.signal === 'SIGTERM', JSON.stringify(exit));
    assert.equal(interpretAzdOutput(lines).succeeded, false);
    assert.equal(listAzdEnvironments(dir)[0]!.values.SERVICE_API_NAME, undefined);
  });
});

describe('environment values through azd', () => {
  test('a missing environment is an error naming the command', async () => {
    const dir = newProject();
    await assert.rejects(
      azdEnvValues(fakeAzd, dir, 'nope', { env: fakeEnv() }),
      /`azd env get-values --output json -e nope` failed: environment 'nope' does not exist/,
    );
  });

  test('output that is not a flat object of strings is rejected with the command named', async () => {
    const cases: [string, RegExp][] = [
      ['not json', /`azd env get-values --output json -e dev` did not print JSON/],
      ['[1,2]', /printed an array, not a flat JSON object of strings/],
      ['"text"', /printed a string, not a flat JSON object of strings/],
      [
        '{"A":"x","PORT":8080,"N":null,"O":{}}',
        /values that are not strings: PORT \(a number\), N \(null\), O \(a object\)/,
      ],
    ];
    for (const [index, [stdout, expected]] of cases.entries()) {
      const script = path.join(scratch, `bad-azd-${index}`);
      writeFileSync(script, `#!/bin/sh\ncat <<'EOF'\n${stdout}\nEOF\n`);
      chmodSync(script, 0o755);
      await assert.rejects(azdEnvValues(script, scratch, 'dev'), expected);
    }
  });
});

describe('deployment outputs', () => {
  const complete: Record<string, string> = {
    AZURE_ENV_NAME: 'dev',
    AZURE_LOCATION: 'eastus2',
    AZURE_SUBSCRIPTION_ID: subscriptionId,
    AZURE_TENANT_ID: tenantId,
    AZURE_RESOURCE_GROUP: 'rg-dev',
    AZURE_FUNCTION_NAME: 'func-api-abc',
    SERVICE_API_DEFAULT_HOSTNAME: 'func-api-abc.azurewebsites.net',
  };

  test('the resource id is built from its parts when SERVICE_API_RESOURCE_ID is absent', async () => {
    assert.equal(
      deploymentOutputs(complete).resourceId,
      `/subscriptions/${subscriptionId}/resourceGroups/rg-dev/providers/Microsoft.Web/sites/func-api-abc`,
    );
    // The same through the fake, whose template left the output out.
    const dir = newProject();
    const env = fakeEnv({ omitOutputs: ['SERVICE_API_RESOURCE_ID'], siteName: 'func-api-given' });
    await newEnvironment(dir, env);
    assert.equal(
      (await runAzd(['provision', '--no-prompt', '-e', 'dev', '--cwd', dir], env, dir)).exitCode,
      0,
    );
    const values = await azdEnvValues(fakeAzd, dir, 'dev', { env });
    assert.equal(values.SERVICE_API_RESOURCE_ID, undefined);
    assert.equal(
      deploymentOutputs(values).resourceId,
      `/subscriptions/${subscriptionId}/resourceGroups/rg-dev/providers/Microsoft.Web/sites/func-api-given`,
    );
  });

  test('SERVICE_API_NAME stands in for AZURE_FUNCTION_NAME; a host name given as a URL is trimmed', () => {
    const { AZURE_FUNCTION_NAME: _dropped, ...rest } = complete;
    const outputs = deploymentOutputs({
      ...rest,
      SERVICE_API_NAME: 'func-api-abc',
      SERVICE_API_DEFAULT_HOSTNAME: 'https://func-api-abc.azurewebsites.net/',
    });
    assert.equal(outputs.functionName, 'func-api-abc');
    assert.equal(outputs.hostName, 'func-api-abc.azurewebsites.net');
  });

  test('missing keys are named, with the likely cause', () => {
    const { AZURE_TENANT_ID: _t, SERVICE_API_DEFAULT_HOSTNAME: _h, ...partial } = complete;
    assert.throws(
      () => deploymentOutputs(partial),
      /^UserFacingError: azd environment dev has no SERVICE_API_DEFAULT_HOSTNAME, AZURE_TENANT_ID\. `azd provision` may not have finished/,
    );
    assert.throws(
      () => deploymentOutputs({}),
      /^UserFacingError: the azd environment has no AZURE_FUNCTION_NAME, /,
    );
    assert.throws(
      () => deploymentOutputs({ ...complete, SERVICE_API_RESOURCE_ID: '/subscriptions/x/whatever' }),
      /not a function app's resource id/,
    );
  });
});
