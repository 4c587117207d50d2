import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ToolError, type ToolDefinition } from './tool';
import type { ToolLogger } from './toolLogger';
import {
  argumentsTooDeepMessage,
  describeValidationError,
  nestedTooDeep,
  plainLanguageIssues,
} from './validationMessages';

/**
 * Validates raw arguments and runs the tool, always resolving to an MCP result. Both hosts call
 * this, which is what makes their answers identical: bad input and tool failures become
 * `isError` results with a readable message, never a thrown error or a stack trace.
 */
export async function callTool<Dependencies extends { readonly log: ToolLogger }>(
  tool: ToolDefinition<Dependencies>,
  rawArgs: unknown,
  deps: Dependencies,
  signal: AbortSignal = new AbortController().signal,
): Promise<CallToolResult> {
  if (nestedTooDeep(rawArgs)) return errorResult(argumentsTooDeepMessage(tool.name));
  const parsed = tool.input.safeParse(rawArgs ?? {}, { error: plainLanguageIssues });
  if (!parsed.success) {
    return errorResult(describeValidationError(tool.name, parsed.error));
  }
  try {
    const output = await tool.run(parsed.data, deps, signal);
    const result: CallToolResult = { content: [{ type: 'text', text: output.text }] };
    if (output.structured) result.structuredContent = output.structured;
    return result;
  } catch (error) {
    if (error instanceof ToolError) return errorResult(error.message);
    // Unexpected failures are logged for the operator; the caller gets no internals.
    deps.log.error(
      `Tool ${tool.name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
    );
    return errorResult(`${tool.name} failed unexpectedly. The server log has the details.`);
  }
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
