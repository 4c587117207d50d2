import { z } from 'zod';
import { ToolError } from '../toolkit/tool';
import { defineTool } from '../toolDependencies';
import { analyzeDocument } from '../invoices/contentUnderstanding';
import {
  dataPathSchema,
  INVOICE_MAX_BYTES,
  invoiceContentTypes,
  readInvoiceFile,
} from '../invoices/invoiceFiles';
import { invoiceFromFields, type ExtractedInvoice, type Money } from '../invoices/invoiceFields';
import { analyzerIdPattern } from '../invoices/invoiceSettings';

const name = 'analyze_invoice';
const description =
  'Extracts the vendor, invoice number, invoice and due dates, subtotal, tax, total and line items from an ' +
  "invoice (PDF or image) in the server's data folder, using Azure AI Content Understanding. " +
  'Asked for a file that is not there, it lists the files that are.';

const input = z.strictObject({
  fileName: dataPathSchema('file').describe(
    'Path of the invoice inside the data folder, with "/" between folders, for example ' +
      `"invoices/contoso-INV-2026-0042.pdf". PDF, JPEG, PNG, TIFF, BMP or HEIF, at most ${INVOICE_MAX_BYTES / 1024 / 1024} MiB.`,
  ),
  invoiceId: dataPathSchema('folder')
    .optional()
    .describe(
      'Optional sub-folder of the data folder holding the file, for example "invoices"; fileName is then relative to it.',
    ),
  contentType: z
    .enum(invoiceContentTypes, { error: `must be one of ${invoiceContentTypes.join(', ')}` })
    .optional()
    .describe('Optional media type of the file; by default it follows from the file name.'),
  analyzerId: z
    .string()
    .regex(analyzerIdPattern, {
      error: 'must be 1-64 letters, digits, ".", "_" or "-", such as "prebuilt-invoice"',
    })
    .optional()
    .describe(
      'Optional Content Understanding analyzer to use instead of the configured one (by default "prebuilt-invoice").',
    ),
});

export const analyzeInvoice = defineTool({
  name,
  description,
  input,
  async run({ fileName, invoiceId, contentType, analyzerId }, deps, signal) {
    const settings = deps.invoices;
    // The file is checked first: a wrong name is the caller's to fix, whatever the server's settings.
    const file = await readInvoiceFile(settings.dataDir, { fileName, invoiceId, contentType });
    if ('problem' in settings.service) throw new ToolError(settings.service.problem);
    const analyzer = analyzerId ?? settings.service.analyzerId;
    const label = `"${file.relativePath}"`;
    const fields = await analyzeDocument(
      settings.service,
      { analyzerId: analyzer, contentType: file.contentType, bytes: file.bytes, label },
      deps.log,
      signal,
    );
    const invoice = invoiceFromFields(fields, analyzer, label);
    return {
      text: summary(invoice, file.relativePath, analyzer),
      structured: {
        fileName: file.relativePath,
        contentType: file.contentType,
        analyzerId: analyzer,
        ...invoice,
      },
    };
  },
});

function summary(invoice: ExtractedInvoice, fileName: string, analyzerId: string): string {
  const title = [
    'Invoice',
    invoice.invoiceNumber ?? '(number not found)',
    invoice.vendor ? `from ${invoice.vendor}` : '(vendor not found)',
  ].join(' ');
  const lines = [
    `${title}, read from ${fileName} with ${analyzerId}.`,
    `Invoice date: ${invoice.invoiceDate ?? 'not found'}`,
    `Due date: ${invoice.dueDate ?? 'not found'}`,
  ];
  if (invoice.lineItems.length === 0) {
    lines.push('Line items: none found');
  } else {
    lines.push('Line items:');
    for (const item of invoice.lineItems) {
      const quantity = item.quantity === null ? '' : `${item.quantity} × `;
      const price = item.unitPrice ? `${quantity}${money(item.unitPrice)}` : quantity.replace(/ × $/, '');
      const amount = item.amount ? money(item.amount) : undefined;
      const figures = [price, amount].filter(Boolean).join(' = ');
      lines.push(`- ${item.description ?? '(no description)'}${figures ? `: ${figures}` : ''}`);
    }
  }
  lines.push(
    `Subtotal: ${invoice.subtotal ? money(invoice.subtotal) : 'not found'}`,
    `Tax: ${invoice.tax ? money(invoice.tax) : 'not found'}`,
    `Total: ${invoice.total ? money(invoice.total) : 'not found'}`,
  );
  return lines.join('\n');
}

/** "1234.50 USD": two decimals unless the document has more; the code, not a symbol, so it is unambiguous. */
function money({ amount, currency }: Money): string {
  const cents = amount * 100;
  const figure = Math.abs(cents - Math.round(cents)) < 1e-6 ? amount.toFixed(2) : String(amount);
  return currency ? `${figure} ${currency}` : figure;
}
