// func or the embedded host (extension/localServer/hostChoice.ts), with the fake func of test/fakes/func.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { UserFacingError } from '../../../extension/common/errors';
import { chooseHost, probeFunc } from '../../../extension/localServer/hostChoice';

const fakeFunc = path.resolve(__dirname, '../../fakes/func/func');
const fakeOldFunc = path.resolve(__dirname, '../../fakes/func/func-too-old');

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
