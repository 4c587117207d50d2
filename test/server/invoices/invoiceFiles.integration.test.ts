// analyze_invoice refuses bad input before anything reaches Content Understanding: arguments,
// paths that would leave the data folder, links, empty, oversize and mislabelled files, and a data
// folder that is missing or empty.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { INVOICE_MAX_BYTES } from '../../../server/src/invoices/invoiceFiles';
import {
  analyze,
  contoso,
  expectError,
  fabrikam,
  fake,
  samplesDir,
  scratch,
  textOf,
  useFakeContentUnderstanding,
} from './analyzeInvoiceHarness';

useFakeContentUnderstanding();

describe('analyze_invoice: bad input never reaches the service', () => {
  // A data folder of its own, with the awkward files the table needs.
  const dataDir = path.join(scratch, 'data');
  before(() => {
    mkdirSync(path.join(dataDir, 'invoices'), { recursive: true });
    copyFileSync(path.join(samplesDir, contoso.fileName), path.join(dataDir, contoso.fileName));
    writeFileSync(path.join(dataDir, 'invoices/empty.pdf'), '');
    writeFileSync(path.join(dataDir, 'invoices/notes.txt'), 'not an invoice');
    writeFileSync(path.join(dataDir, 'invoices/fake.pdf'), 'plain text pretending to be a PDF');
    copyFileSync(path.join(samplesDir, fabrikam.fileName), path.join(dataDir, 'invoices/picture.pdf'));
    // Sparse: one byte over the limit without writing 20 MiB.
    writeFileSync(path.join(dataDir, 'invoices/huge.pdf'), '%PDF-1.7\n');
    truncateSync(path.join(dataDir, 'invoices/huge.pdf'), INVOICE_MAX_BYTES + 1);
    writeFileSync(path.join(scratch, 'secret.pdf'), '%PDF-1.7 outside the data folder');
    symlinkSync(path.join(scratch, 'secret.pdf'), path.join(dataDir, 'invoices/link.pdf'));
  });

  // Links are not listed: only regular files inside the folder are offered.
  const available =
    'Files you can analyze (fileName, relative to the data folder): "invoices/contoso-INV-2026-0042.pdf", "invoices/empty.pdf", "invoices/fake.pdf", "invoices/huge.pdf", "invoices/picture.pdf".';
  const cases: [what: string, args: unknown, expected: RegExp | string][] = [
    ['no fileName', {}, /^Invalid arguments for analyze_invoice: fileName is required \(a string\)\.$/],
    [
      'an empty fileName',
      { fileName: ' ' },
      /^Invalid arguments for analyze_invoice: fileName must not be empty\.$/,
    ],
    ['fileName as a number', { fileName: 42 }, /fileName must be a string, not a number/],
    [
      '"../x"',
      { fileName: '../secret.pdf' },
      /fileName must not contain "\.\." \(it would leave the data folder\); use a path inside the data folder such as "invoices\/contoso-INV-2026-0042\.pdf"/,
    ],
    ['".." inside the path', { fileName: 'invoices/../../secret.pdf' }, /fileName must not contain "\.\."/],
    ['an absolute path', { fileName: '/etc/passwd' }, /fileName must not be an absolute path/],
    [
      'a Windows absolute path',
      { fileName: 'C:\\Windows\\win.ini' },
      /fileName must not be an absolute path/,
    ],
    ['backslashes', { fileName: 'invoices\\x.pdf' }, /fileName must separate folders with "\/", not "\\"/],
    [
      'a control character',
      { fileName: 'in\u0000voice.pdf' },
      /fileName must not contain control characters/,
    ],
    ['an empty step', { fileName: 'invoices//x.pdf' }, /fileName must not contain empty or "\." steps/],
    [
      'a sub-folder escape through invoiceId',
      { invoiceId: '..', fileName: 'secret.pdf' },
      /invoiceId must not contain "\.\." .* such as "invoices"/,
    ],
    [
      'an absolute invoiceId',
      { invoiceId: '/tmp', fileName: 'secret.pdf' },
      /invoiceId must not be an absolute path/,
    ],
    [
      'an unknown field',
      { fileName: contoso.fileName, pages: '1-2' },
      /arguments has unknown field "pages"; remove it/,
    ],
    [
      'an unsupported contentType',
      { fileName: contoso.fileName, contentType: 'text/plain' },
      /contentType must be one of application\/pdf, image\/jpeg, image\/png, image\/tiff, image\/bmp, image\/heif/,
    ],
    [
      'a malformed analyzerId',
      { fileName: contoso.fileName, analyzerId: 'prebuilt invoice' },
      /analyzerId must be 1-64 letters, digits, "\.", "_" or "-"/,
    ],
    [
      'a file that is not there',
      { fileName: 'invoices/missing.pdf' },
      `No file "invoices/missing.pdf" in the invoice data folder. ${available}`,
    ],
    [
      'a file that is not in the sub-folder',
      { invoiceId: 'invoices', fileName: 'missing.pdf' },
      `No file "missing.pdf" in sub-folder "invoices" in the invoice data folder. ${available}`,
    ],
    ['a folder', { fileName: 'invoices' }, `"invoices" is a folder, not a file. ${available}`],
    [
      'a link leading outside the data folder',
      { fileName: 'invoices/link.pdf' },
      '"invoices/link.pdf" leads outside the invoice data folder (through a link); it cannot be read.',
    ],
    [
      'an empty file',
      { fileName: 'invoices/empty.pdf' },
      '"invoices/empty.pdf" is empty; there is nothing to analyze.',
    ],
    [
      'an oversize file',
      { fileName: 'invoices/huge.pdf' },
      '"invoices/huge.pdf" is 20 MiB; analyze_invoice sends files of at most 20 MiB. Split the document or reduce its resolution.',
    ],
    [
      'a file type it cannot tell',
      { fileName: 'invoices/notes.txt' },
      /^Cannot tell what kind of file "invoices\/notes\.txt" is from its name\. Pass contentType, one of application\/pdf,/,
    ],
    [
      'text named .pdf',
      { fileName: 'invoices/fake.pdf' },
      /^"invoices\/fake\.pdf" is not a PDF or any other file analyze_invoice reads \(PDF, JPEG, PNG, TIFF, BMP or HEIF\); its content does not match its name\.$/,
    ],
    [
      'a PNG named .pdf',
      { fileName: 'invoices/picture.pdf' },
      '"invoices/picture.pdf" is a PNG image despite its name. Pass contentType "image/png".',
    ],
    [
      'a contentType that contradicts the content',
      { fileName: contoso.fileName, contentType: 'image/png' },
      '"invoices/contoso-INV-2026-0042.pdf" is a PDF, but contentType says image/png. Pass contentType "application/pdf", or leave it out.',
    ],
  ];
  for (const [what, args, expected] of cases) {
    test(`refuses ${what}`, async () => {
      const text = await expectError(args, { dataDir }, ...(typeof expected === 'string' ? [] : [expected]));
      if (typeof expected === 'string') assert.equal(text, expected);
      assert.deepEqual(fake.requests, [], 'nothing was sent to Content Understanding');
      assert.doesNotMatch(
        text,
        new RegExp(scratch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
        'no server path is revealed',
      );
    });
  }

  test('a PNG named .pdf is analyzed when the caller says what it is', async () => {
    const result = await analyze({ fileName: 'invoices/picture.pdf', contentType: 'image/png' }, { dataDir });
    assert.equal(result.isError, undefined, textOf(result));
    assert.equal(fake.requests[0]?.contentType, 'image/png');
    assert.equal(
      (result.structuredContent as { invoiceNumber: string }).invoiceNumber,
      fabrikam.invoiceNumber,
    );
  });

  test('a data folder that does not exist names INVOICE_DATA_DIR', async () => {
    await expectError(
      { fileName: contoso.fileName },
      { dataDir: path.join(scratch, 'nowhere') },
      /^The invoice data folder does not exist on the server\. Set INVOICE_DATA_DIR/,
    );
  });

  test('an empty data folder says how to fill it', async () => {
    const empty = path.join(scratch, 'empty-data');
    mkdirSync(empty);
    await expectError(
      { fileName: 'x.pdf' },
      { dataDir: empty },
      /^No file "x\.pdf" in the invoice data folder\. The folder holds no PDF or image files; add invoices to it/,
    );
  });
});
