// extension/azure/errors.ts: ARM's failures, as the real SDK client raises them against the ARM fake,
// become errors that say what to do.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getAppSettings } from '../../../extension/azure/appSettings';
import { fetchMcpKey } from '../../../extension/azure/keys';
import { siteResourceId } from '../../../extension/azure/resourceIds';
import { useArmFakeSite } from '../../support/armFakeSite';

describe('ARM errors become messages that say what to do', () => {
  const fake = useArmFakeSite();
  const { ref, client, catchError } = fake;

  test('an unknown app is a SiteNotFoundError naming the app and the resource group', async () => {
    const missing = { ...ref, name: 'func-gone' };
    const error = await catchError(() =>
      fetchMcpKey(client(), missing, 'functionsMcpExtension', { limitMs: 1000 }),
    );
    assert.equal(error.name, 'SiteNotFoundError');
    assert.match(error.message, /func-gone/);
    assert.match(error.message, /resource group rg-mcp/);
    assert.deepEqual(
      { status: (error as { statusCode?: number }).statusCode, code: (error as { code?: string }).code },
      { status: 404, code: 'ResourceNotFound' },
    );
    const noGroup = await catchError(() => getAppSettings(client(), { ...ref, resourceGroup: 'rg-nope' }));
    assert.equal(noGroup.name, 'SiteNotFoundError');
    assert.match(noGroup.message, /the resource group rg-nope does not exist/);
  });

  test('403 AuthorizationFailed names the role to ask for; 401 names the sign-in', async () => {
    fake.arm().failNext({
      path: `${siteResourceId(ref)}/host/default/listkeys`,
      status: 403,
      code: 'AuthorizationFailed',
      message:
        "The client 'user@contoso.com' does not have authorization to perform action 'Microsoft.Web/sites/host/listkeys/action'.",
    });
    const forbidden = await catchError(() => fetchMcpKey(client(), ref, 'functionsMcpExtension'));
    assert.equal(forbidden.name, 'AzureAccessError');
    assert.match(forbidden.message, /Website Contributor or Contributor role/);
    assert.match(forbidden.message, /AuthorizationFailed/);

    fake.arm().failNext({
      path: `${siteResourceId(ref)}/config/appsettings/list`,
      status: 401,
      code: 'InvalidAuthenticationTokenTenant',
      message: 'Wrong tenant.',
    });
    const unauthenticated = await catchError(() => getAppSettings(client(), ref));
    assert.equal(unauthenticated.name, 'AzureAccessError');
    assert.match(
      unauthenticated.message,
      /did not accept the sign-in \(InvalidAuthenticationTokenTenant: Wrong tenant\.\)/,
    );
  });

  test('other ARM errors carry ARM code and message', async () => {
    fake.arm().failNext({
      path: `${siteResourceId(ref)}/config/appsettings/list`,
      status: 409,
      code: 'Conflict',
      message: 'Busy.',
    });
    const error = await catchError(() => getAppSettings(client(), ref));
    assert.equal(error.name, 'AzureApiError');
    assert.equal(
      error.message,
      'Could not read the app settings of the function app func-mcp-abc: Azure answered 409 (Conflict: Busy.).',
    );
  });
});
