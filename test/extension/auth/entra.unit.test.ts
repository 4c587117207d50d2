// extension/auth/entra.ts: the Entra knowledge every module shares. tenantFromIssuer was written twice
// (the diagnostics' and the sign-in check's) and the two disagreed; these are the cases of both.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isGuid, tenantFromIssuer } from '../../../extension/auth/entra';

const tenantId = '11111111-2222-3333-4444-555555555555';

describe('tenantFromIssuer', () => {
  test('the v2 issuer https://login.microsoftonline.com/<tid>/v2.0, with or without a trailing slash, any host', () => {
    assert.equal(tenantFromIssuer(`https://login.microsoftonline.com/${tenantId}/v2.0`), tenantId);
    assert.equal(tenantFromIssuer(`http://127.0.0.1:1234/${tenantId}/v2.0/`), tenantId);
  });

  test('the v1 issuer https://sts.windows.net/<tid>/', () => {
    assert.equal(tenantFromIssuer(`https://sts.windows.net/${tenantId}/`), tenantId);
    assert.equal(tenantFromIssuer(`https://sts.windows.net/${tenantId}`), tenantId);
  });

  test("an issuer an app was configured with by one of its tenant's domains names that domain", () => {
    assert.equal(
      tenantFromIssuer('https://login.microsoftonline.com/contoso.onmicrosoft.com/'),
      'contoso.onmicrosoft.com',
    );
    assert.equal(tenantFromIssuer('https://login.microsoftonline.com/contoso.com/v2.0'), 'contoso.com');
    assert.equal(tenantFromIssuer('https://login.microsoftonline.com/common/'), undefined);
  });

  test('anything that is not an issuer of a tenant names none', () => {
    assert.equal(tenantFromIssuer('https://auth.example.com'), undefined);
    assert.equal(
      tenantFromIssuer('https://login.microsoftonline.com/common/oauth2/v2.0/authorize'),
      undefined,
    );
    assert.equal(tenantFromIssuer('https://sts.windows.net/not-a-guid/'), undefined);
    assert.equal(tenantFromIssuer('not a url'), undefined);
    assert.equal(tenantFromIssuer(undefined), undefined);
  });
});

describe('isGuid', () => {
  test('a GUID in either case, around spaces; nothing else', () => {
    assert.ok(isGuid(tenantId));
    assert.ok(isGuid(` ${tenantId.toUpperCase()} `));
    assert.ok(!isGuid('11111111-2222-3333-4444-55555555555'));
    assert.ok(!isGuid(`{${tenantId}}`));
    assert.ok(!isGuid(''));
  });
});
