// The stateless check of "Host on Azure Functions…" (issue 13, point 3): build the server as its user
// would when its entry is missing, start it once on a free loopback port, ask it for a sessionless
// answer (statelessProbe.ts), and always stop everything it started. A Python server that cannot
// start here (no environment with the MCP SDK) is judged from its code instead, and says so.
import { access } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledError, UserFacingError } from '../common/errors';
import type { Logger } from '../common/log';
import { startProcess, type ManagedProcess } from '../common/processes';
import type { ProgressReporter } from '../common/ui';
import { entryExists, type ServerEntry } from './serverEntry';
import {
  findTransportMode,
  statelessChange,
  type PortFinding,
  type SourceFile,
  type TransportFinding,
} from './serverSource';
import { NotListeningError, probeStatelessness, type ProbeOutcome } from './statelessProbe';

export interface StatelessCheckInput {
  folder: string;
  name: string;
  entry: ServerEntry;
  port: PortFinding | undefined;
  /** The port host.json will name: the server must listen there when it reads no variable. */
  hostPort: number;
  sources: readonly SourceFile[];
  log: Logger;
  progress: ProgressReporter;
  signal: AbortSignal;
  /** How long the server may take to answer once started; a test shortens it. */
  readyTimeoutMs?: number;
}

export interface StatelessCheckResult {
  /** `ran`: the server answered a sessionless request; `read`: its code was read (it could not start here). */
  how: 'ran' | 'read';
  /** Said to the user with the result when the check was made by reading. */
  note?: string;
}

const defaultReadyTimeoutMs = 30_000;
const nodeSdkPackage = path.join('node_modules', '@modelcontextprotocol', 'sdk');

/** Resolves when the server is stateless; rejects with a UserFacingError that says why and how to fix it. */
export async function checkStateless(input: StatelessCheckInput): Promise<StatelessCheckResult> {
  const transport = findTransportMode(input.sources, input.entry.language);
  if (input.entry.language === 'node') await prepareNodeServer(input);
  const command = await serverCommand(input);
  const run = await runAndProbe(input, command);
  if (run.kind === 'stateless') return { how: 'ran' };
  if (run.kind === 'stateful') throw statefulError(input, transport, describeRefusal(run));
  if (run.kind === 'notMcp')
    throw new UserFacingError(
      `${input.name} started, but http://127.0.0.1:${run.port}/mcp did not answer an MCP initialize ` +
        `(${run.reason}). Functions forwards clients to /mcp: serve the MCP Streamable HTTP transport there, then run Host on Azure Functions again.`,
    );
  // It could not start here. Python: this machine may lack the server's environment, so its code decides.
  if (input.entry.language === 'python' && transport.mode !== 'unknown') {
    if (transport.mode === 'stateful')
      throw statefulError(input, transport, 'its code creates FastMCP without stateless_http=True');
    return {
      how: 'read',
      note:
        `${input.entry.entry} could not be started here (${run.reason}), so it was checked by reading its code: ` +
        `${transport.at ? `${transport.at.file} line ${transport.at.line} ` : ''}sets stateless_http=True.`,
    };
  }
  throw new UserFacingError(
    `${input.name} did not start (${run.reason}), so it could not be checked for sessions. ` +
      `Run \`${[command.executable, ...command.args].join(' ')}\` in ${input.folder} and fix what it reports, then run Host on Azure Functions again.`,
  );
}

function statefulError(
  input: StatelessCheckInput,
  transport: TransportFinding,
  observed: string,
): UserFacingError {
  return new UserFacingError(
    `${input.name} keeps sessions (stateful Streamable HTTP): ${observed}. Azure Functions may send each ` +
      'request to a different instance, so it hosts only stateless MCP servers. To make it stateless, ' +
      `${statelessChange(transport, input.entry.language)}, then run Host on Azure Functions again.`,
  );
}

function describeRefusal(outcome: Extract<ProbeOutcome, { kind: 'stateful' }>): string {
  const session = outcome.gaveSessionId ? 'it answered initialize with an Mcp-Session-Id and ' : '';
  return `${session}refused the next request without it (${outcome.reason})`;
}

/** Dependencies installed and the entry built, as the user would do it by hand. */
async function prepareNodeServer(input: StatelessCheckInput): Promise<void> {
  if (!(await sdkInstalled(input.folder)))
    throw new UserFacingError(
      `${input.name}'s dependencies are not installed (${nodeSdkPackage.split(path.sep).join('/')} is missing). ` +
        `Run \`npm install\` in ${input.folder}, then run Host on Azure Functions again.`,
    );
  if (await entryExists(input.folder, input.entry.entry)) return;
  if (input.entry.buildScript === undefined)
    throw new UserFacingError(
      `${input.entry.entry} (${input.entry.foundIn}) does not exist and package.json has no "build" script ` +
        `to produce it. Build the server or correct ${input.entry.foundIn}, then run Host on Azure Functions again.`,
    );
  input.progress.report(`Building ${input.name} (npm run build)…`);
  const build = startProcess({
    name: 'npm run build',
    // Windows runs npm through its .cmd shim, which Node spawns only through a shell (CVE-2024-27980).
    command: process.platform === 'win32' ? 'cmd.exe' : 'npm',
    args: process.platform === 'win32' ? ['/d', '/s', '/c', 'npm run build'] : ['run', 'build'],
    cwd: input.folder,
    env: process.env,
    log: input.log,
  });
  const exit = await untilExitOrCancel(build, input.signal);
  if (exit.code !== 0 || !(await entryExists(input.folder, input.entry.entry)))
    throw new UserFacingError(
      `\`npm run build\` in ${input.folder} ${exit.code === 0 ? `did not produce ${input.entry.entry}` : `failed (exit code ${String(exit.code)})`}` +
        `${tail(build)}. Fix the build, then run Host on Azure Functions again.`,
    );
}

/** The SDK in the project's node_modules or an ancestor's, where Node's resolution finds it. */
async function sdkInstalled(folder: string): Promise<boolean> {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    if (
      await access(path.join(dir, nodeSdkPackage)).then(
        () => true,
        () => false,
      )
    )
      return true;
    if (path.dirname(dir) === dir) return false;
  }
}

interface ServerCommand {
  executable: string;
  args: string[];
}

/** What host.json will run: `node <entry>`, or the project's virtual environment's python if it has one. */
async function serverCommand(input: StatelessCheckInput): Promise<ServerCommand> {
  if (input.entry.language === 'node') return { executable: process.execPath, args: [input.entry.entry] };
  const venvPython =
    process.platform === 'win32'
      ? ['.venv\\Scripts\\python.exe', 'venv\\Scripts\\python.exe']
      : ['.venv/bin/python', 'venv/bin/python'];
  for (const candidate of venvPython) {
    const full = path.join(input.folder, candidate);
    if (
      await access(full).then(
        () => true,
        () => false,
      )
    )
      return { executable: full, args: [input.entry.entry] };
  }
  return { executable: process.platform === 'win32' ? 'python' : 'python3', args: [input.entry.entry] };
}

type RunOutcome = (ProbeOutcome & { port: number }) | { kind: 'didNotStart'; reason: string };

async function runAndProbe(input: StatelessCheckInput, command: ServerCommand): Promise<RunOutcome> {
  // A server that reads the port variables gets a free port, so the check never collides with a
  // server the user already runs; one with a fixed port must be checked on that port.
  const readsVariable = (input.port?.reads.length ?? 0) > 0;
  const port = readsVariable ? await freeLoopbackPort() : (input.port?.port ?? input.hostPort);
  if (!readsVariable && !(await portIsFree(port)))
    return { kind: 'didNotStart', reason: `port ${port}, where it listens, is in use by another program` };
  input.progress.report(`Starting ${input.name} to check that it is stateless…`);
  const server = startProcess({
    name: input.name,
    command: command.executable,
    args: command.args,
    cwd: input.folder,
    env: { ...process.env, PORT: String(port), FUNCTIONS_CUSTOMHANDLER_PORT: String(port) },
    log: input.log,
  });
  try {
    const url = `http://127.0.0.1:${port}/mcp`;
    const deadline = Date.now() + (input.readyTimeoutMs ?? defaultReadyTimeoutMs);
    let exited = false;
    void server.exited.then(() => (exited = true));
    for (;;) {
      if (input.signal.aborted) throw new CancelledError();
      if (exited) return { kind: 'didNotStart', reason: `it exited${tail(server)}` };
      if (Date.now() > deadline)
        return {
          kind: 'didNotStart',
          reason: `nothing answered at ${url} within ${(input.readyTimeoutMs ?? defaultReadyTimeoutMs) / 1000} s`,
        };
      try {
        return { ...(await probeStatelessness(url, input.signal)), port };
      } catch (error) {
        if (!(error instanceof NotListeningError)) throw error;
      }
      // Not listening yet: startup of a Node or Python server takes a fraction of a second to a few seconds.
      await sleep(150);
    }
  } finally {
    await server.stop(3000);
  }
}

async function untilExitOrCancel(child: ManagedProcess, signal: AbortSignal) {
  const onAbort = () => void child.stop(3000);
  signal.addEventListener('abort', onAbort);
  try {
    const exit = await child.exited;
    if (signal.aborted) throw new CancelledError();
    return exit;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function tail(child: ManagedProcess): string {
  const lines = child.recentOutput.slice(-5).join(' | ');
  return lines === '' ? '' : `: ${lines.length > 600 ? `…${lines.slice(-600)}` : lines}`;
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No port.')),
      );
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
