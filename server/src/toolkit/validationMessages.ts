import type { z } from 'zod';

/**
 * Zod's default messages ("Invalid input: expected string, received undefined") are written for
 * developers of the schema; tool callers (often a model) need the rule in plain words. Messages
 * that a schema sets itself take precedence over these.
 */
export const plainLanguageIssues: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `is required (${article(issue.expected)})`;
      return `must be ${article(issue.expected)}, not ${describeValue(issue.input)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `must not be empty${Number(issue.minimum) > 1 ? ` and must have at least ${issue.minimum} characters` : ''}`
        : `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters`
        : `must be at most ${issue.maximum}`;
    case 'unrecognized_keys':
      return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove ${issue.keys.length > 1 ? 'them' : 'it'}`;
    default:
      return undefined;
  }
};

/** One line naming every offending field and its rule, prefixed with the tool's name. */
export function describeValidationError(toolName: string, error: z.ZodError): string {
  const problems = error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'arguments';
    return `${field} ${issue.message}`;
  });
  return `Invalid arguments for ${toolName}: ${problems.join('; ')}.`;
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  if (expected === 'object') return 'an object';
  if (expected === 'array') return 'an array';
  return `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a decimal number';
  return article(typeof value);
}
