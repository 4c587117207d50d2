import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BlobServiceClient } from '@azure/storage-blob';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { callTool } from '../../../server/src/toolkit/callTool';
import type { ServerTool, ToolDependencies } from '../../../server/src/toolDependencies';
import { snippetStoreFromEnv, SNIPPET_MAX_BYTES } from '../../../server/src/snippets/storageConnection';
import { saveSnippet } from '../../../server/src/tools/saveSnippet';
import { getSnippet } from '../../../server/src/tools/getSnippet';
import { listSnippets } from '../../../server/src/tools/listSnippets';
import { testDependencies } from '../../support/testDependencies';
import { nestedArrays } from '../../support/nesting';
import { devAccountKey, freePort, startAzurite, type RunningAzurite } from '../../support/azurite';

let azurite: RunningAzurite;
let deps: ToolDependencies;
let logged: string[];

function depsFor(connectionString: string): { deps: ToolDependencies; logged: string[] } {
  const lines: string[] = [];
  const log = {
    warn: (m: string) => lines.push(`warn: ${m}`),
    error: (m: string) => lines.push(`error: ${m}`),
  };
  const snippets = snippetStoreFromEnv({ AzureWebJobsStorage: connectionString }, log);
  return { deps: testDependencies({ snippets, log }), logged: lines };
}

function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

async function ok(tool: ServerTool, args: unknown): Promise<CallToolResult> {
  const result = await callTool(tool, args, deps);
  assert.notEqual(result.isError, true, `${tool.name} failed: ${text(result)}`);
  return result;
}

async function save(name: string, snippet: string): Promise<CallToolResult> {
  return ok(saveSnippet, { snippetname: name, snippet });
}

async function get(name: string): Promise<string> {
  return text(await ok(getSnippet, { snippetname: name }));
}

interface Listed {
  snippets: { name: string; sizeBytes: number; lastModified: string }[];
  truncated: boolean;
}

async function list(args: Record<string, unknown>): Promise<Listed & { text: string }> {
  const result = await ok(listSnippets, args);
  return { ...(result.structuredContent as unknown as Listed), text: text(result) };
}

before(async () => {
  const started = Date.now();
  azurite = await startAzurite();
  console.log(`# Azurite started in ${Date.now() - started} ms at ${azurite.blobEndpoint}`);
  ({ deps, logged } = depsFor(azurite.connectionString));
});

after(async () => {
  await azurite?.close();
});

describe('snippets round-trip through Azurite', () => {
  const cases: [string, string][] = [
    ['ascii', 'console.log("hello");'],
    ['unicode', 'Grüße, 世界! Emoji: 🚀👩‍💻 and a combining é.'],
    ['multi-line', 'line one\nline two\r\n\ttabbed line\n\n'],
    ['at-the-limit', 'x'.repeat(SNIPPET_MAX_BYTES - 4) + '🚀'],
  ];
  for (const [name, content] of cases) {
    test(`save then get: ${name}`, async () => {
      const bytes = Buffer.byteLength(content, 'utf8');
      const saved = await save(name, content);
      assert.equal(text(saved), `Saved snippet "${name}" (${bytes} bytes).`);
      assert.deepEqual(saved.structuredContent, { name, sizeBytes: bytes });
      const got = await callTool(getSnippet, { snippetname: name }, deps);
      assert.equal(text(got), content);
      assert.deepEqual(got.structuredContent, { name, snippet: content });
    });
  }

  test('the content at the limit is exactly 256 KiB', () => {
    assert.equal(Buffer.byteLength(cases[3]![1], 'utf8'), 256 * 1024);
  });

  test('saving again overwrites', async () => {
    await save('overwrite-me', 'first version, rather long');
    await save('overwrite-me', 'second');
    assert.equal(await get('overwrite-me'), 'second');
    const listed = await list({ prefix: 'overwrite-me' });
    assert.deepEqual(
      listed.snippets.map((s) => [s.name, s.sizeBytes]),
      [['overwrite-me', 6]],
    );
  });

  test('the blob is <name>.json in container "snippets", as UTF-8 text', async () => {
    const content = 'stored where the seed sample stored it: ✓';
    await save('compat.check', content);
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const blob = service.getContainerClient('snippets').getBlobClient('compat.check.json');
    const properties = await blob.getProperties();
    assert.equal(properties.contentType, 'text/plain; charset=utf-8');
    assert.equal((await blob.downloadToBuffer()).toString('utf8'), content);
  });

  test('a snippet written directly as <name>.json (as the seed sample did) is readable', async () => {
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const body = 'written by the blob output binding';
    await service.getContainerClient('snippets').getBlockBlobClient('legacy.json').upload(body, body.length);
    assert.equal(await get('legacy'), body);
  });

  test('get of a missing snippet is an error naming it and the way out', async () => {
    const result = await callTool(getSnippet, { snippetname: 'never-saved' }, deps);
    assert.equal(result.isError, true);
    assert.equal(text(result), 'No snippet named "never-saved". Use list_snippets to see the saved ones.');
  });
});

describe('list_snippets', () => {
  before(async () => {
    for (const name of ['lst-a1', 'lst-a2', 'lst-a3', 'lst-b1']) await save(name, `content of ${name}`);
  });

  test('with a prefix lists only the matching names, in name order', async () => {
    const listed = await list({ prefix: 'lst-a' });
    assert.deepEqual(
      listed.snippets.map((s) => s.name),
      ['lst-a1', 'lst-a2', 'lst-a3'],
    );
    assert.equal(listed.truncated, false);
    assert.equal(listed.snippets[0]!.sizeBytes, Buffer.byteLength('content of lst-a1'));
    assert.ok(!Number.isNaN(Date.parse(listed.snippets[0]!.lastModified)));
    assert.match(listed.text, /^3 snippets starting with "lst-a":\n- lst-a1 \(17 bytes, saved \d{4}-/);
  });

  test('without a prefix lists everything, .json suffix removed', async () => {
    const listed = await list({});
    const names = listed.snippets.map((s) => s.name);
    for (const name of ['ascii', 'lst-a1', 'lst-b1', 'legacy', 'compat.check'])
      assert.ok(names.includes(name), name);
    assert.ok(names.every((n) => !n.endsWith('.json')));
    assert.equal(listed.truncated, false);
  });

  test('a limit cuts the list and says so', async () => {
    const listed = await list({ prefix: 'lst-', limit: 2 });
    assert.deepEqual(
      listed.snippets.map((s) => s.name),
      ['lst-a1', 'lst-a2'],
    );
    assert.equal(listed.truncated, true);
    assert.match(listed.text, /There are more/);
  });

  test('a limit equal to the count is not truncated', async () => {
    const listed = await list({ prefix: 'lst-', limit: 4 });
    assert.equal(listed.snippets.length, 4);
    assert.equal(listed.truncated, false);
  });

  test('a prefix nothing matches says so', async () => {
    const listed = await list({ prefix: 'zzz' });
    assert.deepEqual(listed, { snippets: [], truncated: false, text: 'No snippets starting with "zzz".' });
  });
});

test('200 concurrent saves of distinct names all read back identical', async () => {
  const names = Array.from({ length: 200 }, (_, i) => `bulk-${String(i).padStart(3, '0')}`);
  const contentOf = (name: string) => `snippet ${name} ✓\n${'-'.repeat(name.length * 7)}`;
  const started = Date.now();
  const saved = await Promise.all(
    names.map((name) => callTool(saveSnippet, { snippetname: name, snippet: contentOf(name) }, deps)),
  );
  const read = await Promise.all(names.map((name) => callTool(getSnippet, { snippetname: name }, deps)));
  console.log(`# 200 saves + 200 gets in ${Date.now() - started} ms`);
  saved.forEach((result, i) => assert.notEqual(result.isError, true, `${names[i]}: ${text(result)}`));
  read.forEach((result, i) => assert.equal(text(result), contentOf(names[i]!)));
  const listed = await list({ prefix: 'bulk-', limit: 1000 });
  assert.deepEqual(
    listed.snippets.map((s) => s.name),
    names,
  );
});

describe('bad input is refused with the field and the rule, before storage is touched', () => {
  const nameRules: [string, unknown, RegExp][] = [
    ['missing', undefined, /snippetname is required \(a string\)/],
    ['a number', 42, /snippetname must be a string, not a number/],
    ['empty', '', /snippetname must not be empty/],
    ['65 characters', 'a'.repeat(65), /snippetname must be at most 64 characters/],
    ['"../x"', '../x', /snippetname may contain only ASCII letters.*no slashes/],
    ['"a/b"', 'a/b', /snippetname may contain only ASCII letters.*no slashes/],
    ['"a\\b"', 'a\\b', /snippetname may contain only ASCII letters/],
    ['".."', '..', /snippetname must start with a letter or digit.*snippetname must not contain "\.\."/],
    ['"a..b"', 'a..b', /snippetname must not contain "\.\."/],
    ['".hidden"', '.hidden', /snippetname must start with a letter or digit/],
    ['"name with space"', 'name with space', /snippetname may contain only .*no slashes, spaces/],
    ['"snïppet"', 'snïppet', /snippetname may contain only ASCII letters/],
    ['"名前"', '名前', /snippetname may contain only ASCII letters/],
  ];
  const oversize = 'é'.repeat(SNIPPET_MAX_BYTES / 2) + 'x';
  const contentRules: [string, unknown, RegExp][] = [
    ['missing', undefined, /snippet is required \(a string\)/],
    ['an object', { text: 'x' }, /snippet must be a string, not an object/],
    ['empty', '', /snippet must not be empty/],
    [
      '256 KiB + 1 byte of multibyte text',
      oversize,
      /snippet must be at most 256 KiB \(262144 bytes\) in UTF-8; this one is 262145 bytes/,
    ],
    // JSON's "\ud800" escape without its pair: a string UTF-8 cannot hold, which must not become U+FFFD.
    [
      'with a lone high surrogate',
      'ab\ud800cd',
      /^Invalid arguments for save_snippet: snippet contains a lone surrogate \(U\+D800\) at character offset 2, which UTF-8 cannot store; send well-formed Unicode text\.$/,
    ],
    [
      'with a lone low surrogate after a pair',
      '🚀\udc00',
      /^Invalid arguments for save_snippet: snippet contains a lone surrogate \(U\+DC00\) at character offset 2, which UTF-8 cannot store; send well-formed Unicode text\.$/,
    ],
  ];

  const cases: [ServerTool, string, Record<string, unknown>, RegExp][] = [
    ...nameRules.map(([label, value, rule]): [ServerTool, string, Record<string, unknown>, RegExp] => [
      saveSnippet,
      `snippetname ${label}`,
      { snippetname: value, snippet: 'x' },
      rule,
    ]),
    ...nameRules.map(([label, value, rule]): [ServerTool, string, Record<string, unknown>, RegExp] => [
      getSnippet,
      `snippetname ${label}`,
      { snippetname: value },
      rule,
    ]),
    ...contentRules.map(([label, value, rule]): [ServerTool, string, Record<string, unknown>, RegExp] => [
      saveSnippet,
      `snippet ${label}`,
      { snippetname: 'ok', snippet: value },
      rule,
    ]),
    [
      saveSnippet,
      'an unknown extra field',
      { snippetname: 'ok', snippet: 'x', tags: [] },
      /arguments has unknown field "tags"; remove it/,
    ],
    [
      getSnippet,
      'an unknown extra field',
      { snippetname: 'ok', version: 2 },
      /arguments has unknown field "version"; remove it/,
    ],
    [
      listSnippets,
      'an unknown extra field',
      { prefix: 'a', max: 3 },
      /arguments has unknown field "max"; remove it/,
    ],
    [
      saveSnippet,
      'arguments nested 65 levels deep',
      { snippetname: 'ok', snippet: 'x', nested: nestedArrays(64) },
      /^Invalid arguments for save_snippet: arguments are nested deeper than 64 levels; flatten them\.$/,
    ],
    [listSnippets, 'limit 0', { limit: 0 }, /limit must be at least 1/],
    [listSnippets, 'limit 1001', { limit: 1001 }, /limit must be at most 1000/],
    [listSnippets, 'limit 2.5', { limit: 2.5 }, /limit must be an integer, not a decimal number/],
    [listSnippets, 'limit as a string', { limit: '10' }, /limit must be a number, not a string/],
    [listSnippets, 'prefix a number', { prefix: 7 }, /prefix must be a string, not a number/],
    [listSnippets, 'prefix "a/b"', { prefix: 'a/b' }, /prefix may contain only ASCII letters/],
    [listSnippets, 'prefix "名"', { prefix: '名' }, /prefix may contain only ASCII letters/],
    [
      listSnippets,
      'prefix of 65 characters',
      { prefix: 'a'.repeat(65) },
      /prefix must be at most 64 characters/,
    ],
  ];

  for (const [tool, label, args, rule] of cases) {
    test(`${tool.name}: ${label}`, async () => {
      const result = await callTool(tool, args, deps);
      assert.equal(result.isError, true);
      const message = text(result);
      assert.match(message, new RegExp(`^Invalid arguments for ${tool.name}: `));
      assert.match(message, rule);
      assert.doesNotMatch(message, /\n\s+at |\.ts:\d+/, 'no stack trace');
    });
  }

  test('nothing was written by the refused saves', async () => {
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const names: string[] = [];
    for await (const blob of service.getContainerClient('snippets').listBlobsFlat()) names.push(blob.name);
    assert.ok(!names.includes('ok.json'));
    assert.ok(names.every((n) => !n.includes('/') && !n.includes('..')));
  });
});

test('unreachable storage is an error naming the endpoint and the fix, without secrets', async () => {
  const port = await freePort();
  const unreachable = depsFor(
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${devAccountKey};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
  );
  for (const [tool, args] of [
    [saveSnippet, { snippetname: 'x', snippet: 'y' }],
    [getSnippet, { snippetname: 'x' }],
    [listSnippets, {}],
  ] as const) {
    const started = Date.now();
    const result = await callTool(tool, args, unreachable.deps);
    assert.equal(result.isError, true);
    assert.equal(
      text(result),
      `Snippet storage at 127.0.0.1:${port} is not reachable (ECONNREFUSED). Start Azurite (npm start does) or set AzureWebJobsStorage.`,
    );
    assert.ok(Date.now() - started < 10_000, `${tool.name} gave up after ${Date.now() - started} ms`);
  }
  assert.ok(unreachable.logged.length > 0, 'the operator log has the underlying error');
  assert.ok(unreachable.logged.every((line) => !line.includes(devAccountKey)));
});

test('a cancelled call is an error result, and the store keeps working', async () => {
  const controller = new AbortController();
  controller.abort();
  const result = await callTool(
    saveSnippet,
    { snippetname: 'cancelled', snippet: 'x' },
    deps,
    controller.signal,
  );
  assert.equal(result.isError, true);
  assert.equal(text(result), 'The snippet storage request was cancelled.');
  await save('after-cancel', 'still fine');
  assert.equal(await get('after-cancel'), 'still fine');
});

test('no storage call logged anything on the happy path', () => {
  assert.deepEqual(logged, []);
});

// Last: it deletes the container the other tests use.
test('a container deleted behind its back is created again', async () => {
  const own = depsFor(azurite.connectionString);
  assert.notEqual(
    (await callTool(saveSnippet, { snippetname: 'before', snippet: 'x' }, own.deps)).isError,
    true,
  );
  await BlobServiceClient.fromConnectionString(azurite.connectionString)
    .getContainerClient('snippets')
    .delete();

  const lost = await callTool(saveSnippet, { snippetname: 'after', snippet: 'y' }, own.deps);
  assert.equal(lost.isError, true);
  assert.match(text(lost), /lost its container \(ContainerNotFound\).*Try again/);
  const retried = await callTool(saveSnippet, { snippetname: 'after', snippet: 'y' }, own.deps);
  assert.notEqual(retried.isError, true, text(retried));
  assert.equal(text(await callTool(getSnippet, { snippetname: 'after' }, own.deps)), 'y');

  await BlobServiceClient.fromConnectionString(azurite.connectionString)
    .getContainerClient('snippets')
    .delete();
  const missing = await callTool(getSnippet, { snippetname: 'after' }, own.deps);
  assert.match(text(missing), /^No snippet named "after"/);
  assert.notEqual(
    (await callTool(saveSnippet, { snippetname: 'again', snippet: 'z' }, own.deps)).isError,
    true,
  );
});
