// The one error wrapper around every command (extension/common/commandErrors.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from '../../../extension/common/commandErrors';
import { CancelledError, UserFacingError } from '../../../extension/common/errors';
import { RecordingUi, recordingLog } from '../../support/recordingUi';

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
