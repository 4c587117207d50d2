// Draws a sample invoice as a one-page PDF with pdf-lib. The standard Helvetica fonts need no
// embedding, and fixed metadata dates make the bytes depend on the invoice alone, so the committed
// file can be checked against a fresh rendering.
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { invoiceLayout, pageSize } from './invoiceLayout';
import type { SampleInvoice } from './sampleInvoices';

export async function renderInvoicePdf(invoice: SampleInvoice): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const issued = new Date(`${invoice.invoiceDate}T00:00:00Z`);
  pdf.setTitle(`Invoice ${invoice.invoiceNumber}`);
  pdf.setAuthor(invoice.vendor.name);
  pdf.setCreator('remote-mcp-functions sample invoice generator');
  pdf.setProducer('pdf-lib');
  pdf.setCreationDate(issued);
  pdf.setModificationDate(issued);

  const fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
  };
  const page = pdf.addPage([pageSize.width, pageSize.height]);
  const black = rgb(0, 0, 0);
  // The layout measures from the top of the page; PDF from the bottom.
  const fromBottom = (y: number) => pageSize.height - y;
  for (const item of invoiceLayout(invoice)) {
    if (item.kind === 'rule') {
      page.drawLine({
        start: { x: item.x1, y: fromBottom(item.y) },
        end: { x: item.x2, y: fromBottom(item.y) },
        thickness: item.thickness,
        color: black,
      });
      continue;
    }
    const font = item.bold ? fonts.bold : fonts.regular;
    const width = font.widthOfTextAtSize(item.text, item.size);
    page.drawText(item.text, {
      x: item.align === 'right' ? item.x - width : item.x,
      y: fromBottom(item.y),
      size: item.size,
      font,
      color: black,
    });
  }
  // Object streams are a PDF 1.5 feature; without them any PDF reader, however old, opens the file.
  return pdf.save({ useObjectStreams: false });
}
