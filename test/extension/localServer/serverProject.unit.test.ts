// Which project the local server runs (extension/localServer/serverProject.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findServerProject } from '../../../extension/localServer/serverProject';

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
