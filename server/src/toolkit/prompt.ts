/** One argument of a prompt, as `prompts/list` shows it. MCP prompt arguments are always strings. */
export interface PromptArgumentDefinition {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
}

/**
 * A host-neutral MCP prompt. Its handler returns one text: a Node.js Functions prompt can answer only
 * that, which the Functions MCP extension sends as a single user message
 * (Azure/azure-functions-mcp-extension: src/Microsoft.Azure.Functions.Extensions.Mcp/Trigger/SimplePromptReturnValueBinder.cs),
 * so the embedded host offers no more than the Functions host can.
 */
export interface PromptDefinition {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly arguments: readonly PromptArgumentDefinition[];
  /** The message, from the arguments as strings; an optional argument left out is absent or empty. */
  text(args: Readonly<Record<string, string>>): string;
}

/**
 * The names of required arguments a `prompts/get` leaves out or sets to null, in declaration order.
 * The extension checks this before it runs the function and answers -32602 (McpPromptListener.cs,
 * `ValidateRequiredArguments`); an empty string counts as given there, and so it does here.
 */
export function missingRequiredArguments(prompt: PromptDefinition, args: unknown): string[] {
  const given = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
  return prompt.arguments
    .filter((argument) => argument.required)
    .filter((argument) => given[argument.name] === undefined || given[argument.name] === null)
    .map((argument) => argument.name);
}

/** The extension's sentence for missing required arguments (McpPromptListener.cs), word for word. */
export function missingArgumentsMessage(missing: readonly string[]): string {
  return `One or more required prompt arguments are missing values. Please provide: ${missing.join(', ')}`;
}

/**
 * Arguments as the prompt handler sees them: strings, null as "", anything else through String().
 * This is what `@azure/functions`' PromptInvocationContext (src/mcp/PromptInvocationContext.ts) does
 * with what the extension sends, so both hosts hand a prompt the same values.
 */
export function promptArgumentStrings(args: unknown): Record<string, string> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return {};
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(args as Record<string, unknown>)) {
    if (typeof value === 'string') strings[name] = value;
    else if (value === undefined || value === null) strings[name] = '';
    // String() as the library calls it, "[object Object]" for an object included: the Functions host passes that.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    else strings[name] = String(value);
  }
  return strings;
}

/** A prompt's one user message, in the `prompts/get` result shape. */
export function promptResult(text: string): {
  messages: { role: 'user'; content: { type: 'text'; text: string } }[];
} {
  return { messages: [{ role: 'user', content: { type: 'text', text } }] };
}
