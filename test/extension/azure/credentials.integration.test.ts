// extension/azure/credentials.ts's azdCredential against the fake azd (test/fakes/azd): it runs the
// azd the user configured, not PATH's.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { azdCredential } from '../../../extension/azure/credentials';
import { fakeAzd, fakeAzdTenantId as tenantId, fakeEnv, type FakeConfig } from '../../support/fakeAzdConfig';

describe("the extension's azd credential (runs the azd of remoteMcp.azdPath, not PATH's)", () => {
  async function withConfig<T>(config: FakeConfig, run: () => Promise<T>): Promise<T> {
    const saved = process.env.FAKE_AZD_CONFIG;
    process.env.FAKE_AZD_CONFIG = fakeEnv(config).FAKE_AZD_CONFIG;
    try {
      return await run();
    } finally {
      if (saved === undefined) delete process.env.FAKE_AZD_CONFIG;
      else process.env.FAKE_AZD_CONFIG = saved;
    }
  }

  test('gets the same token @azure/identity would, from the azd at the given path', async () => {
    const before = Date.now();
    const token = await withConfig({ token: 'fake-token-value-for-tests' }, () =>
      azdCredential(fakeAzd).getToken('https://management.azure.com/.default'),
    );
    assert.equal(token?.token, 'fake-token-value-for-tests');
    assert.ok(
      token && token.expiresOnTimestamp > before + 3590_000 && token.expiresOnTimestamp < before + 3610_000,
    );
  });

  test('passes the tenant on', async () => {
    const token = await withConfig({}, () =>
      azdCredential(fakeAzd, tenantId).getToken('https://management.azure.com/.default'),
    );
    const payload = JSON.parse(Buffer.from(token!.token.split('.')[1]!, 'base64url').toString()) as {
      tid: string;
    };
    assert.equal(payload.tid, tenantId);
  });

  test('not signed in: an access error that says to run azd auth login', async () => {
    await withConfig({ signedIn: false }, () =>
      assert.rejects(
        azdCredential(fakeAzd).getToken('https://management.azure.com/.default'),
        (error: Error) =>
          error.name === 'AzureAccessError' &&
          /azd is not signed in to Azure: run "azd auth login"/.test(error.message),
      ),
    );
  });

  test('a missing azd is an access error naming the path', async () => {
    await assert.rejects(
      azdCredential('/nonexistent/azd').getToken('https://management.azure.com/.default'),
      (error: Error) =>
        error.name === 'AzureAccessError' &&
        /azd could not get an Azure token: \/nonexistent\/azd was not found/.test(error.message),
    );
  });
});
