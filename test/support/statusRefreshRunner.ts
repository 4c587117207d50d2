// Runs the status view's refresh (scan + probes) in a process of its own, against the servers a
// parent started (test/support/mcpAppFleet.ts), and prints what it measured as one JSON line. A
// child process because it must trust the fakes' certificate from the start (NODE_EXTRA_CA_CERTS,
// read only at start-up), and so its heap holds the refreshes alone, not the fakes: run it with
// --expose-gc for the memory figures.
//   RUNNER_CONFIG={"armEndpoint", "concurrency", "timeoutMs", "warmups", "refreshes"} node --expose-gc --import tsx <this file>
import { performance } from 'node:perf_hooks';
import { scanForMcpApps } from '../../extension/azure/mcpAppScan';
import { SecretMasker } from '../../extension/common/log';
import { probeServer } from '../../extension/probe/mcpProbe';
import { FunctionKeyStore } from '../../extension/remote/keyStore';
import { RemoteServerRegistry } from '../../extension/remote/remoteServers';
import { HiddenServers } from '../../extension/statusView/hiddenServers';
import { ScanCache } from '../../extension/statusView/scanCache';
import { ServerStatusModel } from '../../extension/statusView/serverStatus';
import { memorySecrets, memoryState } from './memoryStores';

export interface RunnerConfig {
  armEndpoint: string;
  concurrency: number;
  timeoutMs: number;
  warmups: number;
  refreshes: number;
}

export interface RunnerResult {
  /** Each measured refresh, in ms. */
  durationsMs: number[];
  servers: number;
  reachable: number;
  /** Tools per reachable server (all should have the catalogue's). */
  toolCounts: number[];
  /** heapUsed after forced GC, after the warm-ups and after the measured refreshes (bytes); 0 without --expose-gc. */
  heapBefore: number;
  heapAfter: number;
}

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

async function main(): Promise<void> {
  const config = JSON.parse(process.env.RUNNER_CONFIG ?? '{}') as RunnerConfig;
  const credential = {
    getToken: () => Promise.resolve({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3600_000 }),
  };
  const model = new ServerStatusModel({
    registry: new RemoteServerRegistry(memoryState()),
    keys: new FunctionKeyStore(memorySecrets(), new SecretMasker()),
    azdDeployments: () => [],
    scanner: ({ signal, concurrency, known, onApp }) =>
      scanForMcpApps({ credential, endpoint: config.armEndpoint, concurrency, signal, known, onApp }),
    probe: probeServer,
    silentToken: () => Promise.reject(new Error('no session')),
    settings: () => ({
      settings: { autoRefreshMs: 0, probeConcurrency: config.concurrency, probeTimeoutMs: config.timeoutMs },
      problems: [],
    }),
    hidden: new HiddenServers(memoryState()),
    scanCache: new ScanCache(memoryState(), () => 'runner'),
    log: silent,
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  const heap = () => {
    if (!gc) return 0;
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  for (let i = 0; i < config.warmups; i++) await model.refresh();
  const heapBefore = heap();
  const durationsMs: number[] = [];
  for (let i = 0; i < config.refreshes; i++) {
    const started = performance.now();
    await model.refresh();
    durationsMs.push(performance.now() - started);
  }
  const heapAfter = heap();
  const snapshot = await model.snapshot();
  const reachable = snapshot.servers.filter((server) => server.probe?.outcome.ok);
  model.dispose();
  const result: RunnerResult = {
    durationsMs,
    servers: snapshot.servers.length,
    reachable: reachable.length,
    toolCounts: reachable.map((server) => (server.probe?.outcome.ok ? server.probe.outcome.tools.length : 0)),
    heapBefore,
    heapAfter,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
