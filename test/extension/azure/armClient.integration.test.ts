// extension/azure/armClient.ts: the real WebSiteManagementClient of @azure/arm-appservice talking
// https to the loopback ARM fake (test/fakes/arm.ts): the token's audience follows the endpoint,
// api-version on every request, the pipeline's retries, and, in a child process, that
// NODE_EXTRA_CA_CERTS alone (no tlsOptions) is enough to trust the fake.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getAppSettings } from '../../../extension/azure/appSettings';
import { getAuthSettingsV2 } from '../../../extension/azure/authSettings';
import { tokenCredentialFromSession } from '../../../extension/azure/credentials';
import { siteResourceId } from '../../../extension/azure/resourceIds';
import { DEFAULT_SUBSCRIPTION_ID, startFakeArm, type FakeArm } from '../../fakes/arm';
import { makeJwt, testCredential, useArmFakeSite } from '../../support/armFakeSite';

const root = path.resolve(__dirname, '../../..');
const sub = DEFAULT_SUBSCRIPTION_ID;

describe('ARM through the real WebSiteManagementClient against the fake', () => {
  const fake = useArmFakeSite();
  const { ref, client, requestsTo } = fake;

  test('the bearer token arrives with the ARM scope of the endpoint, and api-version on every request', async () => {
    const credential = testCredential();
    await getAppSettings(client(credential), ref);
    const last = fake.arm().requests.at(-1);
    assert.ok(last?.authorized, 'Authorization: Bearer reached the fake');
    assert.equal(last?.method, 'POST');
    assert.equal(last?.path, `${siteResourceId(ref)}/config/appsettings/list`);
    assert.equal(last?.query['api-version'], '2025-05-01');
    assert.deepEqual(credential.calls, [[`${fake.arm().endpoint}/.default`]]);
  });

  test('a session credential with a JWT is asked once for many requests (its exp is used)', async () => {
    const token = makeJwt({ exp: Math.floor(Date.now() / 1000) + 3600 });
    const asked: string[][] = [];
    const credential = tokenCredentialFromSession((scopes) => {
      asked.push(scopes);
      return Promise.resolve(token);
    });
    const armClient = client(credential);
    await getAppSettings(armClient, ref);
    await getAppSettings(armClient, ref);
    await getAuthSettingsV2(armClient, ref);
    assert.deepEqual(asked, [[`${fake.arm().endpoint}/.default`]]);
  });

  test('429 with Retry-After and a 500 are retried by the pipeline, then succeed', async () => {
    const sitePath = `${siteResourceId(ref)}/config/appsettings/list`;
    fake.arm().failNext({
      path: sitePath,
      status: 429,
      code: 'TooManyRequests',
      message: 'Slow down.',
      headers: { 'Retry-After': '1' },
    });
    const before = requestsTo(sitePath).length;
    const started = Date.now();
    const settings = await getAppSettings(client(), ref);
    assert.deepEqual(settings, fake.arm().site(ref.name).appSettings);
    assert.equal(requestsTo(sitePath).length - before, 2);
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After');

    fake.arm().failNext({
      path: sitePath,
      method: 'POST',
      status: 500,
      code: 'InternalServerError',
      message: 'Oops.',
    });
    assert.deepEqual(await getAppSettings(client(), ref), fake.arm().site(ref.name).appSettings);
    assert.deepEqual(
      requestsTo(sitePath)
        .slice(-2)
        .map((r) => r.status),
      [500, 200],
    );
  });
});

describe('trusting the fake through NODE_EXTRA_CA_CERTS alone (no tlsOptions)', () => {
  let arm: FakeArm;
  let scratch: string;
  let script: string;

  before(async () => {
    arm = await startFakeArm();
    arm.addSite({ resourceGroup: 'rg-ca', name: 'func-ca' });
    scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-arm-ca-'));
    script = path.join(scratch, 'getAppSettings.ts');
    const bundle = path.join(root, 'extension/azure/azureBundle.ts');
    writeFileSync(
      script,
      `import { createArmClient, getAppSettings, tokenCredentialFromSession } from ${JSON.stringify(bundle)};
const credential = tokenCredentialFromSession(async () => 'opaque-test-token');
const client = createArmClient({ endpoint: process.env.ARM_ENDPOINT, credential, subscriptionId: ${JSON.stringify(sub)} });
getAppSettings(client, { subscriptionId: ${JSON.stringify(sub)}, resourceGroup: 'rg-ca', name: 'func-ca' }).then(
  (settings) => console.log('SETTINGS ' + Object.keys(settings).length),
  (error) => { console.log('ERROR ' + (error.code ?? '') + ' ' + error.message); process.exitCode = 2; },
);
`,
    );
  });

  after(async () => {
    await arm.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const runChild = (extraEnv: Record<string, string>) =>
    new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ARM_ENDPOINT: arm.endpoint,
        NO_PROXY: '127.0.0.1,localhost',
        ...extraEnv,
      };
      delete env['NODE_OPTIONS'];
      if (!('NODE_EXTRA_CA_CERTS' in extraEnv)) delete env['NODE_EXTRA_CA_CERTS'];
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, output }));
    });

  test('with NODE_EXTRA_CA_CERTS the client reaches the fake; without it the certificate is refused', async () => {
    const caFile = arm.writeCaFile(scratch);
    const trusted = await runChild({ NODE_EXTRA_CA_CERTS: caFile });
    assert.equal(trusted.code, 0, trusted.output);
    assert.match(trusted.output, /^SETTINGS \d+$/m);
    assert.ok(
      arm.requests.some((r) => r.authorized && r.path.endsWith('/sites/func-ca/config/appsettings/list')),
    );

    const untrusted = await runChild({});
    assert.equal(untrusted.code, 2, untrusted.output);
    assert.match(untrusted.output, /ERROR .*(self[- ]signed|SELF_SIGNED|certificate)/i);
  });
});
