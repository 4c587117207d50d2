import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { boundedPool, mapBounded } from '../../../extension/common/boundedPool';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A worker that records how many run at once. */
function tracker(delayMs: number) {
  let running = 0;
  let max = 0;
  const started: number[] = [];
  const work = async (item: number, signal: AbortSignal) => {
    started.push(item);
    max = Math.max(max, ++running);
    try {
      await tick(delayMs);
      signal.throwIfAborted();
      return item * 10;
    } finally {
      running--;
    }
  };
  return { work, started, max: () => max };
}

describe('boundedPool', () => {
  test('runs every item, never more than `concurrency` at once, results in item order', async () => {
    const t = tracker(5);
    const results = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, t.work);
    assert.equal(t.max(), 3);
    assert.deepEqual(t.started, [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : undefined)),
      [10, 20, 30, 40, 50, 60, 70],
    );
  });

  test("a failing worker is its item's result, not the run's", async () => {
    const results = await mapBounded([1, 2, 3], 2, (item) =>
      item === 2 ? Promise.reject(new Error('two failed')) : Promise.resolve(item),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason), /two failed/);
  });

  test('a synchronous throw is a rejection too', async () => {
    const results = await mapBounded([1], 1, () => {
      throw new Error('sync');
    });
    assert.equal(results[0]?.status, 'rejected');
  });

  test('abort: nothing more starts, running workers see the signal, the rest settle rejected', async () => {
    const controller = new AbortController();
    const t = tracker(30);
    const pending = mapBounded([1, 2, 3, 4, 5, 6], 2, t.work, controller.signal);
    await tick(10);
    controller.abort(new Error('newer refresh'));
    const results = await pending;
    assert.deepEqual(t.started, [1, 2], 'only the first two ever started');
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.match(String((results[5] as PromiseRejectedResult).reason), /newer refresh/);
  });

  test('items fed while it runs are taken up; done() waits for close()', async () => {
    const t = tracker(5);
    const pool = boundedPool(2, t.work);
    pool.feed(1);
    await tick(1);
    pool.feed(2);
    pool.feed(3);
    let done = false;
    void pool.done().then(() => (done = true));
    await tick(30);
    assert.equal(done, false, 'not done before close()');
    pool.close();
    const results = await pool.done();
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : undefined)),
      [10, 20, 30],
    );
    assert.throws(() => pool.feed(4), /after close/);
  });

  test('an empty run is done at once; a bad concurrency is refused', async () => {
    assert.deepEqual(await mapBounded([], 4, () => Promise.resolve(1)), []);
    assert.throws(() => boundedPool(0, () => Promise.resolve(1)), /at least 1; it is 0/);
    assert.throws(() => boundedPool(1.5, () => Promise.resolve(1)), /whole number/);
  });
});
