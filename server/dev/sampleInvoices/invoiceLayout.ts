// What a sample invoice page shows and where, independent of the file format: the PDF and the PNG
// renderers draw the same list, so the two samples read like invoices from one billing system.
import { sampleTotals, type SampleInvoice } from './sampleInvoices';

/** US Letter, in PDF points (1/72 inch). */
export const pageSize = { width: 612, height: 792 } as const;

export interface TextRun {
  kind: 'text';
  text: string;
  /** Left edge, or right edge when `align` is `right`, in points from the page's left. */
  x: number;
  /** Baseline, in points from the page's top. */
  y: number;
  size: number;
  bold: boolean;
  align: 'left' | 'right';
}

export interface Rule {
  kind: 'rule';
  x1: number;
  x2: number;
  y: number;
  thickness: number;
}

export type LayoutItem = TextRun | Rule;

const margin = 54;
const right = pageSize.width - margin;
// Table columns: description, then right-aligned quantity, unit price and amount.
const columns = { description: margin, quantity: 356, unitPrice: 450, amount: right } as const;

const currencySymbols: Record<SampleInvoice['currency'], string> = { USD: '$', EUR: '€' };

/** "$1,234.50" / "€640.00": two decimals, comma thousands, symbol first, as English invoices print them. */
export function formatMoney(amount: number, currency: SampleInvoice['currency']): string {
  const [whole = '0', fraction = '00'] = amount.toFixed(2).split('.');
  return `${currencySymbols[currency]}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

/** "November 2, 2026" from "2026-11-02", without Intl, whose output varies with the ICU data. */
export function formatDate(iso: string): string {
  const months = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  const [year, month, day] = iso.split('-').map(Number);
  return `${months[(month ?? 1) - 1]} ${day}, ${year}`;
}

export function invoiceLayout(invoice: SampleInvoice): LayoutItem[] {
  const items: LayoutItem[] = [];
  const text = (
    value: string,
    x: number,
    y: number,
    size: number,
    bold = false,
    align: TextRun['align'] = 'left',
  ) => items.push({ kind: 'text', text: value, x, y, size, bold, align });
  const rule = (y: number, thickness = 0.75) =>
    items.push({ kind: 'rule', x1: margin, x2: right, y, thickness });
  const money = (amount: number) => formatMoney(amount, invoice.currency);

  // Letterhead: the vendor on the left, the document's title and number on the right.
  text(invoice.vendor.name, margin, 84, 18, true);
  invoice.vendor.addressLines.forEach((line, i) => text(line, margin, 104 + i * 14, 10));
  text('INVOICE', right, 84, 26, true, 'right');
  text(`Invoice number: ${invoice.invoiceNumber}`, right, 110, 10, false, 'right');
  text(`Invoice date: ${formatDate(invoice.invoiceDate)}`, right, 124, 10, false, 'right');
  text(`Due date: ${formatDate(invoice.dueDate)}`, right, 138, 10, false, 'right');
  rule(170, 1.5);

  text('Bill to', margin, 196, 10, true);
  text(invoice.customer.name, margin, 212, 11);
  invoice.customer.addressLines.forEach((line, i) => text(line, margin, 226 + i * 14, 10));

  // Line items.
  let y = 300;
  text('Description', columns.description, y, 10, true);
  text('Qty', columns.quantity, y, 10, true, 'right');
  text('Unit price', columns.unitPrice, y, 10, true, 'right');
  text('Amount', columns.amount, y, 10, true, 'right');
  rule(y + 8);
  const totals = sampleTotals(invoice);
  invoice.lineItems.forEach((item, i) => {
    y += 24;
    text(item.description, columns.description, y, 10);
    text(String(item.quantity), columns.quantity, y, 10, false, 'right');
    text(money(item.unitPrice), columns.unitPrice, y, 10, false, 'right');
    text(money(totals.lineAmounts[i] ?? 0), columns.amount, y, 10, false, 'right');
  });
  rule(y + 12);

  // Totals, right-aligned under the amount column.
  y += 36;
  const taxPercent = Number((invoice.taxRate * 100).toFixed(2));
  for (const [label, amount, bold] of [
    ['Subtotal', totals.subtotal, false],
    [`Tax (${taxPercent}%)`, totals.tax, false],
    [`Total due (${invoice.currency})`, totals.total, true],
  ] as const) {
    text(label, columns.unitPrice, y, bold ? 12 : 10, bold, 'right');
    text(money(amount), columns.amount, y, bold ? 12 : 10, bold, 'right');
    y += 20;
  }

  text(`Please pay by ${formatDate(invoice.dueDate)}, quoting ${invoice.invoiceNumber}.`, margin, 700, 9);
  text('Sample invoice generated for testing; not a real transaction.', margin, 714, 9);
  return items;
}
