// The MCP Servers view's menus (package.json `view/item/context`) against the one encoder of a row's
// contextValue (extension/statusView/rowContext.ts): a clause that names a flag no row carries, or
// compares in a form the encoder never produces, is a menu item that silently never shows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CommandId } from '../../../extension/commandIds';
import { encodeRowContext, everyRowContext, type RowContext } from '../../../extension/statusView/rowContext';

const root = path.resolve(__dirname, '../../..');

interface MenuItem {
  command: string;
  when: string;
  group?: string;
}

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, MenuItem[]> };
};
const itemMenus = manifest.contributes.menus['view/item/context'] ?? [];

/** A clause's test of the row: `viewItem == value` or `viewItem =~ /regex/`. */
type RowTest = { form: '=='; value: string } | { form: '=~'; regex: RegExp };

function rowTestOf(when: string): RowTest {
  const conditions = when.split('&&').map((part) => part.trim());
  const others = conditions.filter((condition) => !condition.startsWith('viewItem'));
  assert.deepEqual(others, ['view == remoteMcp.servers'], `${when}: only the view and the row are tested`);
  const rowConditions = conditions.filter((condition) => condition.startsWith('viewItem'));
  assert.equal(rowConditions.length, 1, `${when}: one test of viewItem`);
  const condition = rowConditions[0] ?? '';
  const equal = /^viewItem == ([\w.-]+)$/.exec(condition);
  if (equal) return { form: '==', value: equal[1] ?? '' };
  const matches = /^viewItem =~ \/(.+)\/$/.exec(condition);
  assert.ok(matches, `${when}: viewItem is compared with == or =~ /regex/ (no flags), nothing else`);
  return { form: '=~', regex: new RegExp(matches[1] ?? '') };
}

const encoded = everyRowContext().map(encodeRowContext);
/** Every word a contextValue can hold. */
const vocabulary = new Set(encoded.flatMap((value) => value.split(/[ .]/)));

function rowPasses(rowTest: RowTest, contextValue: string): boolean {
  return rowTest.form === '==' ? rowTest.value === contextValue : rowTest.regex.test(contextValue);
}

/** The commands the row's context menu (inline and ⋯) offers. */
function menuOf(row: RowContext): string[] {
  const contextValue = encodeRowContext(row);
  return [
    ...new Set(
      itemMenus.filter((item) => rowPasses(rowTestOf(item.when), contextValue)).map((item) => item.command),
    ),
  ].sort();
}

function assertMenu(row: RowContext, offered: readonly CommandId[], notOffered: readonly CommandId[]): void {
  const menu = menuOf(row);
  const missing = offered.filter((id) => !menu.includes(id));
  const extra = notOffered.filter((id) => menu.includes(id));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `the menu offers ${menu.join(', ')}`);
}

describe("the MCP Servers view's menus and the rows' contextValue", () => {
  test('every row menu names flags the encoder defines, in a form it produces', () => {
    assert.ok(itemMenus.length >= 20, `${itemMenus.length} row menu items`);
    for (const item of itemMenus) {
      const rowTest = rowTestOf(item.when);
      if (rowTest.form === '==') {
        assert.ok(encoded.includes(rowTest.value), `${item.command}: no row is ${rowTest.value}`);
        continue;
      }
      // The regex's own words, once its escapes (\b and the like) are taken out.
      const words = rowTest.regex.source.replace(/\\[bBdDwWsS]/g, ' ').match(/[A-Za-z][\w-]*/g) ?? [];
      const unknown = words.filter((word) => !vocabulary.has(word));
      assert.deepEqual(unknown, [], `${item.command} (${item.when}) names flags no row carries`);
      assert.ok(
        encoded.some((value) => rowTest.regex.test(value)),
        `${item.command}: ${item.when} matches no row`,
      );
    }
  });

  test('a connected Entra server: Disconnect, Add to mcp.json and Disable Entra, never Fetch Key or Enable Entra', () => {
    assertMenu(
      {
        row: 'remoteServer',
        connected: true,
        keyStored: false,
        auth: 'entra',
        fromAzd: true,
        gateway: 'none',
      },
      [CommandId.disconnect, CommandId.addToMcpJson, CommandId.disableEntraAuth, CommandId.redeploy],
      [CommandId.connect, CommandId.fetchKey, CommandId.forgetKey, CommandId.enableEntraAuth],
    );
  });

  test('a disconnected keyed server with a stored key, not from azd: Connect, Fetch and Forget Key, no Redeploy', () => {
    assertMenu(
      {
        row: 'remoteServer',
        connected: false,
        keyStored: true,
        auth: 'key',
        fromAzd: false,
        gateway: 'none',
      },
      [CommandId.connect, CommandId.fetchKey, CommandId.forgetKey, CommandId.enableEntraAuth],
      [CommandId.disconnect, CommandId.disableEntraAuth, CommandId.redeploy],
    );
  });

  test('an azd server with no gateway: Enable API Management, and no door to switch to', () => {
    assertMenu(
      { row: 'remoteServer', connected: true, keyStored: true, auth: 'key', fromAzd: true, gateway: 'none' },
      [CommandId.enableApiManagement],
      [CommandId.connectThroughGateway, CommandId.connectToAppEndpoint],
    );
    assertMenu(
      {
        row: 'remoteServer',
        connected: false,
        keyStored: false,
        auth: 'key',
        fromAzd: false,
        gateway: 'none',
      },
      [],
      [CommandId.enableApiManagement],
    );
  });

  test('connected through API Management: the app endpoint as the other door, no Disable Entra or Fetch Key', () => {
    assertMenu(
      {
        row: 'remoteServer',
        connected: true,
        keyStored: false,
        auth: 'entra',
        fromAzd: true,
        gateway: 'via',
      },
      [CommandId.disconnect, CommandId.connectToAppEndpoint, CommandId.checkSignIn],
      [
        CommandId.connectThroughGateway,
        CommandId.enableApiManagement,
        CommandId.disableEntraAuth,
        CommandId.fetchKey,
      ],
    );
  });

  test('connected to the app endpoint of a server with a gateway: Connect through API Management is offered', () => {
    assertMenu(
      { row: 'remoteServer', connected: true, keyStored: true, auth: 'key', fromAzd: true, gateway: 'app' },
      [CommandId.connectThroughGateway, CommandId.fetchKey],
      [CommandId.connectToAppEndpoint, CommandId.enableApiManagement],
    );
  });

  test('a gateway server not connected: Connect, and either door by name', () => {
    assertMenu(
      {
        row: 'remoteServer',
        connected: false,
        keyStored: false,
        auth: 'key',
        fromAzd: true,
        gateway: 'idle',
      },
      [CommandId.connect, CommandId.connectThroughGateway, CommandId.connectToAppEndpoint],
      [CommandId.disconnect, CommandId.enableApiManagement],
    );
  });

  test('the local server: Start when stopped, Stop and Copy MCP URL when running, Show Logs always', () => {
    assert.deepEqual(menuOf({ row: 'localServer', status: 'stopped' }), [
      CommandId.showLogs,
      CommandId.startLocalServer,
    ]);
    assert.deepEqual(menuOf({ row: 'localServer', status: 'running' }), [
      CommandId.showLogs,
      CommandId.copyMcpUrl,
      CommandId.stopLocalServer,
    ]);
    assert.deepEqual(menuOf({ row: 'localServer', status: 'starting' }), [CommandId.showLogs]);
  });

  test('group and sign-in rows have no menu', () => {
    assert.deepEqual(menuOf({ row: 'serverGroup' }), []);
    assert.deepEqual(menuOf({ row: 'signIn' }), []);
  });
});
