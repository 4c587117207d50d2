import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SecretMasker } from '../../extension/common/log';
import { runCommand } from '../../extension/common/commandErrors';
import { CancelledError, UserFacingError } from '../../extension/common/errors';
import { readLocalServerSettings } from '../../extension/localServer/settings';
import { findServerProject } from '../../extension/localServer/serverProject';
import { chooseHost, probeFunc } from '../../extension/localServer/hostChoice';
import { localServerEnvironment } from '../../extension/localServer/storageEnvironment';
import { RecordingUi, recordingLog } from '../support/recordingUi';

const fakeFunc = path.resolve(__dirname, '../fakes/func/func');
const fakeOldFunc = path.resolve(__dirname, '../fakes/func/func-too-old');

describe('secret masking', () => {
  test('registered secrets and key-shaped values never reach a log line', () => {
    const masker = new SecretMasker();
    masker.add('s3cr3t-function-key-value');
    assert.equal(
      masker.mask('key s3cr3t-function-key-value used twice: s3cr3t-function-key-value'),
      'key *** used twice: ***',
    );
    assert.equal(
      masker.mask('GET /runtime/webhooks/mcp?code=abcDEF123&x=1'),
      'GET /runtime/webhooks/mcp?code=***&x=1',
    );
    assert.equal(
      masker.mask('headers {"x-functions-key":"abc123def456"}'),
      'headers {"x-functions-key":"***"}',
    );
    assert.equal(masker.mask('Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig-_'), 'Authorization: Bearer ***');
  });

  test('short values are not treated as secrets, so ordinary words survive', () => {
    const masker = new SecretMasker();
    masker.add('abc');
    assert.equal(masker.mask('abc is fine'), 'abc is fine');
  });
});

describe('settings', () => {
  const read = (values: Record<string, unknown>) => readLocalServerSettings((key) => values[key]);

  test('defaults', () => {
    assert.deepEqual(read({}), {
      port: 7071,
      host: 'auto',
      funcPath: 'func',
      startTimeoutMs: 90_000,
      azuriteBlobPort: 10000,
    });
  });

  test('a bad value names the setting and the rule', () => {
    assert.throws(
      () => read({ 'localServer.port': 70000 }),
      /remoteMcp\.localServer\.port is 70000; it must be a whole number from 1 to 65535/,
    );
    assert.throws(() => read({ 'localServer.port': '7071' }), /remoteMcp\.localServer\.port is "7071"/);
    assert.throws(
      () => read({ 'localServer.host': 'docker' }),
      /remoteMcp\.localServer\.host is "docker"; it must be "auto", "func" or "embedded"/,
    );
    assert.throws(() => read({ funcPath: 42 }), /remoteMcp\.funcPath must be a path/);
  });
});

describe('finding the server project', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-project-'));
  const bundled = path.join(scratch, 'bundled');
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };

  test('a workspace folder whose host.json configures extensions.mcp wins', () => {
    const folder = path.join(scratch, 'app');
    write(
      path.join(folder, 'host.json'),
      '// comment\n{"version":"2.0","extensions":{"mcp":{"serverName":"x"}}}',
    );
    write(
      path.join(folder, 'local.settings.json'),
      '{"Values":{"AzureWebJobsStorage":"UseDevelopmentStorage=true","N":1}}',
    );
    const project = findServerProject([path.join(scratch, 'empty'), folder], bundled);
    assert.equal(project.source, 'workspace');
    assert.equal(project.dir, folder);
    assert.equal(project.embeddedEntry, undefined);
    assert.deepEqual(project.localSettings, { AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
  });

  test("this repository's layout (the app in server/) is found too", () => {
    const folder = path.join(scratch, 'repo');
    write(path.join(folder, 'server/host.json'), '{"extensions":{"mcp":{}}}');
    write(path.join(folder, 'server/dist/embedded.js'), '');
    const project = findServerProject([folder], bundled);
    assert.equal(project.dir, path.join(folder, 'server'));
    assert.equal(project.embeddedEntry, path.join(folder, 'server/dist/embedded.js'));
  });

  test('host.json without extensions.mcp, or unreadable, does not count: the bundled server is used', () => {
    const folder = path.join(scratch, 'plain');
    write(path.join(folder, 'host.json'), '{"version":"2.0"}');
    const broken = path.join(scratch, 'broken');
    write(path.join(broken, 'host.json'), '{ not json');
    assert.equal(findServerProject([folder, broken], bundled).source, 'bundled');
    rmSync(scratch, { recursive: true, force: true });
  });
});

describe('choosing the host', () => {
  const openUrl = () => undefined;

  test('func --version of the real shape is read, old versions are told apart', async () => {
    assert.deepEqual(await probeFunc(fakeFunc), { status: 'supported', version: '4.0.7512' });
    assert.deepEqual(await probeFunc(fakeOldFunc), { status: 'too-old', version: '4.0.6821' });
    assert.deepEqual(await probeFunc('/nonexistent/func'), { status: 'missing' });
  });

  test('auto: func when supported, embedded otherwise, with a notice only when func is there but unusable', () => {
    assert.deepEqual(chooseHost('auto', { status: 'supported', version: '4.0.7512' }, openUrl), {
      host: 'func',
      version: '4.0.7512',
    });
    assert.deepEqual(chooseHost('auto', { status: 'missing' }, openUrl), { host: 'embedded' });
    const old = chooseHost('auto', { status: 'too-old', version: '4.0.6821' }, openUrl);
    assert.equal(old.host, 'embedded');
    assert.match(
      (old as { notice: string }).notice,
      /Core Tools 4\.0\.6821 is too old for MCP tools: 4\.0\.7030 or later is needed\. Using the embedded host instead\./,
    );
  });

  test('func: a too-old or missing func is refused with the version and the fix', () => {
    assert.throws(
      () => chooseHost('func', { status: 'too-old', version: '4.0.6821' }, openUrl),
      (error: unknown) =>
        error instanceof UserFacingError &&
        /4\.0\.6821 is too old.*4\.0\.7030 or later.*Update or install Azure Functions Core Tools/.test(
          error.message,
        ) &&
        error.actions.some((action) => action.title === 'Install Core Tools'),
    );
    assert.throws(() => chooseHost('func', { status: 'missing' }, openUrl), /func\) was not found/);
  });

  test('embedded never asks for func', () => {
    assert.deepEqual(chooseHost('embedded', undefined, openUrl), { host: 'embedded' });
  });
});

test('local runs get development storage on the configured Azurite port, unless the project says otherwise', () => {
  const project = { dir: '/p', source: 'bundled' as const, embeddedEntry: undefined, localSettings: {} };
  const env = localServerEnvironment({ PATH: '/bin' }, project, 10100);
  assert.match(env.AzureWebJobsStorage ?? '', /BlobEndpoint=http:\/\/127\.0\.0\.1:10100\/devstoreaccount1/);
  assert.equal(env.FUNCTIONS_WORKER_RUNTIME, 'node');
  const own = localServerEnvironment(
    {},
    { ...project, localSettings: { AzureWebJobsStorage: 'UseDevelopmentStorage=false;x' } },
    10000,
  );
  assert.equal(own.AzureWebJobsStorage, 'UseDevelopmentStorage=false;x');
});

describe('the command error wrapper', () => {
  const log = recordingLog();
  const showLogs = { title: 'Show Logs', run: () => undefined };

  test('a UserFacingError is shown as written, with its fix and Show Logs', async () => {
    const ui = new RecordingUi();
    let opened = 0;
    const fix = { title: 'Open Settings', run: () => opened++ };
    await runCommand(
      'x.cmd',
      () => Promise.reject(new UserFacingError('Port 1 is in use.', [fix])),
      ui,
      log,
      showLogs,
    );
    assert.deepEqual(ui.shown, [
      { severity: 'error', message: 'Port 1 is in use.', actions: ['Open Settings', 'Show Logs'] },
    ]);
    await ui.press('Open Settings');
    assert.equal(opened, 1);
  });

  test('cancellation is silent', async () => {
    const ui = new RecordingUi();
    assert.equal(
      await runCommand('x.cmd', () => Promise.reject(new CancelledError()), ui, log, showLogs),
      undefined,
    );
    assert.deepEqual(ui.shown, []);
  });

  test('an unexpected error is summarised for the user and logged in full', async () => {
    const ui = new RecordingUi();
    await runCommand('x.cmd', () => Promise.reject(new TypeError('boom')), ui, log, showLogs);
    assert.deepEqual(ui.shown, [
      { severity: 'error', message: 'x.cmd failed: boom', actions: ['Show Logs'] },
    ]);
    assert.match(log.lines.at(-1) ?? '', /^error: x\.cmd failed: TypeError: boom\n\s+at /);
  });

  test('a result is passed through', async () => {
    assert.equal(await runCommand('x.cmd', () => 42, new RecordingUi(), log, showLogs), 42);
  });
});
