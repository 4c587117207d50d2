import { z } from 'zod';

// Argument schemas shared by the infrastructure-analysis tools. The argument names (snake_case)
// are the seed samples' own, so prompts written for those tools keep working.

// Both cases spelled out: the pattern is published in the JSON Schema, where regex flags are lost.
const guidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const guidExample = '00000000-0000-0000-0000-000000000000';

/** Most subscriptions one call may name: Resource Graph takes more, but the answer would be unreadable. */
export const MAX_SUBSCRIPTIONS = 100;

/**
 * The list is declared as an array of GUIDs (what tools/list and the Functions toolProperties
 * publish), but a single string holding comma-, semicolon- or space-separated GUIDs, or a JSON
 * array in a string, is accepted too: models and some clients send lists that way.
 */
export const subscriptionIdsSchema = z
  .preprocess(
    splitListString,
    z
      .array(
        z
          .string()
          .trim()
          .regex(guidPattern, { error: (issue) => notAGuid('subscription ID', issue.input) }),
        {
          error: (issue) =>
            issue.input === undefined
              ? `is required: a list of Azure subscription IDs such as ["${guidExample}"]`
              : `must be a list of Azure subscription IDs such as ["${guidExample}"], not ${describe(issue.input)}`,
        },
      )
      .min(1, { error: 'must list at least one Azure subscription ID' })
      .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))])
      .refine((ids) => ids.length <= MAX_SUBSCRIPTIONS, {
        error: `may list at most ${MAX_SUBSCRIPTIONS} different subscriptions; ask about fewer at a time`,
      }),
  )
  .describe(
    `Azure subscription IDs (GUIDs) to look in, e.g. ["${guidExample}"]; 1-${MAX_SUBSCRIPTIONS}. ` +
      'The server can only see resources its identity may read (the Reader role on the subscription).',
  );

export const workspaceIdSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? `is required: the Log Analytics workspace ID (a GUID from the workspace's Overview page)`
        : `must be a Log Analytics workspace ID (a GUID), not ${describe(issue.input)}`,
  })
  .trim()
  .regex(guidPattern, {
    error: (issue) =>
      `${notAGuid('Log Analytics workspace ID', issue.input)}; it is on the workspace's Overview page ` +
      '(not the resource ID or the workspace name)',
  })
  .transform((id) => id.toLowerCase())
  .describe("The Log Analytics workspace ID: the GUID on the workspace's Overview page.");

/** A validated time range, as Log Analytics takes it (ISO 8601) and as KQL writes it. */
export interface Timespan {
  /** Canonical ISO 8601 duration, e.g. "P1D", "PT6H", "P1DT12H". */
  iso: string;
  minutes: number;
}

export interface TimespanLimits {
  /** ISO 8601, as the description shows it. */
  defaultValue: string;
  minMinutes: number;
  maxMinutes: number;
}

/**
 * An ISO 8601 duration (P1D, PT6H, P1DT12H, P2W) or, forgivingly, the short form the seed samples'
 * descriptions used (30d, 6h, 90m). Years and months are refused: they have no fixed length.
 */
export function timespanSchema(limits: TimespanLimits) {
  const range = `${isoDuration(limits.minMinutes)} to ${isoDuration(limits.maxMinutes)}`;
  return z
    .string({
      error: (issue) => `must be an ISO 8601 duration such as "P1D" or "PT6H", not ${describe(issue.input)}`,
    })
    .trim()
    .transform((text, context): Timespan => {
      const minutes = parseDurationMinutes(text);
      if (typeof minutes === 'string') {
        context.addIssue({ code: 'custom', message: minutes, input: text });
        return z.NEVER;
      }
      if (minutes < limits.minMinutes || minutes > limits.maxMinutes) {
        context.addIssue({
          code: 'custom',
          message: `must be from ${range}; "${text}"${canonicalNote(text, minutes)} is too ${minutes < limits.minMinutes ? 'short' : 'long'}`,
          input: text,
        });
        return z.NEVER;
      }
      return { iso: isoDuration(minutes), minutes };
    })
    .prefault(limits.defaultValue)
    .describe(
      `How far back to look, as an ISO 8601 duration: "PT6H" (6 hours), "P1D" (1 day), "P7D" (7 days). ` +
        `From ${range}; default ${limits.defaultValue}.`,
    );
}

const isoPattern = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;
const shortPattern = /^(\d+)\s*(d|h|m)$/i;

/** Whole minutes (seconds round up), or a message saying what is wrong with the text. */
function parseDurationMinutes(text: string): number | string {
  const example = 'an ISO 8601 duration such as "P1D", "PT6H" or "P1DT12H"';
  const short = shortPattern.exec(text);
  if (short) {
    const unit = (short[2] ?? '').toLowerCase();
    return Number(short[1]) * (unit === 'd' ? 1440 : unit === 'h' ? 60 : 1);
  }
  if (/^P(?:\d+Y|\d+M|.*\d+Y|[^T]*\d+M)/i.test(text)) {
    return `must not use years or months, which have no fixed length; give days instead, e.g. "P30D" (got "${text}")`;
  }
  const iso = isoPattern.exec(text);
  if (!iso || text.toUpperCase() === 'P' || text.toUpperCase().endsWith('T')) {
    return `must be ${example} (whole numbers only), not "${text}"`;
  }
  const [weeks, days, hours, minutes, seconds] = iso.slice(1).map((part) => Number(part ?? 0));
  const totalSeconds =
    (weeks ?? 0) * 604_800 +
    (days ?? 0) * 86_400 +
    (hours ?? 0) * 3600 +
    (minutes ?? 0) * 60 +
    (seconds ?? 0);
  return Math.ceil(totalSeconds / 60);
}

/** Canonical ISO 8601 for a number of minutes: 1440 -> "P1D", 2160 -> "P1DT12H", 90 -> "PT1H30M". */
export function isoDuration(totalMinutes: number): string {
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}`;
  const body = `${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
  return body ? `P${body}` : 'PT0M';
}

function canonicalNote(text: string, minutes: number): string {
  const canonical = isoDuration(minutes);
  return canonical === text.toUpperCase() ? '' : ` (${canonical})`;
}

/** "a,b" / "a; b" / "a b" / '["a","b"]' -> ["a","b"]; anything else is left for the array schema to judge. */
function splitListString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return value;
    }
  }
  return text === '' ? [] : text.split(/[\s,;]+/).filter((part) => part !== '');
}

function notAGuid(what: string, input: unknown): string {
  const shown =
    typeof input === 'string' ? `"${input.length > 60 ? `${input.slice(0, 60)}…` : input}"` : describe(input);
  return `must be a ${what}: a GUID such as ${guidExample}, not ${shown}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value}"`;
  return `a ${typeof value}`;
}
