// The local server's settings (extension/localServer/settings.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readLocalServerSettings } from '../../../extension/localServer/settings';

describe('settings', () => {
  const read = (values: Record<string, unknown>) => readLocalServerSettings((key) => values[key]);

  test('defaults', () => {
    assert.deepEqual(read({}), {
      port: 7071,
      host: 'auto',
      funcPath: 'func',
      startTimeoutMs: 90_000,
      azuriteBlobPort: 10000,
    });
  });

  test('a bad value names the setting and the rule', () => {
    assert.throws(
      () => read({ 'localServer.port': 70000 }),
      /remoteMcp\.localServer\.port is 70000; it must be a whole number from 1 to 65535/,
    );
    assert.throws(() => read({ 'localServer.port': '7071' }), /remoteMcp\.localServer\.port is "7071"/);
    assert.throws(
      () => read({ 'localServer.host': 'docker' }),
      /remoteMcp\.localServer\.host is "docker"; it must be "auto", "func" or "embedded"/,
    );
    assert.throws(() => read({ funcPath: 42 }), /remoteMcp\.funcPath must be a path/);
  });
});
