import { McpTextContent, McpToolResponse, type McpToolFunctionOptions } from '@azure/functions';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { callTool } from '../../toolkit/callTool';
import type { ServerTool, ToolDependencies } from '../../toolDependencies';
import { functionsToolProperties } from '../../toolkit/schemas';

/** The part of `@azure/functions`' `app` this host uses; tests pass a recorder instead. */
export interface McpToolRegistrar {
  mcpTool(name: string, options: McpToolFunctionOptions): void;
}

/** Registers every catalogue tool as an MCP tool trigger of the Functions app. */
export function registerFunctionsTools(
  app: McpToolRegistrar,
  tools: readonly ServerTool[],
  deps: ToolDependencies,
): void {
  for (const tool of tools) {
    app.mcpTool(tool.name, {
      toolName: tool.name,
      description: tool.description,
      toolProperties: functionsToolProperties(tool),
      // The extension lists this JSON as the tool's `_meta` (DefaultToolRegistry.cs, MetadataParser.cs).
      ...(tool.meta ? { metadata: JSON.stringify(tool.meta) } : {}),
      handler: async (toolInvocation: unknown) =>
        toFunctionsResponse(await callTool(tool, argumentsOf(toolInvocation), deps)),
    });
  }
}

/**
 * The call's arguments as the client sent them. The MCP extension hands a tool its invocation
 * (`{name, arguments, …}`) as the trigger input, and the same arguments as text in
 * `triggerMetadata.mcptoolargs` (`kvp.Value.ToString()`: 5 becomes "5", an array its JSON), which
 * is for binding expressions such as `{mcptoolargs.name}`; read there, every number, boolean and
 * array would be refused (Azure/azure-functions-mcp-extension:
 * src/Microsoft.Azure.Functions.Extensions.Mcp/Trigger/McpToolTriggerBinding.cs).
 */
function argumentsOf(toolInvocation: unknown): unknown {
  return typeof toolInvocation === 'object' && toolInvocation !== null
    ? (toolInvocation as { arguments?: unknown }).arguments
    : undefined;
}

/**
 * A plain object would be serialised as JSON text by the Functions library; an McpToolResponse
 * keeps `isError` and `structuredContent` intact on the wire.
 */
function toFunctionsResponse(result: CallToolResult): McpToolResponse {
  const content = result.content.map((block) => {
    if (block.type !== 'text') throw new Error(`Unsupported content type ${block.type} in a tool result.`);
    return new McpTextContent(block.text);
  });
  return new McpToolResponse({
    content,
    ...(result.structuredContent ? { structuredContent: result.structuredContent } : {}),
    ...(result.isError ? { isError: true } : {}),
  });
}
