import type { McpPromptFunctionOptions, PromptInvocationContext } from '@azure/functions';
import type { PromptDefinition } from '../../toolkit/prompt';

/** The part of `@azure/functions`' `app` that registers prompts; tests pass a recorder instead. */
export interface McpPromptRegistrar {
  mcpPrompt(name: string, options: McpPromptFunctionOptions): void;
}

/**
 * Registers every catalogue prompt as an MCP prompt trigger. The extension enforces required
 * arguments before the function runs (McpPromptListener.cs), and sends the returned string as one
 * user message (SimplePromptReturnValueBinder.cs), so the handler only renders the text.
 */
export function registerFunctionsPrompts(
  app: McpPromptRegistrar,
  prompts: readonly PromptDefinition[],
): void {
  for (const prompt of prompts) {
    // Function names share one namespace with the tools', so prompts carry a prefix.
    app.mcpPrompt(`prompt_${prompt.name}`, {
      promptName: prompt.name,
      title: prompt.title,
      description: prompt.description,
      promptArguments: prompt.arguments.map(({ name, description, required }) => ({
        name,
        description,
        required,
      })),
      // The library hands prompt handlers a PromptInvocationContext whose arguments are already strings.
      handler: (invocation: PromptInvocationContext) => prompt.text(invocation.arguments),
    });
  }
}
