// `npm run bench:status`: how long a refresh of the MCP Servers view takes (the subscription scan,
// then `initialize` + `tools/list` on every server), for 10, 50 and 200 servers behind https front
// ends that add 100 ms to every request: serially (one probe at a time) and with the view's bounded
// concurrency (remoteMcp.statusView.probeConcurrency, default 8), side by side, with the ratio.
// Each refresh runs in a child process (test/support/statusRefreshRunner.ts); the median of the
// measured refreshes is reported, after one warm-up. A benchmark, not a test: it always exits 0
// unless it cannot measure.
//
// Environment (all optional):
//   BENCH_SERVERS      comma-separated server counts (default 10,50,200)
//   BENCH_LATENCY_MS   latency per request (default 100)
//   BENCH_REFRESHES    measured refreshes per case (default 3)
//   BENCH_CONCURRENCY  the bounded concurrency (default: the setting's default, 8)
import os from 'node:os';
import { DEFAULT_STATUS_VIEW_SETTINGS } from '../../extension/statusView/statusViewSettings';
import { startMcpAppFleet } from '../support/mcpAppFleet';
import { runStatusRefreshes } from '../support/statusRefresh';

function wholeNumbers(name: string, fallback: string): number[] {
  const raw = process.env[name] ?? fallback;
  return raw.split(',').map((part) => {
    const value = Number(part.trim());
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} must list whole numbers >= 1; it is "${raw}".`);
    return value;
  });
}

const serverCounts = wholeNumbers('BENCH_SERVERS', '10,50,200');
const [latencyMs = 100] = wholeNumbers('BENCH_LATENCY_MS', '100');
const [refreshes = 3] = wholeNumbers('BENCH_REFRESHES', '3');
const [concurrency = DEFAULT_STATUS_VIEW_SETTINGS.probeConcurrency] = wholeNumbers(
  'BENCH_CONCURRENCY',
  String(DEFAULT_STATUS_VIEW_SETTINGS.probeConcurrency),
);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function measure(servers: number, probeConcurrency: number): Promise<number> {
  const fleet = await startMcpAppFleet({ count: servers, latencyMs });
  try {
    const result = await runStatusRefreshes(fleet, {
      concurrency: probeConcurrency,
      timeoutMs: 60_000,
      warmups: 1,
      refreshes,
    });
    if (result.reachable !== servers) {
      throw new Error(`only ${result.reachable} of ${servers} servers answered; the figures would be wrong`);
    }
    return median(result.durationsMs);
  } finally {
    await fleet.close();
  }
}

async function main(): Promise<void> {
  console.log(
    `Status view refresh: Node ${process.version}, ${os.cpus().length} CPUs; ${latencyMs} ms per request, median of ${refreshes} refreshes after a warm-up\n`,
  );
  const rows: string[][] = [];
  for (const servers of serverCounts) {
    const serial = await measure(servers, 1);
    const bounded = await measure(servers, concurrency);
    rows.push([String(servers), seconds(serial), seconds(bounded), `${(serial / bounded).toFixed(1)}x`]);
    console.log(
      `  ${servers} servers: serial ${seconds(serial)}, concurrency ${concurrency} ${seconds(bounded)}`,
    );
  }
  const header = ['servers', 'serial (1 at a time)', `bounded (${concurrency} at a time)`, 'ratio'];
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ');
  console.log(
    `\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`,
  );
  console.log(
    `\nA probe is initialize, then tools/list (the initialized notification is sent without waiting): two round trips, so about ${2 * latencyMs} ms per server serially.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
