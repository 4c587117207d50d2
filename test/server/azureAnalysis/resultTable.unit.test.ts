import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { markdownTable } from '../../../server/src/azureAnalysis/resultTable';

describe('markdownTable', () => {
  test('keeps every row on one line and every value in its cell', () => {
    const table = markdownTable(
      [
        { header: 'Name', value: (row: { name: string; note: string | null; ok: boolean }) => row.name },
        { header: 'Note', value: (row) => row.note },
        { header: 'OK', value: (row) => row.ok },
      ],
      [
        { name: 'a|b', note: 'line one\nline two', ok: true },
        { name: 'c', note: null, ok: false },
      ],
    );
    assert.equal(
      table,
      [
        '| Name | Note | OK |',
        '| --- | --- | --- |',
        '| a\\|b | line one line two | yes |',
        '| c | — | no |',
      ].join('\n'),
    );
  });
});
