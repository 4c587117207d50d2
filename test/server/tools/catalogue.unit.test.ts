import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue } from '../../../server/src/tools';
import { serverToolNames } from '../../support/serverToolNames';

test('the catalogue has the tool names users of the seed samples know', () => {
  assert.deepEqual(
    catalogue.map((tool) => tool.name),
    [...serverToolNames],
  );
});
