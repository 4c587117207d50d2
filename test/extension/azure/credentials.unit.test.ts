// extension/azure/credentials.ts: the session credential's expiry, from the JWT's exp claim.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jwtExpiry, tokenCredentialFromSession } from '../../../extension/azure/credentials';
import { makeJwt } from '../../support/armFakeSite';

describe('tokenCredentialFromSession', () => {
  test('the expiry is the JWT exp claim, in ms; the scopes are passed as an array', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3000;
    const token = makeJwt({ exp, aud: 'https://management.azure.com' });
    const asked: string[][] = [];
    const credential = tokenCredentialFromSession((scopes) => {
      asked.push(scopes);
      return Promise.resolve(token);
    });
    assert.deepEqual(await credential.getToken('https://management.azure.com/.default'), {
      token,
      expiresOnTimestamp: exp * 1000,
      tokenType: 'Bearer',
    });
    assert.deepEqual(asked, [['https://management.azure.com/.default']]);
    assert.equal(jwtExpiry(token), exp * 1000);
  });

  test('a token that is not a JWT (or has no usable exp) lives 5 minutes, never 0', async () => {
    for (const token of [
      'opaque-token',
      'a.%%%.c',
      makeJwt({ sub: 'x' }),
      makeJwt({ exp: 0 }),
      makeJwt({ exp: '123' }),
    ]) {
      const before = Date.now();
      const result = await tokenCredentialFromSession(() => Promise.resolve(token)).getToken(['s']);
      assert.ok(result, token);
      assert.ok(
        result.expiresOnTimestamp >= before + 5 * 60_000 &&
          result.expiresOnTimestamp <= Date.now() + 5 * 60_000,
        `${token}: ${result.expiresOnTimestamp - before} ms`,
      );
    }
  });
});
