// extension/azure/keys.ts: the MCP key of each kind of app through the real SDK client against the
// ARM fake: the mcp_extension system key of an MCP extension app, the default function key of a
// self-hosted one; waited for while the host has not created it, never leaked.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isUserFacingAzureError, KeyNotReadyError } from '../../../extension/azure/errors';
import { fetchMcpKey } from '../../../extension/azure/keys';
import type { SiteRef } from '../../../extension/azure/resourceIds';
import { selfHostedSite } from '../../fakes/arm';
import { useArmFakeSite } from '../../support/armFakeSite';

describe('fetchMcpKey against the ARM fake', () => {
  const fake = useArmFakeSite();
  const { ref, client, catchError, requestsTo } = fake;
  const selfHosted: SiteRef = { ...ref, name: 'func-selfhosted-abc' };
  before(() => {
    fake.arm().addSite(selfHostedSite({ name: selfHosted.name, resourceGroup: selfHosted.resourceGroup }));
  });

  test('an MCP extension app: waits while mcp_extension is missing, then returns it', async () => {
    fake.arm().setMissingKeyCalls(ref.name, 3);
    const before = requestsTo('/host/default/listkeys').length;
    const waits: number[] = [];
    const started = Date.now();
    const key = await fetchMcpKey(client(), ref, 'functionsMcpExtension', {
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

  test('an MCP extension app whose key never appears: KeyNotReadyError names the mcp_extension key', async () => {
    fake.arm().setMissingKeyCalls(ref.name, 1_000);
    const started = Date.now();
    const error = await catchError(() =>
      fetchMcpKey(client(), ref, 'functionsMcpExtension', {
        initialDelayMs: 20,
        maxDelayMs: 40,
        limitMs: 300,
      }),
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

  test('a self-hosted app: the default function key, though it has no mcp_extension key', async () => {
    const site = fake.arm().site(selfHosted.name);
    assert.equal(site.hostKeys.systemKeys['mcp_extension'], undefined, 'the fake models no MCP extension');
    const key = await fetchMcpKey(client(), selfHosted, 'selfHosted', { limitMs: 1000 });
    assert.equal(key, site.hostKeys.functionKeys['default']);
  });

  test('a self-hosted app right after a deploy: waits for the default function key, then returns it', async () => {
    fake.arm().setMissingKeyCalls(selfHosted.name, 2);
    const before = requestsTo(`/${selfHosted.name}/host/default/listkeys`).length;
    const waits: number[] = [];
    const key = await fetchMcpKey(client(), selfHosted, 'selfHosted', {
      initialDelayMs: 20,
      maxDelayMs: 40,
      limitMs: 10_000,
      onWaiting: (elapsed) => waits.push(elapsed),
    });
    assert.equal(key, fake.arm().site(selfHosted.name).hostKeys.functionKeys['default']);
    assert.equal(requestsTo(`/${selfHosted.name}/host/default/listkeys`).length - before, 3);
    assert.equal(waits.length, 2);
  });

  test('a self-hosted app whose function key never appears: the message names the default function key', async () => {
    fake.arm().setMissingKeyCalls(selfHosted.name, 1_000);
    try {
      const error = await catchError(() =>
        fetchMcpKey(client(), selfHosted, 'selfHosted', { initialDelayMs: 20, maxDelayMs: 40, limitMs: 200 }),
      );
      assert.ok(error instanceof KeyNotReadyError);
      assert.equal(error.kind, 'selfHosted');
      assert.equal(
        error.message,
        'The function app func-selfhosted-abc has no default function key yet (waited 0 s): its host has not started since the deploy. Check that the deployment finished and the app is running, then run Remote MCP: Fetch Key.',
      );
      assert.doesNotMatch(error.message, /mcp_extension|MCP extension/);
    } finally {
      fake.arm().setMissingKeyCalls(selfHosted.name, 0);
    }
  });

  test('asked for the wrong kind, an MCP extension app is not mistaken: its function key is not handed out as the MCP key', async () => {
    const site = fake.arm().site(selfHosted.name);
    const error = await catchError(() =>
      fetchMcpKey(client(), selfHosted, 'functionsMcpExtension', { initialDelayMs: 20, limitMs: 100 }),
    );
    assert.ok(error instanceof KeyNotReadyError);
    assert.ok(!error.message.includes(site.hostKeys.functionKeys['default'] ?? '?'));
  });

  test('an abort while waiting for the key stops at once with an AbortError', async () => {
    fake.arm().setMissingKeyCalls(ref.name, 1_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await catchError(() =>
      fetchMcpKey(client(), ref, 'functionsMcpExtension', {
        signal: controller.signal,
        initialDelayMs: 5_000,
      }),
    );
    assert.equal(error.name, 'AbortError');
    assert.ok(Date.now() - started < 2000);
  });
});
