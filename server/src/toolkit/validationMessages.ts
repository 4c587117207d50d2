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

/**
 * How deeply a call's arguments may nest arrays and objects within each other (the arguments object
 * itself is level 1). The Functions MCP extension reads requests with System.Text.Json options that
 * leave MaxDepth at its default of 64 (Azure/azure-functions-mcp-extension:
 * src/Microsoft.Azure.Functions.Extensions.Mcp/Serialization/McpJsonSerializerOptions.cs;
 * https://learn.microsoft.com/dotnet/api/system.text.json.jsonserializeroptions.maxdepth), so the
 * embedded host refuses the same depth. No tool's arguments come near it.
 */
export const MAX_ARGUMENT_DEPTH = 64;

export function argumentsTooDeepMessage(toolName: string): string {
  return `Invalid arguments for ${toolName}: arguments are nested deeper than ${MAX_ARGUMENT_DEPTH} levels; flatten them.`;
}

/**
 * True when `value` nests arrays and objects deeper than MAX_ARGUMENT_DEPTH. Iterative, and it stops
 * at the first branch past the limit, so a body of 1,000,000 "[" costs no stack and little time.
 */
export function nestedTooDeep(value: unknown): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_ARGUMENT_DEPTH) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

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

/** "an array", "null", "a string": what a caller sent, in words. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a decimal number';
  return article(typeof value);
}
