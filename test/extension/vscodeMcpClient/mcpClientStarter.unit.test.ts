// Starting our servers in VS Code's MCP client (extension/vscodeMcpClient/): against a stand-in for
// VS Code 1.139's MCP client that reads definitions when the provider announces a change, lists
// them only after its 500 ms throttle (here shorter), ignores a start for an id it does not list,
// and calls the provider's resolve when it starts a server (in https://github.com/microsoft/vscode:
// src/vs/workbench/contrib/mcp/common/mcpService.ts, src/vs/workbench/contrib/mcp/browser/mcpCommands.ts
// StartServer, src/vs/workbench/api/common/extHostMcp.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from '../../../extension/common/commandErrors';
import { Listeners } from '../../../extension/common/listeners';
import type { LocalServerManager } from '../../../extension/localServer/localServerManager';
import { localServerCommands } from '../../../extension/localServer/localServerCommands';
import { mcpClientCommands } from '../../../extension/vscodeMcpClient/mcpClientCommands';
import {
  McpClientStarter,
  mcpServerIds,
  type DefinitionEvents,
  type HandedDefinition,
  type McpClientState,
} from '../../../extension/vscodeMcpClient/mcpClientStarter';
import { runningLocalServer } from '../../support/localServerStates';
import { RecordingUi, recordingLog } from '../../support/recordingUi';

const extensionId = 'Remote-MCP.remote-mcp-functions';
const local = 'Local MCP server';
const localId = 'remote-mcp.remote-mcp-functions/Local MCP server';
const timings = { listedWithinMs: 200, settleMs: 20, retryDelayMs: 10, maxRetryDelayMs: 40, limitMs: 300 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The provider's announcements and a stand-in for VS Code's MCP client behind its commands. */
class FakeVsCode implements DefinitionEvents {
  readonly executed: { at: number; args: unknown[] }[] = [];
  readonly resolvedLabels: string[] = [];
  readonly providedAt: number[] = [];
  /** VS Code's servers: id -> label, once its throttle has passed. */
  private listed = new Map<string, string>();
  private readonly running = new Set<string>();
  private readonly provideListeners = new Listeners<readonly HandedDefinition[]>();
  private readonly resolveListeners = new Listeners<{ label: string; started: boolean }>();

  constructor(
    private readonly options: {
      throttleMs?: number;
      hasCommand?: boolean;
      failWith?: string;
      /** What the provider's resolve answers (false: a dismissed sign-in, a server not answering). */
      resolveStarts?: boolean;
    } = {},
  ) {}

  onDidProvide(listener: (definitions: readonly HandedDefinition[]) => void) {
    return this.provideListeners.add(listener);
  }

  onDidResolve(listener: (label: string, started: boolean) => void) {
    return this.resolveListeners.add(({ label, started }) => listener(label, started));
  }

  /** The provider fired onDidChangeMcpServerDefinitions; VS Code reads the definitions at once. */
  provide(definitions: HandedDefinition[]): void {
    this.providedAt.push(Date.now());
    this.provideListeners.fire(definitions);
    const ids = mcpServerIds(
      extensionId,
      definitions.map((d) => d.label),
    );
    const throttle = this.options.throttleMs ?? 50;
    if (Number.isFinite(throttle)) {
      setTimeout(() => {
        this.listed = new Map(ids.map((id, i) => [id, definitions[i]!.label]));
        // A changed definition stops the running server (updateCollectedServers).
        this.running.clear();
      }, throttle);
    }
  }

  /** VS Code starts a server by some other way (MCP: List Servers, autostart). */
  startElsewhere(label: string, started = true): void {
    this.resolvedLabels.push(label);
    this.resolveListeners.fire({ label, started });
  }

  readonly commands = {
    has: (command: string) =>
      Promise.resolve(this.options.hasCommand !== false || command !== 'workbench.mcp.startServer'),
    execute: async (command: string, ...args: unknown[]): Promise<unknown> => {
      this.executed.push({ at: Date.now(), args: [command, ...args] });
      await sleep(1);
      if (this.options.failWith) throw new Error(this.options.failWith);
      if (command !== 'workbench.mcp.startServer') return undefined;
      const label = this.listed.get(args[0] as string);
      if (!label || this.running.has(label)) return undefined;
      this.startElsewhere(label, this.options.resolveStarts !== false);
      this.running.add(label);
      return undefined;
    },
  };
}

function setUp(options: ConstructorParameters<typeof FakeVsCode>[0] = {}) {
  const vscode = new FakeVsCode(options);
  const log = recordingLog();
  const starter = new McpClientStarter(extensionId, vscode, vscode.commands, log, timings);
  const seen: string[] = [];
  starter.onDidChange(() => seen.push(starter.state(local)?.status ?? 'none'));
  return { vscode, log, starter, seen };
}

describe("starting our server in VS Code's MCP client", () => {
  test('only our server is started, by its id, once VS Code has read its new definition', async () => {
    const { vscode, starter, seen, log } = setUp();
    vscode.provide([{ label: 'func-a (Azure)' }, { label: local, version: '1' }]);
    await sleep(80);
    // Start Local Server again: a new version, announced a moment after the start was asked for.
    const started = starter.start(local, '2');
    await sleep(30);
    assert.deepEqual(vscode.executed, [], 'nothing is started before VS Code has the new definition');
    vscode.provide([{ label: 'func-a (Azure)' }, { label: local, version: '2' }]);
    const state = await started;

    assert.deepEqual(state, { status: 'started' });
    assert.ok(vscode.executed.length >= 1);
    for (const { at, args } of vscode.executed) {
      assert.deepEqual(args, ['workbench.mcp.startServer', localId]);
      // Timers run on libuv's millisecond loop clock, which may trail Date.now() by up to 1 ms.
      assert.ok(
        at >= vscode.providedAt[1]! + timings.settleMs - 1,
        'after VS Code read it and its throttle passed',
      );
    }
    assert.deepEqual(
      vscode.resolvedLabels,
      [local],
      'the remote server and everything else stay as they were',
    );
    assert.deepEqual(seen, ['starting', 'started']);
    assert.deepEqual(log.lines, ["info: VS Code's MCP client is starting Local MCP server."]);
  });

  test('VS Code never lists it: a bounded number of requests, then the view row and a log line', async () => {
    const { vscode, starter, log } = setUp({ throttleMs: Infinity });
    vscode.provide([{ label: local, version: '1' }]);
    const began = Date.now();
    const state = await starter.start(local, '1');
    const took = Date.now() - began;

    assert.equal(state?.status, 'notStarted');
    assert.equal(state?.status === 'notStarted' && state.reason, 'notListed');
    assert.equal(starter.state(local), state, 'what the view shows');
    assert.ok(took >= timings.limitMs - 60 && took < timings.limitMs + 150, `gave up after ${took} ms`);
    const requests = vscode.executed.length;
    assert.ok(requests >= 3 && requests <= 20, `${requests} start requests`);
    assert.ok(
      vscode.executed.every(({ args }) => args[1] === localId),
      'never "*"',
    );
    assert.deepEqual(log.lines, [
      `warn: VS Code's MCP client did not list Local MCP server within 0.3 s (${requests} start requests), so it was not started. The MCP Servers view offers "Start in VS Code's MCP client".`,
    ]);
    await sleep(100);
    assert.equal(vscode.executed.length, requests, 'no request after giving up');
  });

  test('VS Code never reads the definition: no start request at all', async () => {
    const { vscode, starter } = setUp();
    const state = await starter.start(local, '1');
    assert.deepEqual(state, {
      status: 'notStarted',
      reason: 'notListed',
      detail:
        "VS Code did not ask for Local MCP server's definition within 0.2 s, so it was not started in its MCP client.",
    });
    assert.deepEqual(vscode.executed, []);
  });

  test('a VS Code without the start command: the row and a log line; its click opens MCP: List Servers', async () => {
    const { vscode, starter, log } = setUp({ hasCommand: false });
    vscode.provide([{ label: local, version: '1' }]);
    const state = await starter.start(local, '1');
    assert.equal(state?.status === 'notStarted' && state.reason, 'noCommand');
    assert.deepEqual(vscode.executed, []);
    assert.match(
      log.lines.join('\n'),
      /^warn: This VS Code has no workbench\.mcp\.startServer command, so Local MCP server was not started in its MCP client\. Start it from "MCP: List Servers"/,
    );

    const click = mcpClientCommands(starter, vscode.commands)['remoteMcp.startInMcpClient'];
    assert.equal((await click(local))?.status, 'notStarted');
    assert.deepEqual(
      vscode.executed.map(({ args }) => args),
      [['workbench.mcp.listServer']],
    );
  });

  test('the command fails: no retry, the row says so, the log has the message', async () => {
    const { vscode, starter, log } = setUp({ failWith: 'Unknown server id' });
    vscode.provide([{ label: local, version: '1' }]);
    const state = await starter.start(local, '1');
    assert.deepEqual(state, {
      status: 'notStarted',
      reason: 'failed',
      detail: "VS Code's workbench.mcp.startServer failed for Local MCP server: Unknown server id",
    });
    assert.equal(vscode.executed.length, 1);
    assert.equal(log.lines.length, 1);
    assert.match(log.lines[0] ?? '', /^warn: .*Unknown server id/);
  });

  test('the row clears once VS Code starts the server some other way; a declined start shows it again', async () => {
    const { vscode, starter } = setUp({ hasCommand: false });
    vscode.provide([{ label: local, version: '1' }]);
    await starter.start(local, '1');
    vscode.startElsewhere(local);
    assert.deepEqual(starter.state(local), { status: 'started' });
    vscode.startElsewhere(local, false);
    const state = starter.state(local);
    assert.equal(state?.status === 'notStarted' && state.reason, 'declined');
  });

  test('a start that VS Code runs but the provider declines (sign-in dismissed) is not retried', async () => {
    const { vscode, starter } = setUp({ resolveStarts: false });
    vscode.provide([{ label: local, version: '1' }]);
    const state = await starter.start(local, '1');
    assert.equal(state?.status === 'notStarted' && state.reason, 'declined');
    assert.equal(vscode.resolvedLabels.length, 1);
    await sleep(60);
    assert.equal(vscode.resolvedLabels.length, 1, 'no second prompt');
  });

  test('a server stopped while it was being started: nothing left to start or show', async () => {
    const { vscode, starter } = setUp({ throttleMs: Infinity });
    vscode.provide([{ label: local, version: '1' }]);
    const started = starter.start(local, '1');
    await sleep(40);
    vscode.provide([]);
    assert.equal(await started, undefined);
    assert.equal(starter.state(local), undefined);
    const requests = vscode.executed.length;
    await sleep(60);
    assert.equal(vscode.executed.length, requests);
  });

  test('a newer start of the same server replaces one under way', async () => {
    const { vscode, starter } = setUp();
    const first = starter.start(local, '1');
    const second = starter.start(local, '2');
    vscode.provide([{ label: local, version: '2' }]);
    assert.equal(await first, undefined);
    assert.deepEqual(await second, { status: 'started' });
    assert.deepEqual(vscode.resolvedLabels, [local]);
  });

  test("VS Code's ids: the extension id in lower case, then the label; repeated labels numbered", () => {
    assert.deepEqual(mcpServerIds('Pub.Ext', ['a (Azure)', 'a (Azure)', 'b', 'a (Azure)']), [
      'pub.ext/a (Azure)',
      'pub.ext/a (Azure)2',
      'pub.ext/b',
      'pub.ext/a (Azure)3',
    ]);
  });
});

describe('Start Local Server with the MCP client start', () => {
  const running = runningLocalServer({ version: '7.1700000000000' });

  const manager = {
    state: { status: 'stopped' },
    start: () => Promise.resolve(running),
  } as unknown as LocalServerManager;

  test('returns as soon as the server runs, and asks for our server at its new version', async () => {
    const asked: [string, string | undefined][] = [];
    let finish: (state: McpClientState) => void = () => undefined;
    const ui = new RecordingUi();
    const commands = localServerCommands(manager, ui, {
      start: (label, version) => {
        asked.push([label, version]);
        return new Promise((resolve) => (finish = resolve));
      },
    });
    const state = await commands['remoteMcp.startLocalServer']();
    assert.equal(state.status, 'running', 'not held up by the MCP client start');
    assert.deepEqual(asked, [[local, '7.1700000000000']]);
    finish({ status: 'started' });
  });

  test('VS Code cannot start it: no dialog, only the view row and the log', async () => {
    const { vscode, starter, log } = setUp({ hasCommand: false });
    const ui = new RecordingUi();
    const commands = localServerCommands(manager, ui, starter);
    const state = await runCommand(
      'remoteMcp.startLocalServer',
      () => commands['remoteMcp.startLocalServer'](),
      ui,
      log,
      { title: 'Show Logs', run: () => undefined },
    );
    vscode.provide([{ label: local, version: running.version }]);
    assert.equal(state?.status, 'running');
    await sleep(20);
    assert.equal(starter.state(local)?.status, 'notStarted');
    assert.deepEqual(ui.shown, []);
    assert.equal(log.lines.filter((line) => line.startsWith('warn:')).length, 1);
  });
});
