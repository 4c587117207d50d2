// Which `func` the local server accepts: the extension's host choice and `npm start --func` both ask these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isSupportedCoreToolsVersion,
  minimumCoreToolsVersion,
  parseCoreToolsVersion,
} from '../../shared/coreTools';

test('the version is read from what func --version prints, build metadata and all', () => {
  assert.equal(parseCoreToolsVersion('4.0.7030\n'), '4.0.7030');
  assert.equal(parseCoreToolsVersion('4.0.7317+b4e8c1d2'), '4.0.7317');
  assert.equal(parseCoreToolsVersion('Core Tools Version: 4.1.0 (64-bit)'), '4.1.0');
});

test('output without a three-part version reads as no version', () => {
  assert.equal(parseCoreToolsVersion(''), undefined);
  assert.equal(parseCoreToolsVersion('func: command failed'), undefined);
  assert.equal(parseCoreToolsVersion('4.0'), undefined);
});

test('the minimum and anything later is supported; anything earlier is too old', () => {
  assert.equal(isSupportedCoreToolsVersion(minimumCoreToolsVersion), true);
  assert.equal(isSupportedCoreToolsVersion('4.0.7031'), true);
  assert.equal(isSupportedCoreToolsVersion('4.1.0'), true);
  assert.equal(isSupportedCoreToolsVersion('5.0.0'), true);
  assert.equal(isSupportedCoreToolsVersion('4.0.7029'), false);
  assert.equal(isSupportedCoreToolsVersion('4.0.6999'), false);
  assert.equal(isSupportedCoreToolsVersion('3.9.9999'), false);
});

test('parts compare as numbers, not text', () => {
  // "4.0.10000" sorts before "4.0.7030" as text.
  assert.equal(isSupportedCoreToolsVersion('4.0.10000'), true);
  assert.equal(isSupportedCoreToolsVersion('4.0.700'), false);
});
