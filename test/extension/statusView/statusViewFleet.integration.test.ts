// The bound on the status view: 50 servers from the fake ARM, each behind its own https front
// end adding 100 ms to every request, refreshed (subscription scan + initialize + tools/list on each)
// with the default settings. A refresh completes within 2 s, and the heap after forced GC does not
// grow across 100 refreshes. The refreshes run in a child process (test/support/statusRefreshRunner.ts)
// so its heap holds them alone, and so it trusts the fakes' certificate from the start.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue } from '../../../server/src/tools';
import { DEFAULT_STATUS_VIEW_SETTINGS } from '../../../extension/statusView/statusViewSettings';
import { startMcpAppFleet, type McpAppFleet } from '../../support/mcpAppFleet';
import { runStatusRefreshes } from '../../support/statusRefresh';
import type { RunnerResult } from '../../support/statusRefreshRunner';

const servers = 50;
const refreshes = 100;
const boundMs = 2000;
// A leak of one probe's worth per server and refresh (a few KB each) would add tens of MB here.
const heapGrowthLimit = 4 * 1024 * 1024;

describe('status view: 50 servers at 100 ms latency', () => {
  let fleet: McpAppFleet;
  let result: RunnerResult;

  before(async () => {
    fleet = await startMcpAppFleet({ count: servers, latencyMs: 100 });
    result = await runStatusRefreshes(fleet, {
      concurrency: DEFAULT_STATUS_VIEW_SETTINGS.probeConcurrency,
      timeoutMs: DEFAULT_STATUS_VIEW_SETTINGS.probeTimeoutMs,
      // JIT, TLS sessions and connection pools settle before the heap is first measured.
      warmups: 5,
      refreshes,
    });
    const sorted = [...result.durationsMs].sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
    console.log(
      `${refreshes} refreshes of ${servers} servers: median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms; heap ${(
        (result.heapAfter - result.heapBefore) /
        1e6
      ).toFixed(2)} MB after forced GC (${(result.heapBefore / 1e6).toFixed(1)} MB before)`,
    );
  });

  after(() => fleet?.close());

  test('every server is found in the subscription and answers with its tools', () => {
    assert.equal(result.servers, servers);
    assert.equal(result.reachable, servers);
    assert.deepEqual(new Set(result.toolCounts), new Set([catalogue.length]));
  });

  test(`a full refresh completes within ${boundMs} ms (median of ${refreshes})`, () => {
    assert.equal(result.durationsMs.length, refreshes);
    const sorted = [...result.durationsMs].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? Infinity;
    // Serially the probes alone would take 50 x 200 ms: the bound is only met concurrently.
    assert.ok(median < boundMs, `median refresh ${Math.round(median)} ms`);
  });

  test(`memory is stable across ${refreshes} refreshes`, () => {
    assert.ok(result.heapBefore > 0, 'the runner measured the heap (--expose-gc)');
    const growth = result.heapAfter - result.heapBefore;
    assert.ok(growth < heapGrowthLimit, `the heap grew by ${(growth / 1e6).toFixed(2)} MB`);
  });
});
