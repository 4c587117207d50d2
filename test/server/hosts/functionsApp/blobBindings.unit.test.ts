// Blob binding paths and values as the Functions host treats them for a Node function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blobBytes, resolveBlobPath } from '../../../../server/src/hosts/functionsApp/blobBindings';

const data = new Map<string, unknown>([
  ['mcptoolargs', { snippetname: 'hello', Snippet: 'x' }],
  ['mcpsessionid', 's1'],
]);

test('path expressions read the binding data ignoring case, and app settings between % signs', () => {
  assert.equal(resolveBlobPath('snippets/{mcptoolargs.snippetname}.json', data, {}), 'snippets/hello.json');
  assert.equal(resolveBlobPath('{McpToolArgs.SNIPPET}/{mcpsessionid}', data, {}), 'x/s1');
  assert.equal(
    resolveBlobPath('%CONTAINER%/{mcptoolargs.snippetname}', data, { CONTAINER: 'code' }),
    'code/hello',
  );
  assert.match(resolveBlobPath('tmp/{rand-guid}', data, {}), /^tmp\/[0-9a-f-]{36}$/);
  assert.throws(
    () => resolveBlobPath('s/{mcptoolargs.other}', data, {}),
    /Error while accessing 'other': property doesn't exist\./,
  );
  assert.throws(() => resolveBlobPath('s/{nothing}', data, {}), /No value for named parameter 'nothing'/);
});

test('output values become blob bytes as FunctionBinding.ConvertValueToStream writes them', () => {
  assert.equal(Buffer.from(blobBytes({ string: 'print("hi")' })!).toString(), 'print("hi")');
  assert.equal(Buffer.from(blobBytes({ json: '{"a": 1}' })!).toString(), '{"a":1}');
  assert.deepEqual([...blobBytes({ bytes: Buffer.from([1, 2]) })!], [1, 2]);
  assert.deepEqual([...blobBytes({ int: 1 })!], [1, 0, 0, 0]);
  assert.equal(blobBytes({ json: 'null' }), undefined);
});
