import type { z } from 'zod';
import { AzureServiceFailure } from './azureFailures';

/**
 * Checks every row a service returned against what the tool's query projects. A row that does
 * not fit (a column missing, a number that is text) is the service's data being malformed, not
 * the caller's mistake, and the message names the column so an operator can find it.
 */
export function parseUpstreamRows<Schema extends z.ZodType>(
  service: string,
  rows: readonly unknown[],
  schema: Schema,
): z.infer<Schema>[] {
  return rows.map((row, index) => {
    const parsed = schema.safeParse(row);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const column = issue?.path.map(String).join('.') || 'the row';
    const problem =
      issue?.code === 'invalid_type' && issue.input === undefined ? 'is missing' : 'has an unexpected value';
    throw new AzureServiceFailure(
      `${service} returned a result this tool cannot read: in row ${index + 1}, "${column}" ${problem}. ` +
        'Try again later; if it persists, the data source may have changed its schema.',
    );
  });
}
