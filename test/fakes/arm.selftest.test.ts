// The ARM fake itself (test/fakes/arm.ts), through the real SDK client where it can: host keys,
// paging of functions, authsettingsV2 and restart, and what it answers without a token or api-version.
// Not a test of the product: it keeps the fake honest for the tests that are.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { siteResourceId } from '../../extension/azure/resourceIds';
import { useArmFakeSite } from '../support/armFakeSite';
import { selfHostedSite } from './arm';

describe('the ARM fake', () => {
  const fake = useArmFakeSite();
  const { ref, client, requestsTo } = fake;

  test('listHostKeys returns the master, function and system keys', async () => {
    const keys = await client().webApps.listHostKeys(ref.resourceGroup, ref.name);
    const site = fake.arm().site(ref.name);
    assert.deepEqual(keys, site.hostKeys);
    assert.equal(requestsTo('/host/default/listkeys').at(-1)?.method, 'POST');
  });

  test('a self-hosted site: the feature flag in its settings, functionKeys.default and no mcp_extension key, no functions; right after a deploy no key at all', async () => {
    const arm = fake.arm();
    arm.addSite(
      selfHostedSite({ name: 'func-sdk-selftest', resourceGroup: ref.resourceGroup, language: 'python' }),
    );
    const armClient = client();
    const settings = await armClient.webApps.listApplicationSettings(ref.resourceGroup, 'func-sdk-selftest');
    assert.equal(settings.properties?.['AzureWebJobsFeatureFlags'], 'EnableMcpCustomHandlerPreview');
    const keys = await armClient.webApps.listHostKeys(ref.resourceGroup, 'func-sdk-selftest');
    assert.ok(keys.functionKeys?.['default']);
    assert.deepEqual(keys.systemKeys, {});
    const functions = [];
    for await (const fn of armClient.webApps.listFunctions(ref.resourceGroup, 'func-sdk-selftest'))
      functions.push(fn);
    assert.deepEqual(functions, []);
    const site = await armClient.webApps.get(ref.resourceGroup, 'func-sdk-selftest');
    assert.equal(site.functionAppConfig?.runtime?.name, 'python');
    arm.setMissingKeyCalls('func-sdk-selftest', 1);
    const early = await armClient.webApps.listHostKeys(ref.resourceGroup, 'func-sdk-selftest');
    assert.deepEqual([early.functionKeys, early.systemKeys], [{}, {}]);
  });

  test('listFunctions pages through the functions of a site', async () => {
    const names: string[] = [];
    for await (const fn of client().webApps.listFunctions(ref.resourceGroup, ref.name))
      names.push(fn.name ?? '');
    assert.deepEqual(names, [`${ref.name}/hello`, `${ref.name}/weather`]);
  });

  test('authsettingsV2 round-trips; restart answers 200', async () => {
    const armClient = client();
    const current = await armClient.webApps.getAuthSettingsV2(ref.resourceGroup, ref.name);
    assert.equal(current.platform?.enabled, false);
    await armClient.webApps.updateAuthSettingsV2(ref.resourceGroup, ref.name, {
      ...current,
      platform: { enabled: true, runtimeVersion: '~1' },
      globalValidation: { requireAuthentication: true, unauthenticatedClientAction: 'Return401' },
    });
    const updated = await armClient.webApps.getAuthSettingsV2(ref.resourceGroup, ref.name);
    assert.equal(updated.platform?.enabled, true);
    assert.equal(updated.globalValidation?.unauthenticatedClientAction, 'Return401');
    assert.equal(updated.httpSettings?.routes?.apiPrefix, '/.auth', 'the other sections were kept');
    await armClient.webApps.restart(ref.resourceGroup, ref.name);
    assert.equal(fake.arm().site(ref.name).restarts, 1);
  });

  test('the fake itself: 401 with WWW-Authenticate and no token, 400 MissingApiVersionParameter, JSON bodies', async () => {
    const raw = (pathAndQuery: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: unknown }>((resolve, reject) => {
        const req = https.request(
          `${fake.arm().endpoint}${pathAndQuery}`,
          { ca: fake.arm().caPem, headers },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: JSON.parse(text) as unknown,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
    const anonymous = await raw(`${siteResourceId(ref)}?api-version=2025-05-01`);
    assert.equal(anonymous.status, 401);
    assert.match(String(anonymous.headers['www-authenticate']), /^Bearer authorization_uri=/);
    assert.deepEqual((anonymous.body as { error: { code: string } }).error.code, 'AuthenticationFailed');
    assert.equal(fake.arm().requests.at(-1)?.authorized, false);
    const noVersion = await raw(siteResourceId(ref), { authorization: 'Bearer tok-not-to-be-kept-42' });
    assert.equal(noVersion.status, 400);
    assert.deepEqual(
      (noVersion.body as { error: { code: string } }).error.code,
      'MissingApiVersionParameter',
    );
    assert.ok(
      !JSON.stringify(fake.arm().requests).includes('tok-not-to-be-kept-42'),
      'the token is not recorded',
    );
  });
});
