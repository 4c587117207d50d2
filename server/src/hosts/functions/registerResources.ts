import type { InvocationContext, McpResourceFunctionOptions } from '@azure/functions';
import type { ServerResource, ToolDependencies } from '../../toolDependencies';
import { readResourceText } from '../../toolkit/resource';
import { templateParameterNames } from '../../toolkit/resourceUris';

/** The part of `@azure/functions`' `app` that registers resources; tests pass a recorder instead. */
export interface McpResourceRegistrar {
  mcpResource(name: string, options: McpResourceFunctionOptions): void;
}

/**
 * Registers every catalogue resource as an MCP resource trigger, templates included. The handler returns
 * the text: the extension sends it with the URI asked for and the trigger's mimeType
 * (ResourceReturnValueBinder.cs). A failed read throws, which the extension answers as a failed request.
 */
export function registerFunctionsResources(
  app: McpResourceRegistrar,
  resources: readonly ServerResource[],
  deps: ToolDependencies,
): void {
  for (const resource of resources) {
    app.mcpResource(`resource_${resource.name}`, {
      uri: resource.uri,
      resourceName: resource.name,
      title: resource.title,
      description: resource.description,
      mimeType: resource.mimeType,
      ...(resource.meta ? { metadata: JSON.stringify(resource.meta) } : {}),
      handler: (_trigger: unknown, context: InvocationContext) => {
        // The extension puts the URI asked for, and each template parameter by its name, in the trigger
        // metadata (Trigger/McpResourceTriggerBinding.cs `BindAsync`).
        const metadata = context.triggerMetadata ?? {};
        const uri = typeof metadata.mcpresourceuri === 'string' ? metadata.mcpresourceuri : resource.uri;
        const params: Record<string, string> = {};
        for (const name of templateParameterNames(resource.uri)) {
          const value = metadata[name];
          params[name] = typeof value === 'string' ? value : '';
        }
        return readResourceText(resource, { uri, params }, deps);
      },
    });
  }
}
