// extension/azure/appSettings.ts through the real SDK client against the ARM fake.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getAppSettings, updateAppSettings } from '../../../extension/azure/appSettings';
import { siteResourceId } from '../../../extension/azure/resourceIds';
import { useArmFakeSite } from '../../support/armFakeSite';

describe('app settings through ARM', () => {
  const fake = useArmFakeSite();
  const { ref, client } = fake;

  test('app settings: read, merge, write keeps the settings it was not told about', async () => {
    const site = fake.arm().site(ref.name);
    site.appSettings = { FUNCTIONS_EXTENSION_VERSION: '~4', KEEP_ME: 'yes', DROP_ME: 'x' };
    const written = await updateAppSettings(client(), ref, {
      WEBSITE_AUTH_AAD_ALLOWED_TENANTS: 'tenant-1',
      DROP_ME: null,
      KEEP_ME: 'still',
    });
    const expected = {
      FUNCTIONS_EXTENSION_VERSION: '~4',
      KEEP_ME: 'still',
      WEBSITE_AUTH_AAD_ALLOWED_TENANTS: 'tenant-1',
    };
    assert.deepEqual(written, expected);
    assert.deepEqual(site.appSettings, expected);
    assert.deepEqual(await getAppSettings(client(), ref), expected);
    const calls = fake
      .arm()
      .requests.filter((r) => r.path.includes('/config/appsettings'))
      .slice(-3);
    assert.deepEqual(
      calls.map((r) => `${r.method} ${r.path.slice(siteResourceId(ref).length)}`),
      ['POST /config/appsettings/list', 'PUT /config/appsettings', 'POST /config/appsettings/list'],
    );
  });
});
