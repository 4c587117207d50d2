// startProcess with real processes: its output, and stopping a process together with what it
// started (func's language workers, the tools azd runs), whether they obey SIGTERM or not, and
// when the extension host exits without stopping it.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProcess, type ManagedProcess } from '../../../extension/common/processes';
import { recordingLog } from '../../support/recordingUi';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-processes-'));
/** Every grandchild seen, killed at the end whatever the tests found, so a failure leaves none behind. */
const grandchildren: number[] = [];
after(() => {
  for (const pid of grandchildren) if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

const ignoreSigterm = "process.on('SIGTERM', () => console.log('ignoring SIGTERM'));";

/** A Node script that starts a Node grandchild, prints "grandchild <pid>" once both listen, and waits. */
function treeScript(options: { parentIgnoresSigterm: boolean; grandchildIgnoresSigterm: boolean }): string {
  // The grandchild says "ready" once its handler is in place, so a SIGTERM cannot come before it;
  // its handler stays silent, since writing to a parent that is gone would end it with EPIPE.
  const grandchild = [
    options.grandchildIgnoresSigterm ? "process.on('SIGTERM', () => undefined);" : '',
    "console.log('ready');",
    'setInterval(() => {}, 1000);',
  ].join(' ');
  const file = path.join(
    scratch,
    `tree-${String(options.parentIgnoresSigterm)}-${String(options.grandchildIgnoresSigterm)}.js`,
  );
  writeFileSync(
    file,
    [
      "const { spawn } = require('node:child_process');",
      options.parentIgnoresSigterm ? ignoreSigterm : '',
      `const grandchild = spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: ['ignore', 'pipe', 'ignore'] });`,
      "grandchild.stdout.once('data', () => console.log('grandchild ' + grandchild.pid));",
      'setInterval(() => {}, 1000);',
    ].join('\n'),
  );
  return file;
}

function startTree(options: { parentIgnoresSigterm: boolean; grandchildIgnoresSigterm: boolean }) {
  const log = recordingLog();
  const child = startProcess({
    name: 'tree',
    command: process.execPath,
    args: [treeScript(options)],
    env: process.env,
    log,
  });
  return { child, log, grandchild: grandchildPid(child) };
}

function grandchildPid(child: ManagedProcess): Promise<number> {
  return new Promise((resolve) =>
    child.onLine((line) => {
      const pid = /^grandchild (\d+)$/.exec(line)?.[1];
      if (!pid) return;
      grandchildren.push(Number(pid));
      resolve(Number(pid));
    }),
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ESRCH');
    return false;
  }
}

/** A killed process is gone once its new parent has reaped it, which takes a moment. */
async function assertGone(pid: number, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    assert.fail(`${what} (pid ${pid}) outlived stop()`);
  }
}

describe('startProcess', () => {
  test('stdout lines are logged as info, stderr lines as warnings, both kept as recent output', async () => {
    const log = recordingLog();
    const child = startProcess({
      name: 'talker',
      command: process.execPath,
      args: ['-e', "console.log('to stdout'); console.error('to stderr'); process.exitCode = 3;"],
      env: process.env,
      log,
    });
    const lines: string[] = [];
    child.onLine((line) => lines.push(line));
    assert.deepEqual(await child.exited, { code: 3, signal: null });
    assert.deepEqual([...log.lines].sort(), ['info: [talker] to stdout', 'warn: [talker] to stderr']);
    assert.deepEqual([...child.recentOutput].sort(), ['to stderr', 'to stdout']);
    assert.deepEqual([...lines].sort(), ['to stderr', 'to stdout']);
  });

  test('a command that does not exist exits with -1 and logs why', async () => {
    const log = recordingLog();
    const child = startProcess({
      name: 'ghost',
      command: path.join(scratch, 'no-such-cli'),
      args: [],
      env: process.env,
      log,
    });
    assert.deepEqual(await child.exited, { code: -1, signal: null });
    assert.match(log.lines.join('\n'), /^error: ghost could not be started: .*ENOENT/m);
    assert.deepEqual(await child.stop(), { code: -1, signal: null });
  });
});

describe('stop() stops the process and everything it started', () => {
  test('SIGTERM reaches the grandchild too', async () => {
    const { child, grandchild } = startTree({ parentIgnoresSigterm: false, grandchildIgnoresSigterm: false });
    const pid = await grandchild;
    assert.ok(isAlive(pid));
    const started = Date.now();
    assert.deepEqual(await child.stop(5000), { code: null, signal: 'SIGTERM' });
    await assertGone(pid, 'the grandchild');
    assert.ok(Date.now() - started < 4000, 'no wait for the grace period when everything obeys SIGTERM');
  });

  test('a tree that ignores SIGTERM is killed when the grace period ends', async () => {
    const { child, grandchild, log } = startTree({
      parentIgnoresSigterm: true,
      grandchildIgnoresSigterm: true,
    });
    const pid = await grandchild;
    const started = Date.now();
    assert.deepEqual(await child.stop(300), { code: null, signal: 'SIGKILL' });
    assert.ok(Date.now() - started >= 300, 'SIGTERM first, SIGKILL only after the grace period');
    assert.match(log.lines.join('\n'), /info: \[tree\] ignoring SIGTERM/);
    await assertGone(pid, 'the grandchild');
  });

  test('a grandchild that ignores SIGTERM after its parent obeyed it is killed when the grace period ends', async () => {
    const { child, grandchild } = startTree({ parentIgnoresSigterm: false, grandchildIgnoresSigterm: true });
    const pid = await grandchild;
    const started = Date.now();
    assert.deepEqual(await child.stop(300), { code: null, signal: 'SIGTERM' });
    const elapsed = Date.now() - started;
    await assertGone(pid, 'the grandchild');
    assert.ok(elapsed >= 300, 'the grandchild had the grace period to finish');
  });

  test('kill() (VS Code shutting down) sends SIGTERM to the grandchild too', async () => {
    const { child, grandchild } = startTree({ parentIgnoresSigterm: false, grandchildIgnoresSigterm: false });
    const pid = await grandchild;
    child.kill();
    assert.deepEqual(await child.exited, { code: null, signal: 'SIGTERM' });
    await assertGone(pid, 'the grandchild');
  });

  test('when the extension host exits without stopping it, the tree goes with it', async () => {
    // A host process of its own that starts a tree through startProcess and exits at once.
    const host = path.join(scratch, 'host.ts');
    writeFileSync(
      host,
      [
        `import { startProcess } from ${JSON.stringify(path.resolve(__dirname, '../../../extension/common/processes'))};`,
        'const noLog = () => undefined;',
        'const child = startProcess({',
        "  name: 'tree',",
        `  command: process.execPath, args: [${JSON.stringify(treeScript({ parentIgnoresSigterm: false, grandchildIgnoresSigterm: false }))}],`,
        '  env: process.env,',
        '  log: { trace: noLog, debug: noLog, info: noLog, warn: noLog, error: noLog },',
        '});',
        'child.onLine((line) => { console.log(line); process.exit(0); });',
      ].join('\n'),
    );
    const hostProcess = spawn(process.execPath, ['--import', 'tsx', host], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    hostProcess.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise((resolve) => hostProcess.once('exit', resolve));
    assert.equal(code, 0);
    const pid = Number(/^grandchild (\d+)$/m.exec(output)?.[1]);
    grandchildren.push(pid);
    assert.ok(pid > 0, `the host printed the grandchild's pid: ${output}`);
    await assertGone(pid, 'the grandchild of an exited host');
  });
});
