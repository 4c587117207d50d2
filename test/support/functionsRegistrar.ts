import { InvocationContext, McpToolResponse, type McpToolFunctionOptions } from '@azure/functions';
import type { McpToolRegistrar } from '../../server/src/hosts/functions/registerTools';

/** Records what the Functions host registers, in place of `app`, so registrations can be invoked. */
export class RecordingRegistrar implements McpToolRegistrar {
  readonly registrations = new Map<string, McpToolFunctionOptions>();

  mcpTool(name: string, options: McpToolFunctionOptions): void {
    this.registrations.set(name, options);
  }

  /**
   * Invokes a registered tool the way the Functions MCP extension does: the arguments arrive in
   * the trigger metadata as `mcptoolargs`. Returns the result in MCP wire shape for comparison.
   */
  async invoke(name: string, args: unknown): Promise<Record<string, unknown>> {
    const options = this.registrations.get(name);
    if (!options) throw new Error(`No Functions registration for ${name}`);
    const context = new InvocationContext({
      functionName: name,
      invocationId: 'test-invocation',
      triggerMetadata: { mcptoolargs: args as Record<string, unknown> },
    });
    const response: unknown = await options.handler({}, context);
    if (!(response instanceof McpToolResponse)) throw new Error(`${name} did not return an McpToolResponse`);
    return {
      content: response.content.map((block) => block.toJSON()),
      ...(response.structuredContent !== undefined ? { structuredContent: response.structuredContent } : {}),
      ...(response.isError ? { isError: true } : {}),
    };
  }
}
