// From the fields an invoice analyzer extracts to the invoice analyze_invoice reports. Field names are
// those of the prebuilt-invoice analyzer (VendorName, InvoiceId, InvoiceDate, DueDate, SubtotalAmount,
// TotalTaxAmount, TotalAmount, LineItems with Description, Quantity, UnitPrice and Amount; amounts are
// objects of Amount and CurrencyCode in API version 2025-11-01, as the Azure SDK samples read them).
// The Document Intelligence names and its `currency` values, which earlier API versions and custom
// analyzers modelled on them use, are read too.
import { ToolError } from '../toolkit/tool';
import type { ContentField } from './contentUnderstanding';

export interface Money {
  amount: number;
  /** ISO 4217 code, when the document or the analyzer states one. */
  currency: string | null;
}

export interface InvoiceLineItem {
  description: string | null;
  quantity: number | null;
  unitPrice: Money | null;
  amount: Money | null;
}

/** An invoice as found in the document; null where the analyzer found no value. */
export interface ExtractedInvoice {
  vendor: string | null;
  invoiceNumber: string | null;
  /** ISO 8601 (YYYY-MM-DD) when the analyzer normalised it, else as printed. */
  invoiceDate: string | null;
  dueDate: string | null;
  subtotal: Money | null;
  tax: Money | null;
  total: Money | null;
  lineItems: InvoiceLineItem[];
}

type Fields = Readonly<Record<string, ContentField>>;

const names = {
  vendor: ['VendorName'],
  invoiceNumber: ['InvoiceId', 'InvoiceNumber'],
  invoiceDate: ['InvoiceDate'],
  dueDate: ['DueDate'],
  subtotal: ['SubtotalAmount', 'SubTotal'],
  tax: ['TotalTaxAmount', 'TotalTax'],
  total: ['TotalAmount', 'InvoiceTotal'],
  lineItems: ['LineItems', 'Items'],
  description: ['Description'],
  quantity: ['Quantity'],
  unitPrice: ['UnitPrice'],
  lineAmount: ['Amount', 'TotalAmount'],
} as const;

/**
 * Reads the invoice out of the analyzer's fields. A field in an unexpected shape is an error naming
 * it; a document in which none of the invoice fields was found is one too, since a result of
 * nothing but nulls would read as an empty invoice rather than as "this is not an invoice".
 */
export function invoiceFromFields(fields: Fields, analyzerId: string, label: string): ExtractedInvoice {
  const reader = new FieldReader(analyzerId);
  const invoice: ExtractedInvoice = {
    vendor: reader.text(fields, names.vendor, ''),
    invoiceNumber: reader.text(fields, names.invoiceNumber, ''),
    invoiceDate: reader.date(fields, names.invoiceDate, ''),
    dueDate: reader.date(fields, names.dueDate, ''),
    subtotal: reader.money(fields, names.subtotal, ''),
    tax: reader.money(fields, names.tax, ''),
    total: reader.money(fields, names.total, ''),
    lineItems: reader.objects(fields, names.lineItems, '').map(([item, at]) => ({
      description: reader.text(item, names.description, at),
      quantity: reader.number(item, names.quantity, at),
      unitPrice: reader.money(item, names.unitPrice, at),
      amount: reader.money(item, names.lineAmount, at),
    })),
  };
  const { lineItems, ...single } = invoice;
  if (lineItems.length === 0 && Object.values(single).every((value) => value === null)) {
    throw new ToolError(
      `Content Understanding found no invoice fields in ${label} with analyzer "${analyzerId}". Check that it is ` +
        'an invoice; a custom analyzer needs invoice fields such as VendorName, InvoiceId and TotalAmount.',
    );
  }
  return invoice;
}

class FieldReader {
  constructor(private readonly analyzerId: string) {}

  text(fields: Fields, candidates: readonly string[], at: string): string | null {
    const found = pick(fields, candidates, at);
    if (!found) return null;
    const [field, path] = found;
    if (field.type !== 'string') throw this.mismatch(path, field, 'text');
    return nonEmpty(field.valueString);
  }

  date(fields: Fields, candidates: readonly string[], at: string): string | null {
    const found = pick(fields, candidates, at);
    if (!found) return null;
    const [field, path] = found;
    // A date the analyzer could not normalise may come back as the printed text.
    if (field.type === 'string') return nonEmpty(field.valueString);
    if (field.type !== 'date') throw this.mismatch(path, field, 'a date');
    if (field.valueDate === undefined) return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(field.valueDate))
      throw this.mismatch(path, field, 'a date as YYYY-MM-DD');
    return field.valueDate;
  }

  number(fields: Fields, candidates: readonly string[], at: string): number | null {
    const found = pick(fields, candidates, at);
    if (!found) return null;
    const [field, path] = found;
    if (field.type === 'number') return field.valueNumber ?? null;
    if (field.type === 'integer') return field.valueInteger ?? null;
    throw this.mismatch(path, field, 'a number');
  }

  money(fields: Fields, candidates: readonly string[], at: string): Money | null {
    const found = pick(fields, candidates, at);
    if (!found) return null;
    const [field, path] = found;
    switch (field.type) {
      case 'object': {
        const parts = field.valueObject ?? {};
        const amount = this.number(parts, ['Amount'], path);
        return amount === null ? null : { amount, currency: this.text(parts, ['CurrencyCode'], path) };
      }
      case 'currency':
        return field.valueCurrency
          ? { amount: field.valueCurrency.amount, currency: nonEmpty(field.valueCurrency.currencyCode) }
          : null;
      case 'number':
      case 'integer': {
        const amount = field.type === 'number' ? field.valueNumber : field.valueInteger;
        return amount === undefined ? null : { amount, currency: null };
      }
      default:
        throw this.mismatch(path, field, 'an amount');
    }
  }

  objects(fields: Fields, candidates: readonly string[], at: string): [Fields, string][] {
    const found = pick(fields, candidates, at);
    if (!found) return [];
    const [field, path] = found;
    if (field.type !== 'array') throw this.mismatch(path, field, 'a list');
    return (field.valueArray ?? []).map((item, i) => {
      if (item.type !== 'object') throw this.mismatch(`${path}[${i}]`, item, 'an object');
      return [item.valueObject ?? {}, `${path}[${i}]`];
    });
  }

  private mismatch(path: string, field: ContentField, expected: string): ToolError {
    return new ToolError(
      `Content Understanding returned ${path} as a field of type "${field.type}" where ${expected} was expected, so ` +
        `the result cannot be read as an invoice. Analyzer "${this.analyzerId}" may not be an invoice analyzer; ` +
        '"prebuilt-invoice" is.',
    );
  }
}

/** The first of the candidate names the analyzer returned, with its path for messages. */
function pick(fields: Fields, candidates: readonly string[], at: string): [ContentField, string] | undefined {
  for (const name of candidates) {
    const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (field) return [field, at ? `${at}.${name}` : name];
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
