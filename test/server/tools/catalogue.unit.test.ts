import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue } from '../../../server/src/tools';

test('the catalogue has the tool names users of the seed samples know', () => {
  assert.deepEqual(
    catalogue.map((tool) => tool.name),
    [
      'hello_mcp',
      'save_snippet',
      'get_snippet',
      'list_snippets',
      'get_weather',
      'analyze_invoice',
      'GetServerMetadata',
      'GetSqlMetadata',
      'GetPatchingLevel',
      'GetSqlBpAssessment',
      'GetAnomalies',
    ],
  );
});
