// Resource URIs as the Functions MCP extension matches them. The cases follow the extension's own tests
// (Azure/azure-functions-mcp-extension: test/Extensions.Mcp.Tests/ResourceUriHelperTests.cs,
// DefaultResourceRegistryTests.cs), so both hosts find the same resource for the same URI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findResource,
  isAcceptableResourceUri,
  isUriTemplate,
  readResourceText,
} from '../../../server/src/toolkit/resource';
import { templateParameterNames } from '../../../server/src/toolkit/resourceUris';
import { recordingLogger } from '../../support/testDependencies';

const at = (uri: string) => ({ uri });

test('a URI is a template when it holds a {name} expression; empty braces are not one', () => {
  assert.equal(isUriTemplate('test://users/{userId}/posts/{postId}'), true);
  assert.equal(isUriTemplate('test://users/123/posts/456'), false);
  assert.equal(isUriTemplate('test://resource/{}'), false);
  assert.deepEqual(templateParameterNames('test://users/{user-id}/posts/{post.id}'), ['user-id', 'post.id']);
});

const matches: [template: string, uri: string, params: Record<string, string> | undefined][] = [
  ['test://resource/{id}', 'test://resource/abc', { id: 'abc' }],
  ['test://resource/{id}', 'TEST://RESOURCE/123', { id: '123' }],
  ['test://resource/{id}', 'test://other/123', undefined],
  [
    'test://users/{userId}/posts/{postId}',
    'test://users/john/posts/hello-world',
    { userId: 'john', postId: 'hello-world' },
  ],
  ['test://users/{userId}/posts/{postId}', 'test://users/123', undefined],
  ['test://items/{id}', 'test://items/123/extra', undefined],
  ['test://resource.name/{id}?query=true', 'test://resourceXname/123?query=true', undefined],
  ['test://resource.name/{id}?query=true', 'test://resource.name/123?query=true', { id: '123' }],
  ['test://search?q={query}&lang={lang}', 'test://search?q=hello&lang=en', { query: 'hello', lang: 'en' }],
  [
    'test://items/{category}items{tag}',
    'test://items/booksitemsfiction',
    { category: 'books', tag: 'fiction' },
  ],
  ['test://u/{user-id}', 'test://u/7', { 'user-id': '7' }],
  ['snippet://{name}', 'snippet://..', { name: '..' }],
  ['snippet://{name}', 'snippet://a/../b', undefined],
];

for (const [template, uri, params] of matches) {
  test(`${template} ${params ? 'matches' : 'does not match'} ${uri}`, () => {
    const found = findResource([at(template)], uri);
    assert.deepEqual(found && found.params, params);
  });
}

test('a fixed URI wins over a template and is compared without regard to case', () => {
  const fixed = at('ui://weather/view.html');
  const template = at('ui://weather/{page}');
  assert.equal(findResource([template, fixed], 'UI://Weather/View.HTML')?.resource, fixed);
  assert.deepEqual(findResource([template, fixed], 'ui://weather/other.html')?.params, {
    page: 'other.html',
  });
});

test('the extension refuses URIs without a scheme, with stray braces, or blank', () => {
  for (const uri of ['not a uri', 'relative/path', '', '   ', 'test://resource/{', 'test://resource/{}']) {
    assert.equal(isAcceptableResourceUri(uri), false, uri);
  }
  for (const uri of [
    'snippet://x',
    'ui://weather/view.html',
    'snippet://{name}',
    'file:///tmp/a',
    'snippet://',
  ]) {
    assert.equal(isAcceptableResourceUri(uri), true, uri);
  }
});

test('a failed read is logged with its reason and rethrown without it', async () => {
  const log = recordingLogger();
  const failing = {
    ...at('snippet://{name}'),
    name: 'snippet',
    title: 'Snippet',
    description: 'd',
    mimeType: 'text/plain',
    read: () => Promise.reject(new Error('No snippet named "x".')),
  };
  await assert.rejects(readResourceText(failing, { uri: 'snippet://x', params: { name: 'x' } }, { log }), {
    name: 'ResourceReadError',
    message: 'Reading the resource snippet://x failed.',
  });
  assert.deepEqual(log.lines, ['warn: Reading the resource snippet://x failed: No snippet named "x".']);
});
