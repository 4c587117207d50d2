// Secret masking (extension/common/log.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SecretMasker } from '../../../extension/common/log';

describe('secret masking', () => {
  test('registered secrets and key-shaped values never reach a log line', () => {
    const masker = new SecretMasker();
    masker.add('s3cr3t-function-key-value');
    assert.equal(
      masker.mask('key s3cr3t-function-key-value used twice: s3cr3t-function-key-value'),
      'key *** used twice: ***',
    );
    assert.equal(
      masker.mask('GET /runtime/webhooks/mcp?code=abcDEF123&x=1'),
      'GET /runtime/webhooks/mcp?code=***&x=1',
    );
    assert.equal(
      masker.mask('headers {"x-functions-key":"abc123def456"}'),
      'headers {"x-functions-key":"***"}',
    );
    assert.equal(masker.mask('Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig-_'), 'Authorization: Bearer ***');
  });

  test('short values are not treated as secrets, so ordinary words survive', () => {
    const masker = new SecretMasker();
    masker.add('abc');
    assert.equal(masker.mask('abc is fine'), 'abc is fine');
  });
});
