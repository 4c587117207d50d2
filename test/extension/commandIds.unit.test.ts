// CommandId (extension/commandIds.ts) against package.json, both ways, and against what the built
// extension registers: a command renamed on one side only is caught here, not by a dead menu item.
// Run `node esbuild.mjs` first (npm test builds the bundle).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CommandId, internalCommandIds } from '../../extension/commandIds';
import { loadExtensionWithFakeVscode, type LoadedExtension } from '../support/fakeVscode';

const root = path.resolve(__dirname, '../..');

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string }[]>;
    viewsWelcome: { contents: string }[];
  };
}

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
/** A manifest string with its `%key%` looked up in package.nls.json. */
const localized = (text: string) => text.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? text);
const contributed = manifest.contributes.commands.map((command) => command.command);
const ids: string[] = Object.values(CommandId);

describe('CommandId and package.json', () => {
  let loaded: LoadedExtension;
  before(async () => {
    loaded = await loadExtensionWithFakeVscode(path.join(root, 'dist/extension.js'), { extensionPath: root });
  });
  after(() => loaded?.dispose());

  test('every contributed command is in CommandId', () => {
    const missing = contributed.filter((id) => !ids.includes(id));
    assert.deepEqual(missing, [], `contributed but not in CommandId: ${missing.join(', ')}`);
  });

  test('every CommandId is contributed, or listed as internal', () => {
    const stray = ids.filter(
      (id) => !contributed.includes(id) && !internalCommandIds.includes(id as CommandId),
    );
    assert.deepEqual(stray, [], `in CommandId but neither contributed nor internal: ${stray.join(', ')}`);
    const internalButContributed = internalCommandIds.filter((id) => contributed.includes(id));
    assert.deepEqual(internalButContributed, [], 'an internal command is not contributed');
  });

  test('every CommandId is registered by the extension, and nothing else', () => {
    assert.deepEqual([...loaded.registeredCommands].sort(), [...ids].sort());
  });

  test("menus and the welcome view's links name only our commands", () => {
    const inMenus = Object.values(manifest.contributes.menus).flatMap((items) =>
      items.map((item) => item.command),
    );
    const inLinks = manifest.contributes.viewsWelcome.flatMap((welcome) =>
      [...localized(welcome.contents).matchAll(/\(command:([\w.]+)\)/g)].map((match) => match[1] ?? ''),
    );
    assert.ok(inLinks.length > 0, 'the welcome view links to commands');
    const unknown = [...inMenus, ...inLinks].filter((id) => !ids.includes(id));
    assert.deepEqual(unknown, [], `not in CommandId: ${unknown.join(', ')}`);
  });
});
