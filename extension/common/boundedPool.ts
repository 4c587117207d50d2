/**
 * Runs `work` for every item with at most `concurrency` running at once, in the items' order, and
 * resolves with one settled result per item (same order). A worker's failure is its item's result,
 * never the whole run's. When `signal` aborts, no further item starts and the running ones see the
 * same signal; the items never started settle as rejected with the signal's reason.
 *
 * Items may also arrive while it runs (`feed`), so a producer (an Azure scan) and the consumers
 * (probes) overlap instead of waiting for each other.
 *
 * Hand-written on purpose. A maintained limiter (p-limit 7, https://github.com/sindresorhus/p-limit)
 * would replace only the count of running workers and the queue's shift, a few lines here. What the
 * status view relies on it does not do: `limit.map` is `Promise.all`, so one failed probe would fail
 * the refresh instead of being that server's result; `clearQueue` leaves the cleared promises pending
 * (or, with `rejectOnClear`, rejects them with its own AbortError instead of the signal's reason), and
 * no signal reaches the running workers; and it has no `close`/`done` for a stream of items.
 */
export interface BoundedPool<T, R> {
  /** Adds an item; its result comes at the same index in `done()`'s array. */
  feed(item: T): void;
  /** No more items: `done()` resolves when every fed item has settled. */
  close(): void;
  done(): Promise<PromiseSettledResult<R>[]>;
}

export function boundedPool<T, R>(
  concurrency: number,
  work: (item: T, signal: AbortSignal) => Promise<R>,
  signal: AbortSignal = new AbortController().signal,
): BoundedPool<T, R> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1; it is ${concurrency}.`);
  }
  const queue: { item: T; index: number }[] = [];
  const results: PromiseSettledResult<R>[] = [];
  let fed = 0;
  let settled = 0;
  let running = 0;
  let closed = false;
  let resolveDone!: (results: PromiseSettledResult<R>[]) => void;
  const done = new Promise<PromiseSettledResult<R>[]>((resolve) => (resolveDone = resolve));

  const finishIfIdle = () => {
    if (closed && settled === fed) resolveDone(results);
  };
  const settle = (index: number, result: PromiseSettledResult<R>) => {
    results[index] = result;
    settled++;
  };
  const drainAborted = () => {
    for (const { index } of queue.splice(0))
      settle(index, { status: 'rejected', reason: signal.reason as unknown });
  };
  const pump = () => {
    if (signal.aborted) drainAborted();
    while (running < concurrency && queue.length > 0) {
      const next = queue.shift()!;
      running++;
      // A worker that throws synchronously is a rejection like any other.
      void Promise.resolve()
        .then(() => work(next.item, signal))
        .then(
          (value) => settle(next.index, { status: 'fulfilled', value }),
          (reason: unknown) => settle(next.index, { status: 'rejected', reason }),
        )
        .finally(() => {
          running--;
          pump();
        });
    }
    finishIfIdle();
  };
  signal.addEventListener('abort', pump, { once: true });
  void done.then(() => signal.removeEventListener('abort', pump));

  return {
    feed(item) {
      if (closed) throw new Error('boundedPool: feed() after close()');
      queue.push({ item, index: fed++ });
      pump();
    },
    close() {
      closed = true;
      pump();
    },
    done: () => done,
  };
}

/** The whole list through a {@link boundedPool}. */
export function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, signal: AbortSignal) => Promise<R>,
  signal?: AbortSignal,
): Promise<PromiseSettledResult<R>[]> {
  const pool = boundedPool(concurrency, work, signal);
  for (const item of items) pool.feed(item);
  pool.close();
  return pool.done();
}
