// The fake itself, not the product: it refuses what App Service's managed identity endpoint refuses,
// so a credential that passes against it would pass against the real one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MANAGED_IDENTITY_API_VERSION,
  startFakeManagedIdentity,
  type FakeManagedIdentity,
} from './managedIdentity';

let identityEndpoint: FakeManagedIdentity;
before(async () => {
  identityEndpoint = await startFakeManagedIdentity({
    systemAssigned: '0b6f1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  });
});
after(() => identityEndpoint.close());

describe('the fake managed identity endpoint keeps to the contract', () => {
  test('no X-IDENTITY-HEADER: 400; another header: 401; the body says why, as App Service does', async () => {
    const url = `${identityEndpoint.endpoint}?api-version=${MANAGED_IDENTITY_API_VERSION}&resource=https://x.example`;
    const missing = await fetch(url);
    assert.equal(missing.status, 400);
    const wrong = await fetch(url, { headers: { 'X-IDENTITY-HEADER': 'guess' } });
    assert.equal(wrong.status, 401);
    const body = (await wrong.json()) as Record<string, unknown>;
    assert.equal(body.statusCode, 401);
    assert.equal(typeof body.message, 'string');
    const oldApi = await fetch(url.replace(MANAGED_IDENTITY_API_VERSION, '2017-09-01'), {
      headers: { 'X-IDENTITY-HEADER': identityEndpoint.identityHeader },
    });
    assert.equal(oldApi.status, 400);
  });
});
