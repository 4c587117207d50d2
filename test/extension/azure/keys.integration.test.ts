// extension/azure/keys.ts: the mcp_extension key through the real SDK client against the ARM fake,
// waited for while the host has not loaded the MCP extension, never leaked.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isUserFacingAzureError, KeyNotReadyError } from '../../../extension/azure/errors';
import { fetchMcpExtensionKey } from '../../../extension/azure/keys';
import { useArmFakeSite } from '../../support/armFakeSite';

describe('fetchMcpExtensionKey against the ARM fake', () => {
  const fake = useArmFakeSite();
  const { ref, client, catchError, requestsTo } = fake;

  test('fetchMcpExtensionKey waits while mcp_extension is missing, then returns it', async () => {
    fake.arm().setMissingKeyCalls(ref.name, 3);
    const before = requestsTo('/host/default/listkeys').length;
    const waits: number[] = [];
    const started = Date.now();
    const key = await fetchMcpExtensionKey(client(), ref, {
      initialDelayMs: 20,
      maxDelayMs: 50,
      limitMs: 10_000,
      onWaiting: (elapsed) => waits.push(elapsed),
    });
    assert.equal(key, fake.arm().site(ref.name).hostKeys.systemKeys['mcp_extension']);
    assert.equal(requestsTo('/host/default/listkeys').length - before, 4, 'three misses, then the key');
    assert.equal(waits.length, 3);
    assert.ok(
      waits.every((w, i) => i === 0 || w >= (waits[i - 1] ?? 0)),
      'elapsed time grows',
    );
    assert.ok(Date.now() - started >= 20 + 40 + 50, 'the interval grows (20, 40, then capped at 50 ms)');
  });

  test('fetchMcpExtensionKey gives up with KeyNotReadyError when the key never appears', async () => {
    fake.arm().setMissingKeyCalls(ref.name, 1_000);
    const started = Date.now();
    const error = await catchError(() =>
      fetchMcpExtensionKey(client(), ref, { initialDelayMs: 20, maxDelayMs: 40, limitMs: 300 }),
    );
    assert.ok(error instanceof KeyNotReadyError);
    assert.equal(error.name, 'KeyNotReadyError');
    assert.ok(isUserFacingAzureError(error));
    assert.match(
      error.message,
      /^The function app func-mcp-abc has not loaded the MCP extension yet, so it has no mcp_extension key \(waited 0 s\)\. Check that the deployment finished and the app is running, then run Remote MCP: Fetch Key\.$/,
    );
    const took = Date.now() - started;
    assert.ok(took >= 300 && took < 3000, `gave up after ${took} ms`);
  });

  test('an abort while waiting for the key stops at once with an AbortError', async () => {
    fake.arm().setMissingKeyCalls(ref.name, 1_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await catchError(() =>
      fetchMcpExtensionKey(client(), ref, { signal: controller.signal, initialDelayMs: 5_000 }),
    );
    assert.equal(error.name, 'AbortError');
    assert.ok(Date.now() - started < 2000);
  });
});
