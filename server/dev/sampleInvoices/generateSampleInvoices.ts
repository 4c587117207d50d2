// `npm run samples:invoices`: writes the sample invoices (sampleInvoices.ts) into server/data, where
// the analyze_invoice tool finds them and from where they ship with the Functions app and the VSIX.
// The files are committed; run this after changing the invoices or their layout.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodePng, renderInvoiceBitmap } from './invoiceImage';
import { renderInvoicePdf } from './invoicePdf';
import { sampleInvoices, type SampleInvoice } from './sampleInvoices';

export const sampleDataDir = path.resolve(__dirname, '../../data');

export async function renderSampleInvoice(invoice: SampleInvoice): Promise<Uint8Array> {
  return invoice.format === 'pdf' ? renderInvoicePdf(invoice) : encodePng(renderInvoiceBitmap(invoice));
}

async function main(): Promise<void> {
  for (const invoice of sampleInvoices) {
    const file = path.join(sampleDataDir, invoice.fileName);
    mkdirSync(path.dirname(file), { recursive: true });
    const bytes = await renderSampleInvoice(invoice);
    writeFileSync(file, bytes);
    console.log(`${path.relative(process.cwd(), file)} (${bytes.length} bytes)`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
