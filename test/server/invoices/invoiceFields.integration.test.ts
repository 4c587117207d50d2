// How analyze_invoice reads the fields Content Understanding returns (server/src/invoices/
// invoiceFields.ts): both money shapes, partial results, and fields of the wrong type or shape.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyze,
  contoso,
  expectError,
  expectedStructure,
  fake,
  textOf,
  useFakeContentUnderstanding,
} from './analyzeInvoiceHarness';

useFakeContentUnderstanding();

describe('analyze_invoice: the fields Content Understanding returns', () => {
  test('amounts as Document Intelligence-style currency values read the same', async () => {
    fake.setMoneyShape('currency');
    const result = await analyze({ fileName: contoso.fileName });
    assert.deepEqual(result.structuredContent, expectedStructure(contoso, 'application/pdf'));
  });

  test('partial results: what was found is reported, the rest says "not found"', async () => {
    fake.setBehaviour({
      kind: 'result',
      result: {
        contents: [
          { fields: { InvoiceId: { type: 'string', valueString: 'X-1' }, DueDate: { type: 'date' } } },
        ],
      },
    });
    const result = await analyze({ fileName: contoso.fileName });
    assert.equal(
      textOf(result),
      [
        'Invoice X-1 (vendor not found), read from invoices/contoso-INV-2026-0042.pdf with prebuilt-invoice.',
        'Invoice date: not found',
        'Due date: not found',
        'Line items: none found',
        'Subtotal: not found',
        'Tax: not found',
        'Total: not found',
      ].join('\n'),
    );
    assert.deepEqual(result.structuredContent, {
      fileName: contoso.fileName,
      contentType: 'application/pdf',
      analyzerId: 'prebuilt-invoice',
      vendor: null,
      invoiceNumber: 'X-1',
      invoiceDate: null,
      dueDate: null,
      subtotal: null,
      tax: null,
      total: null,
      lineItems: [],
    });
  });

  const wrongFields: [what: string, setup: () => void, expected: RegExp][] = [
    [
      'a field of the wrong type',
      () =>
        fake.setBehaviour({
          kind: 'result',
          result: { contents: [{ fields: { InvoiceDate: { type: 'number', valueNumber: 20261102 } } }] },
        }),
      /^Content Understanding returned InvoiceDate as a field of type "number" where a date was expected/,
    ],
    [
      'a line item of the wrong shape',
      () =>
        fake.setBehaviour({
          kind: 'result',
          result: {
            contents: [
              {
                fields: {
                  LineItems: {
                    type: 'array',
                    valueArray: [
                      { type: 'object', valueObject: { Quantity: { type: 'string', valueString: 'two' } } },
                    ],
                  },
                },
              },
            ],
          },
        }),
      /returned LineItems\[0\]\.Quantity as a field of type "string" where a number was expected/,
    ],
    [
      'no invoice fields at all',
      () =>
        fake.setBehaviour({
          kind: 'result',
          result: { contents: [{ fields: { Summary: { type: 'string', valueString: 'A letter.' } } }] },
        }),
      /^Content Understanding found no invoice fields in "invoices\/contoso-INV-2026-0042\.pdf" with analyzer "prebuilt-invoice"\. Check that it is an invoice/,
    ],
  ];
  for (const [what, setup, expected] of wrongFields) {
    test(`${what}: a clear error, no crash`, async () => {
      setup();
      await expectError({ fileName: contoso.fileName }, {}, expected);
    });
  }
});
