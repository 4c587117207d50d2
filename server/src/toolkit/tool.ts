import type { z } from 'zod';

/** What a tool hands back on success: readable text, and optionally the same facts as structured data. */
export interface ToolOutput {
  text: string;
  structured?: Record<string, unknown>;
}

/**
 * A host-neutral MCP tool. The Functions host and the embedded host are two thin loops over a
 * list of these, so a tool never knows which host runs it.
 */
export interface ToolDefinition<Dependencies, Input extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  /** The single source of truth for arguments: validation, JSON Schema and Functions toolProperties. */
  readonly input: Input;
  /**
   * `_meta` in `tools/list`; the Functions host sends it as the trigger's `metadata` JSON, which the
   * extension lists the same way. MCP Apps tie a tool to its view with `{ ui: { resourceUri } }`.
   */
  readonly meta?: Readonly<Record<string, unknown>>;
  run(args: z.infer<Input>, deps: Dependencies, signal: AbortSignal): Promise<ToolOutput>;
}

/**
 * Returns `defineTool` for tools that run with `Dependencies`: it keeps each tool's `run` typed by its
 * own schema while the catalogue holds them side by side.
 */
export function toolDefiner<Dependencies>() {
  return <Input extends z.ZodObject>(
    tool: ToolDefinition<Dependencies, Input>,
  ): ToolDefinition<Dependencies> => tool;
}

/**
 * A failure the user can act on (not found, upstream down, limit exceeded). Its message is shown
 * as the tool's error result, so it must name what went wrong and how to fix it, and must never
 * contain secrets or stack traces.
 */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}
