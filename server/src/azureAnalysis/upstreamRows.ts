import { z } from 'zod';
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
    const key = issue?.path[0];
    const present = typeof row === 'object' && row !== null && key !== undefined && key in row;
    const problem = present ? 'has an unexpected value' : 'is missing';
    throw new AzureServiceFailure(
      `${service} returned a result this tool cannot read: in row ${index + 1}, "${column}" ${problem}. ` +
        'Try again later; if it persists, the data source may have changed its schema.',
    );
  });
}

/**
 * Column shapes for the rows the tools' queries project. Every projected column must be present
 * (a missing one means the query and the data disagree); an empty value reads as null, since KQL's
 * tostring() turns a missing property into "".
 */
export const column = {
  text: z
    .string()
    .nullable()
    .transform((value) => (value === '' ? null : value)),
  /** Log Analytics has sent long and real values as JSON strings; Resource Graph sends numbers. */
  number: z
    .union([z.number(), z.string().regex(/^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$|^$/)])
    .nullable()
    .transform((value) => (value === null || value === '' ? null : Number(value))),
  /** A dynamic (JSON) value: any shape, checked by the tool that reads it. */
  dynamic: z.unknown().refine((value) => value !== undefined),
  required: z.string().min(1),
};
