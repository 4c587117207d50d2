// The sample invoices in server/data are generated (npm run samples:invoices) and committed; these
// tests keep the committed files and the generator in step, and check that the files are what their
// names say, so the Content Understanding fake's answers describe what the documents show.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodePng, renderInvoiceBitmap } from '../../../../server/dev/sampleInvoices/invoiceImage';
import { renderInvoicePdf } from '../../../../server/dev/sampleInvoices/invoicePdf';
import { formatDate, formatMoney } from '../../../../server/dev/sampleInvoices/invoiceLayout';
import { sampleInvoices, sampleTotals } from '../../../../server/dev/sampleInvoices/sampleInvoices';

const dataDir = path.resolve(__dirname, '../../../../server/data');
const regenerate = 'run `npm run samples:invoices` and commit the result';

describe('the committed sample invoices', () => {
  test('there is a PDF and an image among them', () => {
    assert.deepEqual(sampleInvoices.map((invoice) => invoice.format).sort(), ['pdf', 'png']);
  });

  for (const invoice of sampleInvoices.filter((sample) => sample.format === 'pdf')) {
    test(`${invoice.fileName} is a complete PDF, byte for byte what the generator makes`, async () => {
      const committed = readFileSync(path.join(dataDir, invoice.fileName));
      assert.equal(committed.subarray(0, 8).toString('latin1'), '%PDF-1.7');
      assert.match(committed.subarray(-32).toString('latin1'), /startxref\s+\d+\s+%%EOF\s*$/);
      assert.ok(
        Buffer.from(await renderInvoicePdf(invoice)).equals(committed),
        `${invoice.fileName} differs from the generator's output; ${regenerate}`,
      );
    });
  }

  for (const invoice of sampleInvoices.filter((sample) => sample.format === 'png')) {
    test(`${invoice.fileName} is a US Letter page at 150 dpi, pixel for pixel what the generator draws`, async () => {
      const committed = readFileSync(path.join(dataDir, invoice.fileName));
      assert.deepEqual([...committed.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      // IHDR is the first chunk: width and height are its first two big-endian words.
      assert.equal(committed.subarray(12, 16).toString('latin1'), 'IHDR');
      assert.deepEqual([committed.readUInt32BE(16), committed.readUInt32BE(20)], [1275, 1650]);
      // Pixels, not bytes: zlib builds may compress the same pixels differently.
      const decoded = await decodePng(committed);
      const drawn = renderInvoiceBitmap(invoice);
      assert.deepEqual([decoded.width, decoded.height], [drawn.width, drawn.height]);
      assert.ok(
        Buffer.from(decoded.data).equals(Buffer.from(drawn.data)),
        `${invoice.fileName} differs from what the generator draws; ${regenerate}`,
      );
    });
  }

  test('the totals add up in cents, as the documents print them', () => {
    const [contoso, fabrikam] = sampleInvoices;
    assert.ok(contoso && fabrikam);
    assert.deepEqual(sampleTotals(contoso), {
      lineAmounts: [90, 49, 378],
      subtotal: 517,
      tax: 51.7,
      total: 568.7,
    });
    assert.deepEqual(sampleTotals(fabrikam), {
      lineAmounts: [510, 640],
      subtotal: 1150,
      tax: 218.5,
      total: 1368.5,
    });
    assert.equal(formatMoney(1368.5, 'EUR'), '€1,368.50');
    assert.equal(formatMoney(4.5, 'USD'), '$4.50');
    assert.equal(formatDate('2026-11-02'), 'November 2, 2026');
  });
});
