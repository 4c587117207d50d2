// The fake azd (test/fakes/azd) against the real consumer of its `azd auth token` contract,
// @azure/identity's AzureDeveloperCliCredential: the fake answers as azd does. Not a test of the
// product: it keeps the fake honest for the tests that are.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AzureDeveloperCliCredential } from '@azure/identity';
import { fakeAzd, fakeAzdTenantId as tenantId, fakeEnv, type FakeConfig } from '../../support/fakeAzdConfig';

const fakeDir = path.dirname(fakeAzd);

describe("@azure/identity's AzureDeveloperCliCredential", () => {
  async function withFakeOnPath<T>(config: FakeConfig, run: () => Promise<T>): Promise<T> {
    const saved = { PATH: process.env.PATH, FAKE_AZD_CONFIG: process.env.FAKE_AZD_CONFIG };
    // The credential spawns `azd` from PATH, reading process.env when it is called.
    const env = fakeEnv(config);
    process.env.PATH = `${fakeDir}${path.delimiter}${saved.PATH ?? ''}`;
    process.env.FAKE_AZD_CONFIG = env.FAKE_AZD_CONFIG;
    try {
      return await run();
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }

  test('gets the token from `azd auth token` on PATH', async () => {
    const before = Date.now();
    const token = await withFakeOnPath({ token: 'fake-token-value-for-tests' }, () =>
      new AzureDeveloperCliCredential().getToken('https://management.azure.com/.default'),
    );
    assert.equal(token.token, 'fake-token-value-for-tests');
    assert.equal(token.tokenType, 'Bearer');
    // expiresOn is RFC 3339 to the second, an hour ahead.
    assert.ok(token.expiresOnTimestamp > before + 3590_000 && token.expiresOnTimestamp < before + 3610_000);
  });

  test('a minted token is a JWT for the tenant asked for', async () => {
    const token = await withFakeOnPath({}, () =>
      new AzureDeveloperCliCredential({ tenantId }).getToken('https://management.azure.com/.default'),
    );
    const payload = JSON.parse(Buffer.from(token.token.split('.')[1]!, 'base64url').toString()) as {
      aud: string;
      tid: string;
      exp: number;
    };
    assert.equal(payload.aud, 'https://management.azure.com');
    assert.equal(payload.tid, tenantId);
    assert.equal(payload.exp * 1000, token.expiresOnTimestamp);
  });

  test('not signed in: the credential reports that azd needs `azd auth login`', async () => {
    await withFakeOnPath({ signedIn: false }, () =>
      assert.rejects(
        new AzureDeveloperCliCredential().getToken('https://management.azure.com/.default'),
        (error: Error) => error.name === 'CredentialUnavailableError' && /azd auth login/.test(error.message),
      ),
    );
    assert.ok(
      !existsSync(path.join('/bin', '.azure')),
      'the credential runs azd in /bin; the fake wrote nothing there',
    );
  });
});
