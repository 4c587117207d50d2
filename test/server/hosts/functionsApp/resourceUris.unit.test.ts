// Resource URIs and templates, checked and matched as the Functions MCP extension's
// ResourceUriHelper.cs does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  extractTemplateValues,
  resourceUriMatcher,
  templateParameterNames,
  validateResourceUri,
} from '../../../../server/src/hosts/functionsApp/resourceUris';

test('validation accepts absolute URIs and templates, and words each rejection as the extension does', () => {
  assert.equal(validateResourceUri('ui://weather/view.html'), undefined);
  assert.equal(validateResourceUri('snippet://{name}'), undefined);
  assert.equal(validateResourceUri('relative/path'), "Invalid resource URI format: 'relative/path'");
  assert.equal(
    validateResourceUri('x://{a}{b}'),
    'Resource URI template expressions must be separated by at least one literal character or delimiter.',
  );
  assert.equal(
    validateResourceUri('x://a/{'),
    'Resource URI contains malformed template syntax (unmatched or empty braces).',
  );
  assert.equal(
    validateResourceUri('x://{a b}'),
    "Resource URI template parameter 'a b' contains invalid characters.",
  );
  assert.equal(validateResourceUri('  '), 'Resource URI cannot be null or whitespace.');
});

test('templates match one path segment per parameter, query parameters up to & or #, ignoring case', () => {
  const names = templateParameterNames('files://{folder}/{file}?v={version}');
  assert.deepEqual(names, ['folder', 'file', 'version']);
  const matcher = resourceUriMatcher('files://{folder}/{file}?v={version}');
  assert.deepEqual(extractTemplateValues(matcher, names, 'FILES://docs/a.txt?v=2'), {
    folder: 'docs',
    file: 'a.txt',
    version: '2',
  });
  assert.equal(extractTemplateValues(matcher, names, 'files://docs/sub/a.txt?v=2'), undefined);
});
