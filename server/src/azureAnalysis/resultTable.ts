// How the infrastructure-analysis tools show rows: a Markdown table a person or a model can read,
// at most ROW_CAP rows of it, and a plain statement of how many more there are.

/** Most rows a tool shows (text and structuredContent alike): more would swamp a chat. */
export const ROW_CAP = 200;

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
}

/** Shown for a value Azure did not report. */
const missing = '—';

export function markdownTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const header = `| ${columns.map((column) => cell(column.header)).join(' | ')} |`;
  const rule = `| ${columns.map(() => '---').join(' | ')} |`;
  const lines = rows.map((row) => `| ${columns.map((column) => cell(column.value(row))).join(' | ')} |`);
  return [header, rule, ...lines].join('\n');
}

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return missing;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  // A pipe or a line break would end the cell or the row early.
  return String(value)
    .replace(/\|/g, '\\|')
    .replace(/\s*\r?\n\s*/g, ' ');
}

/** Counts of what a capped result holds, as structuredContent states them. */
export interface RowCounts {
  /** How many rows matched (a lower bound when `totalIsExact` is false). */
  total: number;
  shown: number;
  notShown: number;
  totalIsExact: boolean;
}

export function rowCounts(shown: number, total: number, totalIsExact: boolean): RowCounts {
  return { total, shown, notShown: Math.max(0, total - shown), totalIsExact };
}

/** "12 more rows not shown (…); <narrowing>." / "At least 800 more …" / '' when everything is shown. */
export function moreNotShown(counts: RowCounts, narrowing: string): string {
  if (counts.notShown === 0) return '';
  const more = plural(counts.notShown, 'more row');
  return `${counts.totalIsExact ? '' : 'At least '}${more} not shown (at most ${ROW_CAP} are); ${narrowing}.`;
}

/** "1 server", "3 servers". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
