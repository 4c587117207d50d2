// analyze_invoice as MCP clients and the Functions host see it: its arguments and their schema.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { functionsToolProperties, inputJsonSchema } from '../../../server/src/toolkit/schemas';
import { analyzeInvoice } from '../../../server/src/tools/analyzeInvoice';
import { invoiceContentTypes } from '../../../server/src/invoices/invoiceFiles';

describe('analyze_invoice: the tool as MCP clients see it', () => {
  test('four string arguments, fileName required; the Functions host declares the same', () => {
    const schema = inputJsonSchema(analyzeInvoice);
    assert.deepEqual(Object.keys(schema.properties), ['fileName', 'invoiceId', 'contentType', 'analyzerId']);
    assert.deepEqual(schema.required, ['fileName']);
    assert.equal(schema.additionalProperties, false);
    // Every type the tool reads is published, the samples' among them.
    assert.deepEqual(schema.properties.contentType?.enum, [...invoiceContentTypes]);
    assert.ok(invoiceContentTypes.includes('application/pdf') && invoiceContentTypes.includes('image/png'));
    const properties = functionsToolProperties(analyzeInvoice);
    assert.deepEqual(
      properties.map(({ propertyName, propertyType, isRequired, isArray }) => [
        propertyName,
        propertyType,
        isRequired,
        isArray,
      ]),
      [
        ['fileName', 'string', true, false],
        ['invoiceId', 'string', false, false],
        ['contentType', 'string', false, false],
        ['analyzerId', 'string', false, false],
      ],
    );
    for (const property of properties)
      assert.ok(property.description, `${property.propertyName} is described`);
  });
});
