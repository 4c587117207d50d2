// `npm run bench:server`: throughput and latency of `tools/call hello_mcp` over Streamable HTTP, for
// three servers side by side, each in its own child process on a free loopback port:
//   embedded  the embedded host bundle (server/dist/embedded.js), i.e. our code on the SDK;
//   bare-sdk  the SDK's documented stateless pattern with one equivalent tool (bareSdkServer.ts);
//   raw-http  plain node:http answering with a canned SSE-framed result (rawResponder.ts), the floor.
//   functions-app  the Functions app host bundle (server/dist/functionsApp.js) serving a user's own
//             Functions MCP app (the ts-functions-mcp-app fixture, built by its own tsc), `tools/call
//             greet`: a tool through the Functions programming model (@azure/functions' app.mcpTool,
//             its InvocationContext and result converter). Same target as embedded: >= 0.9x bare-sdk.
// and a user's self-hosted server (the node-self-hosted fixture, built by its own tsc), `tools/call
// list_todos`, twice:
//   fixture-direct  started by hand: `node dist/index.js` with PORT;
//   fixture-local   started as Start Local Server runs it without Core Tools (the direct launcher:
//                   host.json's command, PORT/FUNCTIONS_CUSTOMHANDLER_PORT, a process group, output
//                   to the log). Clients talk to the server's own port either way: nothing of ours
//                   is on the request path, so the target is at most 10 % added p50 at c=1.
// A benchmark, not a test: it exits 0 whether or not the embedded host reaches the target ratio, and
// non-zero only when it could not measure (a server failed to start or to answer correctly).
//
// Load: closed loop, N workers over N keep-alive connections, each sending its next request when the
// previous answer is complete. Each server is first warmed up (JIT) once; then, per concurrency and
// round, every server in turn gets a short warm-up on fresh connections and a measured window, one
// server at a time. The order alternates between rounds (A B C, then C B A) so drift of the machine
// affects all servers alike, and each server's best round is reported: interference from the rest
// of the machine (on a shared 2-core box, often tens of percent) only ever makes a window slower.
// The "other CPU" column shows that interference (Linux only).
//
// Environment (all optional):
//   BENCH_SECONDS                 measured window per server, concurrency and round (default 4)
//   BENCH_WARMUP_SECONDS          warm-up before each window (default 0.5)
//   BENCH_INITIAL_WARMUP_SECONDS  warm-up of each server at start, at the highest concurrency (default 2)
//   BENCH_ROUNDS                  rounds per concurrency (default 3)
//   BENCH_CONCURRENCY             comma-separated concurrencies (default 1,32)
//   BENCH_SERVERS                 comma-separated subset of embedded,bare-sdk,raw-http,functions-app,
//                                 fixture-direct,fixture-local (default all)
//   BENCH_EMBEDDED_ENTRY          another embedded host bundle to measure, e.g. to A/B a change
//   BENCH_CPU_PROF_DIR            profile the servers; writes <server>.cpuprofile files there
import http from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { directLauncher } from '../../extension/localServer/launchers';
import { recognizeProjects } from '../../extension/project/recognizeProjects';
import { waitForReady } from '../../shared/net';
import { answersMcpInitialize } from '../../shared/selfHostedRun/mcpReadiness';
import { pidListeningOn } from '../support/ports';
import { freePort, startNodeProcess } from '../support/processes';
import { copyFixture, type FixtureCopy } from '../support/selfHostedFixture';
import {
  copyFunctionsApp,
  functionsAppHostBundle,
  type FunctionsAppCopy,
} from '../support/functionsAppFixture';

const root = path.resolve(__dirname, '../..');
const greeting = 'Hello I am MCP Tool!';
const targetRatio = 0.9;
/** What the fixture's list_todos answers on an empty list. */
const emptyTodos = 'Nothing to do.';
const targetAddedP50 = 0.1;

// ---------------------------------------------------------------------------------------------
// Settings

function numberFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min)
    throw new Error(`${name} must be a number >= ${min}; it is "${raw}".`);
  return value;
}

const measureSeconds = numberFromEnv('BENCH_SECONDS', 4, 0.1);
const warmupSeconds = numberFromEnv('BENCH_WARMUP_SECONDS', 0.5, 0);
const initialWarmupSeconds = numberFromEnv('BENCH_INITIAL_WARMUP_SECONDS', 2, 0);
const rounds = Math.floor(numberFromEnv('BENCH_ROUNDS', 3, 1));
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '1,32').split(',').map((raw) => {
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`BENCH_CONCURRENCY has "${raw}", not a whole number >= 1.`);
  return value;
});
const embeddedEntry = path.resolve(
  process.env.BENCH_EMBEDDED_ENTRY ?? path.join(root, 'server/dist/embedded.js'),
);
const cpuProfDir = process.env.BENCH_CPU_PROF_DIR ? path.resolve(process.env.BENCH_CPU_PROF_DIR) : undefined;

type ServerName = 'embedded' | 'bare-sdk' | 'raw-http' | 'functions-app' | 'fixture-direct' | 'fixture-local';
const allServerNames: ServerName[] = [
  'embedded',
  'bare-sdk',
  'raw-http',
  'functions-app',
  'fixture-direct',
  'fixture-local',
];
const isFixture = (name: ServerName) => name.startsWith('fixture-');
const serverNames = (process.env.BENCH_SERVERS ?? allServerNames.join(','))
  .split(',')
  .map((name) => name.trim())
  .map((name) => {
    if (!allServerNames.includes(name as ServerName))
      throw new Error(`BENCH_SERVERS: unknown server "${name}".`);
    return name as ServerName;
  });

// ---------------------------------------------------------------------------------------------
// Servers

interface BenchServer {
  name: ServerName;
  url: URL;
  /** The process that answers, for the CPU column. */
  pid: number | undefined;
  hasExited(): boolean;
  recentOutput(): readonly string[];
}

/** Everything started, each with a way to stop it (gracefully when profiling). */
const started: { stop(graceful: boolean): Promise<void>; kill(): void }[] = [];
/** Where the reference servers are bundled; removed on every way out. */
let bundleDir: string | undefined;

/**
 * The two reference servers are bundled with esbuild like the embedded host, so no server pays tsx's
 * loader at run time. The bare SDK server is given the express the server workspace uses (the SDK's
 * own copy may be another version), so the comparison is of our code, not of express releases.
 */
async function bundleReferenceServers(
  outdir: string,
): Promise<Record<'bare-sdk' | 'raw-http' | 'profiler', string>> {
  const serverExpress = path.dirname(
    require.resolve('express/package.json', { paths: [path.join(root, 'server')] }),
  );
  await esbuild.build({
    entryPoints: {
      bareSdkServer: path.join(__dirname, 'bareSdkServer.ts'),
      rawResponder: path.join(__dirname, 'rawResponder.ts'),
      cpuProfiler: path.join(__dirname, 'cpuProfiler.ts'),
    },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    keepNames: true,
    logLevel: 'warning',
    legalComments: 'none',
    alias: { express: serverExpress },
  });
  return {
    'bare-sdk': path.join(outdir, 'bareSdkServer.js'),
    'raw-http': path.join(outdir, 'rawResponder.js'),
    profiler: path.join(outdir, 'cpuProfiler.js'),
  };
}

async function startServer(
  name: ServerName,
  entry: string,
  profiler: string,
  port?: number,
  args: readonly string[] = [],
): Promise<BenchServer> {
  port ??= await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), MCP_HOST: '127.0.0.1' };
  // No key (it would answer 401) and no inherited node options (a loader would tax one side only).
  delete env.MCP_KEY;
  delete env.NODE_OPTIONS;
  if (cpuProfDir) {
    // node 20 refuses --cpu-prof in NODE_OPTIONS; the preloaded profiler writes this file on exit.
    env.NODE_OPTIONS = `--require ${profiler}`;
    env.BENCH_CPU_PROF_FILE = path.join(cpuProfDir, `${name}.cpuprofile`);
  }
  const child = startNodeProcess(entry, env, args);
  const hasExited = () => child.child.exitCode !== null || child.child.signalCode !== null;
  started.push({
    stop: async (graceful) => {
      if (graceful && !hasExited()) {
        // A graceful exit, so that the profiler writes the profile; SIGKILL after a grace period.
        child.child.kill('SIGTERM');
        await Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      }
      await child.stop();
    },
    kill: () => {
      if (!hasExited()) child.child.kill('SIGKILL');
    },
  });
  let url: URL;
  if (isFixture(name)) {
    await child.waitForLine(/listening on http:\/\/\S+/, 30_000);
    url = new URL(`http://127.0.0.1:${port}/mcp`);
  } else {
    // The Functions app host loads the user's app first (@azure/functions and every function file).
    const line = await child.waitForLine(/ready: http:\/\/\S+/, 60_000);
    url = new URL(/ready: (http:\/\/\S+)/.exec(line)![1]!);
  }
  if (url.hostname !== '127.0.0.1') throw new Error(`${name} listens on ${url.host}, not on 127.0.0.1.`);
  return { name, url, pid: child.child.pid, hasExited, recentOutput: () => child.output };
}

/** The fixture as Start Local Server runs it without Core Tools: recognised, then the direct launcher. */
async function startLocalRun(fixture: FixtureCopy): Promise<BenchServer> {
  const { projects } = await recognizeProjects([fixture.folder]);
  const project = projects[0];
  if (project?.kind !== 'selfHosted') throw new Error(`${fixture.folder} is not recognised as self-hosted.`);
  const output: string[] = [];
  const log = { trace() {}, debug() {}, info: (line: string) => void output.push(line) };
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  const host = await directLauncher(
    { ...log, warn: log.info, error: log.info },
    { execPath: process.execPath, isElectron: false },
  )({ project, port: fixture.port, env });
  let exited = false;
  void host.exited.then(() => (exited = true));
  started.push({ stop: () => host.stop(), kill: () => host.kill() });
  const url = new URL(`http://127.0.0.1:${fixture.port}${project.mcpPath}`);
  const ready = await waitForReady((timeoutMs) => answersMcpInitialize(url.href, timeoutMs), {
    limitMs: 30_000,
    exited: host.exited,
  });
  if (!ready.ready)
    throw new Error(`fixture-local did not become ready (${ready.reason}):\n${output.join('\n')}`);
  return {
    name: 'fixture-local',
    url,
    pid: pidListeningOn(fixture.port),
    hasExited: () => exited,
    recentOutput: () => output,
  };
}

const fixtureCopies: (FixtureCopy | FunctionsAppCopy)[] = [];

/** Two copies of the built fixture, each with its own port in host.json. */
async function startFixtures(): Promise<{ direct: FixtureCopy; local: FixtureCopy }> {
  const direct = await copyFixture('node-self-hosted', { built: true });
  const local = await copyFixture('node-self-hosted', { built: true });
  fixtureCopies.push(direct, local);
  return { direct, local };
}

async function stopAll(): Promise<void> {
  await Promise.all(started.map((server) => server.stop(cpuProfDir !== undefined)));
}

// ---------------------------------------------------------------------------------------------
// Client

interface Answer {
  /** Undefined when the answer is a correct hello_mcp result for the request's id. */
  error?: string;
  body: string;
}

interface BenchCall {
  tool: string;
  arguments: Record<string, unknown>;
  /** The text of the correct answer. */
  expected: string;
}

/** The call each server is measured with. */
function callOf(name: ServerName): BenchCall {
  if (isFixture(name)) return { tool: 'list_todos', arguments: {}, expected: emptyTodos };
  if (name === 'functions-app')
    return { tool: 'greet', arguments: { name: 'Bench' }, expected: 'Hello, Bench!' };
  return { tool: 'hello_mcp', arguments: {}, expected: greeting };
}

function requestBody(id: number, call: BenchCall): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: call.tool, arguments: call.arguments },
  });
}

/** Checks one answer: 2xx, an SSE `message` event (or plain JSON) carrying the expected text for this id. */
function checkAnswer(
  status: number,
  contentType: string,
  body: string,
  id: number,
  expected: string,
): string | undefined {
  if (status < 200 || status > 299) return `HTTP ${status}: ${body.slice(0, 200)}`;
  let json: string | undefined;
  if (contentType.startsWith('text/event-stream')) {
    json = body
      .split('\n')
      .find((line) => line.startsWith('data:'))
      ?.slice('data:'.length);
  } else if (contentType.startsWith('application/json')) {
    json = body;
  }
  if (json === undefined) return `unexpected answer (${contentType}): ${body.slice(0, 200)}`;
  let message: {
    jsonrpc?: unknown;
    id?: unknown;
    result?: { content?: { text?: unknown }[]; isError?: unknown };
  };
  try {
    message = JSON.parse(json) as typeof message;
  } catch {
    return `garbled JSON: ${json.slice(0, 200)}`;
  }
  if (message.jsonrpc !== '2.0' || message.id !== id)
    return `wrong id or not JSON-RPC 2.0: ${json.slice(0, 200)}`;
  if (message.result?.isError || message.result?.content?.[0]?.text !== expected) {
    return `not "${expected}": ${json.slice(0, 200)}`;
  }
  return undefined;
}

function callTool(agent: http.Agent, server: BenchServer, id: number): Promise<Answer> {
  const { url } = server;
  const call = callOf(server.name);
  const { expected } = call;
  const body = requestBody(id, call);
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const contentType = String(res.headers['content-type'] ?? '');
          const error = checkAnswer(res.statusCode ?? 0, contentType, text, id, expected);
          resolve(error === undefined ? { body: text } : { error, body: text });
        });
        res.on('error', (error) => resolve({ error: `response error: ${error.message}`, body: text }));
      },
    );
    req.on('error', (error) => resolve({ error: `request error: ${error.message}`, body: '' }));
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Load

interface Measurement {
  server: ServerName;
  concurrency: number;
  round: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Requests counted in the window (sent after its start, answered before its end). */
  requests: number;
  errors: number;
  /** Distinct error messages with counts, warm-up included. */
  errorSamples: Map<string, number>;
  /** Share of the machine's CPU (all cores) used by processes other than the bench and this server. */
  otherCpu: number | undefined;
}

let nextId = 1;

/** Closed loop: `concurrency` workers on as many keep-alive connections, for warm-up then the window. */
async function measure(
  server: BenchServer,
  concurrency: number,
  round: number,
  warmup: number,
  seconds: number,
): Promise<Measurement> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const latencies: number[] = [];
  const errorSamples = new Map<string, number>();
  let errors = 0;
  const start = performance.now();
  const windowStart = start + warmup * 1000;
  const windowEnd = windowStart + seconds * 1000;
  const pids = [process.pid, server.pid];
  let cpuAtStart: CpuSnapshot | undefined;
  let cpuAtEnd: CpuSnapshot | undefined;
  let stop = false;
  const startTimer = setTimeout(() => (cpuAtStart = cpuSnapshot(pids)), windowStart - start);
  const stopTimer = setTimeout(() => {
    cpuAtEnd = cpuSnapshot(pids);
    stop = true;
  }, windowEnd - start);

  const worker = async () => {
    while (!stop) {
      const id = nextId++;
      const sent = performance.now();
      const answer = await callTool(agent, server, id);
      const done = performance.now();
      const inWindow = sent >= windowStart && done <= windowEnd;
      if (answer.error !== undefined) {
        errorSamples.set(answer.error, (errorSamples.get(answer.error) ?? 0) + 1);
        if (inWindow) errors++;
        // A dead server answers instantly; do not spin the event loop at full speed meanwhile.
        if (answer.body === '') await new Promise((resolve) => setTimeout(resolve, 10));
      } else if (inWindow) {
        latencies.push(done - sent);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    clearTimeout(startTimer);
    clearTimeout(stopTimer);
    agent.destroy();
  }
  if (server.hasExited()) {
    throw new Error(`${server.name} exited during the run:\n${server.recentOutput().slice(-20).join('\n')}`);
  }

  const sorted = Float64Array.from(latencies).sort();
  const percentile = (p: number) =>
    sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  return {
    server: server.name,
    concurrency,
    round,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(0.5),
    p99: percentile(0.99),
    requests: latencies.length,
    errors,
    errorSamples,
    otherCpu: cpuAtStart && cpuAtEnd ? otherCpuShare(cpuAtStart, cpuAtEnd) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Interference: on a shared 2-core machine, other work steals CPU from a window. Linux only, from
// /proc; elsewhere the column stays empty.

interface CpuSnapshot {
  machineBusy: number;
  machineTotal: number;
  ours: number;
}

function cpuSnapshot(pids: (number | undefined)[]): CpuSnapshot | undefined {
  try {
    // cpu  user nice system idle iowait irq softirq steal ...  (clock ticks, all cores)
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    // Interrupt time is left out of "busy": loopback networking runs there, charged to no process, and
    // at raw-http's request rates it would read as interference.
    const notOthers = fields[3]! + fields[4]! + fields[5]! + fields[6]!;
    let ours = 0;
    for (const pid of pids) {
      if (pid === undefined) continue;
      // utime and stime are fields 14 and 15; the command name before them may contain spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ours += Number(after[11]) + Number(after[12]);
    }
    return { machineBusy: total - notOthers, machineTotal: total, ours };
  } catch {
    return undefined;
  }
}

function otherCpuShare(a: CpuSnapshot, b: CpuSnapshot): number | undefined {
  const total = b.machineTotal - a.machineTotal;
  if (total <= 0) return undefined;
  const others = b.machineBusy - a.machineBusy - (b.ours - a.ours);
  return Math.max(0, Math.min(1, others / total));
}

function formatShare(share: number | undefined): string {
  return share === undefined ? '-' : `${(share * 100).toFixed(0)}%`;
}

// ---------------------------------------------------------------------------------------------
// Report

function formatRow(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
}

function printTable(results: Measurement[]): void {
  const header = ['server', 'concurrency', 'requests/s', 'p50 ms', 'p99 ms', 'errors', 'other CPU'];
  const rows = results.map((r) => [
    r.server,
    String(r.concurrency),
    r.requestsPerSecond.toFixed(0),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    String(r.errors),
    formatShare(r.otherCpu),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  console.log(formatRow(header, widths));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(formatRow(row, widths));
}

function printErrors(results: Measurement[]): void {
  for (const r of results) {
    for (const [message, count] of r.errorSamples) {
      console.log(`  errors ${r.server} c=${r.concurrency} round ${r.round}: ${count} x ${message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mcp-bench-'));
  bundleDir = tmp;
  try {
    if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
    const { profiler, ...referenceEntries } = await bundleReferenceServers(tmp);
    const fixtures = serverNames.some(isFixture) ? await startFixtures() : undefined;
    const functionsApp = serverNames.includes('functions-app') ? copyFunctionsApp() : undefined;
    if (functionsApp) fixtureCopies.push(functionsApp);
    const entries: Record<Exclude<ServerName, 'fixture-local'>, string> = {
      embedded: embeddedEntry,
      ...referenceEntries,
      'functions-app': functionsAppHostBundle,
      'fixture-direct': path.join(fixtures?.direct.folder ?? '', 'dist/index.js'),
    };
    // One at a time: the fixture's two copies must not race for the CPU while starting.
    const servers: BenchServer[] = [];
    for (const name of serverNames) {
      if (name === 'fixture-local') servers.push(await startLocalRun(fixtures!.local));
      else if (name === 'fixture-direct')
        servers.push(await startServer(name, entries[name], profiler, fixtures!.direct.port));
      else if (name === 'functions-app')
        servers.push(await startServer(name, entries[name], profiler, undefined, [functionsApp!.folder]));
      else servers.push(await startServer(name, entries[name], profiler));
    }

    // A benchmark of error answers is worthless: every server must first answer correctly.
    for (const server of servers) {
      const agent = new http.Agent({ keepAlive: false });
      const answer = await callTool(agent, server, nextId++);
      agent.destroy();
      if (answer.error !== undefined) {
        throw new Error(
          `${server.name} at ${server.url.href} did not answer ${callOf(server.name).tool} correctly: ${answer.error}`,
        );
      }
      console.log(
        `${server.name.padEnd(8)} ${server.url.href} answers: ${answer.body.trim().replace(/\n/g, ' | ')}`,
      );
    }
    console.log(
      `node ${process.version}, ${os.cpus().length} CPUs. Each server: ${initialWarmupSeconds} s warm-up at ` +
        `c=${Math.max(...concurrencies)}; then per concurrency ${rounds} round(s), order alternating, each ` +
        `${warmupSeconds} s warm-up + ${measureSeconds} s measured; the best round is reported.\n`,
    );
    for (const server of servers) {
      await measure(server, Math.max(...concurrencies), 0, 0, initialWarmupSeconds);
    }

    const all: Measurement[] = [];
    for (const concurrency of concurrencies) {
      for (let round = 1; round <= rounds; round++) {
        const order = round % 2 === 1 ? servers : [...servers].reverse();
        for (const server of order) {
          const m = await measure(server, concurrency, round, warmupSeconds, measureSeconds);
          all.push(m);
          console.log(
            `  round ${round} c=${concurrency} ${server.name.padEnd(8)} ${m.requestsPerSecond.toFixed(0).padStart(6)} req/s` +
              `  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  errors ${m.errors}` +
              `  other CPU ${formatShare(m.otherCpu)}`,
          );
        }
      }
    }

    const best: Measurement[] = [];
    for (const concurrency of concurrencies) {
      for (const name of serverNames) {
        const candidates = all.filter((m) => m.server === name && m.concurrency === concurrency);
        best.push(candidates.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a)));
      }
    }
    console.log('');
    printTable(best);
    printErrors(all);
    const totalErrors = all.reduce((sum, m) => sum + m.errors, 0);
    if (totalErrors > 0) console.log(`WARNING: ${totalErrors} error answers in measured windows; see above.`);
    const busiest = Math.max(...best.map((m) => m.otherCpu ?? 0));
    if (busiest > 0.1) {
      console.log(
        `WARNING: other processes used up to ${formatShare(busiest)} of the machine's CPU during reported ` +
          'windows; the numbers are noisy. Rerun on a quieter machine, or raise BENCH_ROUNDS.',
      );
    }

    for (const measured of ['embedded', 'functions-app'] as const) {
      if (!serverNames.includes(measured) || !serverNames.includes('bare-sdk')) continue;
      const ratios = concurrencies.map((concurrency) => {
        const rps = (name: ServerName) =>
          best.find((m) => m.server === name && m.concurrency === concurrency)!.requestsPerSecond;
        return { concurrency, ratio: rps(measured) / rps('bare-sdk') };
      });
      const missed = ratios.filter((r) => !(r.ratio >= targetRatio));
      const verdict =
        missed.length === 0
          ? 'target met'
          : `TARGET MISSED at ${missed.map((r) => `c=${r.concurrency}`).join(', ')}`;
      console.log(
        `\n${measured}/bare-sdk throughput ratio: ${ratios.map((r) => `c=${r.concurrency} ${r.ratio.toFixed(2)}`).join(', ')} ` +
          `(target >= ${targetRatio}): ${verdict}`,
      );
    }
    if (serverNames.includes('fixture-direct') && serverNames.includes('fixture-local')) {
      const added = concurrencies.map((concurrency) => {
        const p50 = (name: ServerName) =>
          best.find((m) => m.server === name && m.concurrency === concurrency)!.p50;
        return { concurrency, added: p50('fixture-local') / p50('fixture-direct') - 1 };
      });
      const atOne = added.find((a) => a.concurrency === 1);
      const verdict =
        atOne === undefined
          ? 'c=1 not measured'
          : atOne.added <= targetAddedP50
            ? 'target met'
            : 'TARGET MISSED at c=1';
      console.log(
        `fixture-local vs fixture-direct added p50: ${added.map((a) => `c=${a.concurrency} ${(a.added * 100).toFixed(1)} %`).join(', ')} ` +
          `(target <= ${targetAddedP50 * 100} % at c=1): ${verdict}`,
      );
    }
  } finally {
    await stopAll();
    fixtureCopies.forEach((copy) => copy.remove());
    rmSync(tmp, { recursive: true, force: true });
    if (cpuProfDir) console.log(`CPU profiles of the servers: ${cpuProfDir}`);
  }
}

// Children must not outlive the benchmark, whichever way it ends.
process.on('exit', () => {
  for (const server of started) server.kill();
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the servers.`);
    void stopAll().finally(() => process.exit(130));
  });
}

main().catch((error: unknown) => {
  console.error(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
