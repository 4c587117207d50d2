// The invoices behind the samples in server/data/invoices: the generator draws them, and the tests'
// Content Understanding fake answers with exactly these values when it is sent one of the files, so
// what the tool reports can be checked against what the document shows. The companies are
// Microsoft's fictitious ones; nothing here is a real business.

export interface SampleLineItem {
  description: string;
  quantity: number;
  /** In the invoice's currency, at most two decimals. */
  unitPrice: number;
}

export interface SampleParty {
  name: string;
  addressLines: string[];
}

export interface SampleInvoice {
  /** Where the generated file lives, relative to server/data (forward slashes). */
  fileName: string;
  format: 'pdf' | 'png';
  vendor: SampleParty;
  customer: SampleParty;
  invoiceNumber: string;
  /** ISO 8601 dates, as Content Understanding normalises them. */
  invoiceDate: string;
  dueDate: string;
  /** ISO 4217. */
  currency: 'USD' | 'EUR';
  /** Sales tax as a fraction of the subtotal. */
  taxRate: number;
  lineItems: SampleLineItem[];
}

export const sampleInvoices: readonly SampleInvoice[] = [
  {
    fileName: 'invoices/contoso-INV-2026-0042.pdf',
    format: 'pdf',
    vendor: {
      name: 'Contoso Office Supplies Ltd.',
      addressLines: ['123 Market Street', 'Seattle, WA 98101', 'United States'],
    },
    customer: {
      name: 'Northwind Traders',
      addressLines: ['500 Pine Avenue', 'Portland, OR 97204', 'United States'],
    },
    invoiceNumber: 'INV-2026-0042',
    invoiceDate: '2026-11-02',
    dueDate: '2026-12-02',
    currency: 'USD',
    taxRate: 0.1,
    lineItems: [
      { description: 'A4 copy paper, 500 sheets', quantity: 20, unitPrice: 4.5 },
      { description: 'Ballpoint pens, box of 50', quantity: 4, unitPrice: 12.25 },
      { description: 'Ergonomic office chair', quantity: 2, unitPrice: 189 },
    ],
  },
  {
    fileName: 'invoices/fabrikam-FAB-11873.png',
    format: 'png',
    vendor: {
      name: 'Fabrikam Print & Design GmbH',
      addressLines: ['Hauptstrasse 17', '10115 Berlin', 'Germany'],
    },
    customer: {
      name: 'Adventure Works Cycles',
      addressLines: ['42 Harbour Road', 'Dublin D02 X285', 'Ireland'],
    },
    invoiceNumber: 'FAB-11873',
    invoiceDate: '2026-10-15',
    dueDate: '2026-11-14',
    currency: 'EUR',
    taxRate: 0.19,
    lineItems: [
      { description: 'Brochure design (hours)', quantity: 6, unitPrice: 85 },
      { description: 'Printed brochures, 1000 copies', quantity: 1, unitPrice: 640 },
    ],
  },
];

export interface SampleTotals {
  /** Quantity times unit price of each line, in the order of `lineItems`. */
  lineAmounts: number[];
  subtotal: number;
  tax: number;
  total: number;
}

/** Sums in whole cents, as an invoicing system would, so no binary-fraction residue reaches a document. */
export function sampleTotals(invoice: SampleInvoice): SampleTotals {
  const cents = (value: number) => Math.round(value * 100);
  const lineCents = invoice.lineItems.map((item) => cents(item.quantity * item.unitPrice));
  const subtotalCents = lineCents.reduce((sum, line) => sum + line, 0);
  const taxCents = Math.round(subtotalCents * invoice.taxRate);
  return {
    lineAmounts: lineCents.map((line) => line / 100),
    subtotal: subtotalCents / 100,
    tax: taxCents / 100,
    total: (subtotalCents + taxCents) / 100,
  };
}
