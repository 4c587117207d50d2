// Starts one of our servers in VS Code's MCP client, so its tools are in Copilot's tools picker right
// after Start Local Server or Connect. No `vscode` here: the commands come in through McpClientCommands.
//
// What VS Code does (read in microsoft/vscode and in the code-server 4.100.3, 4.103.2 and 4.139.1
// builds from the npm registry):
// - A provided definition becomes a server whose id is `<extension id, lower case>/<label>`, with 2,
//   3... appended to repeated labels (src/vs/workbench/api/common/extHostMcp.ts,
//   registerMcpConfigurationProvider). The definition's `version` becomes its `cacheNonce`.
// - VS Code applies changed definitions after a 500 ms throttle (common/mcpService.ts,
//   updateCollectedServers). A running server whose definition changed (a new `version`) is
//   stopped there, "restarted again on demand"; a new one is only listed. Either way it stays
//   Stopped until something starts it.
// - Autostart (`chat.mcp.autostart`: absent in 1.100, default "never" in 1.103, "newAndOutdated"
//   in 1.139) runs only when a chat request is sent (McpService.autostart, called by the chat
//   service), so the tools are not in the picker before the first chat message, and with "never"
//   not at all.
// - `workbench.mcp.startServer(id, opts)` starts the server with that id (browser/mcpCommands.ts,
//   StartServer; in 1.100, 1.103 and 1.139 alike). It is internal (f1: false, no API promise), and
//   it does nothing and returns at once while the id is not listed yet. It returns nothing either
//   way, so it cannot say whether it found the server.
// - Starting calls our provider's resolveMcpServerDefinition (canResolveLaunch), every time and
//   from wherever the start comes (List Servers, autostart, this command). That call is the proof
//   that VS Code found and started the server; we observe it through DefinitionEvents.onDidResolve.
//
// Hence: wait until VS Code has read the new definitions, let its throttle pass (before that, the
// id could still name the previous definition, which VS Code would start and then stop when the new
// one lands), then ask it to start our server by id (never '*', which would start every server the
// user has) until it calls resolve, within a bounded time. A missing command, a failure or a
// time-out leaves the server "not started" with the reason, for the MCP Servers view's one-click
// row and the log; nothing here throws or shows a dialog.
import { errorMessage } from '../common/errors';
import { Listeners } from '../common/listeners';
import type { Logger } from '../common/log';

/** VS Code's internal command that starts the MCP server with the given id. */
export const startServerCommand = 'workbench.mcp.startServer';
/** VS Code's "MCP: List Servers", where a user starts a server by hand (1.100 and later). */
export const listServersCommand = 'workbench.mcp.listServer';

/** A definition as the provider handed it to VS Code. */
export interface HandedDefinition {
  label: string;
  version?: string;
}

/** What the starter sees of the definition provider. */
export interface DefinitionEvents {
  /** VS Code read the definitions (provideMcpServerDefinitions), in this order. */
  onDidProvide(listener: (definitions: readonly HandedDefinition[]) => void): { dispose(): void };
  /** VS Code is starting a server and asked us to resolve it; `started` is false when we declined. */
  onDidResolve(listener: (label: string, started: boolean) => void): { dispose(): void };
}

export interface McpClientCommands {
  has(command: string): Promise<boolean>;
  execute(command: string, ...args: unknown[]): Promise<unknown>;
}

export type NotStartedReason = 'noCommand' | 'notListed' | 'declined' | 'failed';

export type McpClientState =
  | { status: 'starting' }
  | { status: 'started' }
  | { status: 'notStarted'; reason: NotStartedReason; detail: string };

export interface McpClientTimings {
  /** How long VS Code may take to read the definitions after they changed. */
  listedWithinMs: number;
  /** After VS Code read them, before the first start: more than its 500 ms throttle. */
  settleMs: number;
  /** The first pause between starts; it grows by half up to `maxRetryDelayMs`. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** The whole attempt, from the request to giving up. */
  limitMs: number;
}

export const defaultMcpClientTimings: McpClientTimings = {
  listedWithinMs: 10_000,
  settleMs: 1_000,
  retryDelayMs: 500,
  maxRetryDelayMs: 4_000,
  limitMs: 30_000,
};

/** VS Code's id for each provided definition, in the order provided (extHostMcp.ts). */
export function mcpServerIds(extensionId: string, labels: readonly string[]): string[] {
  const ids: string[] = [];
  for (const label of labels) {
    let id = `${extensionId.toLowerCase()}/${label}`;
    if (ids.includes(id)) {
      let n = 2;
      while (ids.includes(`${id}${n}`)) n++;
      id = `${id}${n}`;
    }
    ids.push(id);
  }
  return ids;
}

interface Run {
  abort: AbortController;
}

export class McpClientStarter {
  private readonly states = new Map<string, McpClientState>();
  private readonly runs = new Map<string, Run>();
  private readonly listeners = new Listeners();
  private readonly subscriptions: { dispose(): void }[];
  private handed: { at: number; definitions: readonly HandedDefinition[] } | undefined;
  private readonly handedWaiters = new Set<() => void>();

  constructor(
    private readonly extensionId: string,
    definitions: DefinitionEvents,
    private readonly commands: McpClientCommands,
    private readonly log: Logger,
    private readonly timings: McpClientTimings = defaultMcpClientTimings,
  ) {
    this.subscriptions = [
      definitions.onDidProvide((handed) => this.provided(handed)),
      definitions.onDidResolve((label, started) => this.resolved(label, started)),
    ];
  }

  /** Undefined: nothing known (not asked to start it, or it is no longer provided). */
  state(label: string): McpClientState | undefined {
    return this.states.get(label);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.listeners.add(listener);
  }

  /**
   * Starts the server with this label in VS Code's MCP client once VS Code lists it (at `version`,
   * when given). Settles with the outcome, or undefined when the server is no longer provided or a
   * newer request replaced this one; never rejects.
   */
  async start(label: string, version?: string): Promise<McpClientState | undefined> {
    this.runs.get(label)?.abort.abort();
    const run: Run = { abort: new AbortController() };
    this.runs.set(label, run);
    const { signal } = run.abort;
    const deadline = Date.now() + this.timings.limitMs;
    this.set(label, { status: 'starting' });
    const notStarted = (reason: NotStartedReason, detail: string) => {
      if (signal.aborted) return this.outcome(run, label);
      this.log.warn(`${detail} The MCP Servers view offers "Start in VS Code's MCP client".`);
      this.set(label, { status: 'notStarted', reason, detail });
      return this.outcome(run, label);
    };
    try {
      if (!(await this.commands.has(startServerCommand))) {
        return notStarted(
          'noCommand',
          `This VS Code has no ${startServerCommand} command, so ${label} was not started in its MCP client. Start it from "MCP: List Servers"; Copilot agent mode also starts it with the first chat request unless chat.mcp.autostart is "never".`,
        );
      }
      const listedAt = await this.listed(
        label,
        version,
        Math.min(deadline, Date.now() + this.timings.listedWithinMs),
        signal,
      );
      if (listedAt === undefined) {
        return notStarted(
          'notListed',
          `VS Code did not ask for ${label}'s definition within ${this.timings.listedWithinMs / 1000} s, so it was not started in its MCP client.`,
        );
      }
      await sleep(listedAt + this.timings.settleMs - Date.now(), signal);
      let delay = this.timings.retryDelayMs;
      for (let attempt = 1; !signal.aborted; attempt++) {
        const id = this.serverId(label);
        if (!id) break; // No longer provided (stopped, disconnected).
        // Any resolve of the label ends the run (see `resolved`), ours or one from elsewhere.
        const command = this.commands.execute(startServerCommand, id).then(
          () => undefined,
          (error: unknown) => errorMessage(error),
        );
        const abort = whenAborted(signal);
        const failure = await Promise.race([command, abort.promise]).finally(() => abort.dispose());
        if (signal.aborted) {
          // Started (or declined) through resolve: the rest of the start is VS Code's to report.
          void command.then((late) => {
            if (late) this.log.warn(`VS Code's MCP client could not finish starting ${label}: ${late}`);
          });
          break;
        }
        if (failure)
          return notStarted('failed', `VS Code's ${startServerCommand} failed for ${label}: ${failure}`);
        // Returned without a resolve: VS Code does not list this definition yet.
        if (Date.now() + delay > deadline) {
          return notStarted(
            'notListed',
            `VS Code's MCP client did not list ${label} within ${this.timings.limitMs / 1000} s (${attempt} start requests), so it was not started.`,
          );
        }
        await sleep(delay, signal);
        delay = Math.min(delay * 1.5, this.timings.maxRetryDelayMs);
      }
      return this.outcome(run, label);
    } catch (error) {
      return notStarted('failed', `Could not start ${label} in VS Code's MCP client: ${errorMessage(error)}`);
    } finally {
      if (this.runs.get(label) === run) this.runs.delete(label);
    }
  }

  dispose(): void {
    for (const run of this.runs.values()) run.abort.abort();
    this.runs.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.listeners.clear();
  }

  /** VS Code's id for the label in the definitions it read last. */
  private serverId(label: string): string | undefined {
    const labels = (this.handed?.definitions ?? []).map((definition) => definition.label);
    const index = labels.indexOf(label);
    return index < 0 ? undefined : mcpServerIds(this.extensionId, labels)[index];
  }

  /** When VS Code read a list holding the label (at the version), waiting for it until `until`. */
  private async listed(label: string, version: string | undefined, until: number, signal: AbortSignal) {
    const holds = () =>
      this.handed?.definitions.some(
        (definition) =>
          definition.label === label && (version === undefined || definition.version === version),
      )
        ? this.handed.at
        : undefined;
    while (holds() === undefined && Date.now() < until && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.handedWaiters.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        const timer = setTimeout(wake, until - Date.now());
        this.handedWaiters.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
    return holds();
  }

  private provided(definitions: readonly HandedDefinition[]): void {
    this.handed = { at: Date.now(), definitions };
    for (const wake of [...this.handedWaiters]) wake();
    // A server no longer provided (stopped, disconnected) has nothing left to start.
    for (const label of [...this.states.keys()]) {
      if (!definitions.some((definition) => definition.label === label)) {
        this.runs.get(label)?.abort.abort();
        this.states.delete(label);
        this.listeners.fire();
      }
    }
  }

  /**
   * VS Code is starting the server: through us, "MCP: List Servers" or autostart alike. That ends a
   * run for it (retrying would start it twice, or prompt again after a declined sign-in).
   */
  private resolved(label: string, started: boolean): void {
    if (!started) {
      this.log.warn(`The start of ${label} in VS Code's MCP client was cancelled or failed.`);
    } else if (this.states.get(label)?.status !== 'started') {
      this.log.info(`VS Code's MCP client is starting ${label}.`);
    }
    this.set(
      label,
      started
        ? { status: 'started' }
        : {
            status: 'notStarted',
            reason: 'declined',
            detail: `The start of ${label} in VS Code's MCP client was cancelled or failed (the message shown said why).`,
          },
    );
    this.runs.get(label)?.abort.abort();
  }

  /** What a run ends with: the label's state, unless a newer run replaced it. */
  private outcome(run: Run, label: string): McpClientState | undefined {
    const newer = this.runs.get(label) !== run && this.runs.has(label);
    return newer ? undefined : this.states.get(label);
  }

  private set(label: string, state: McpClientState): void {
    this.states.set(label, state);
    this.listeners.fire();
  }
}

/** Settles when the signal aborts; `dispose` stops listening. */
function whenAborted(signal: AbortSignal): { promise: Promise<void>; dispose(): void } {
  let wake = () => {};
  const promise = new Promise<void>((resolve) => (wake = resolve));
  if (signal.aborted) wake();
  else signal.addEventListener('abort', wake, { once: true });
  return { promise, dispose: () => signal.removeEventListener('abort', wake) };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  const abort = whenAborted(signal);
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    abort.promise,
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]).finally(() => {
    clearTimeout(timer);
    abort.dispose();
  });
}
