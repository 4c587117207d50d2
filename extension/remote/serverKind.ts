// What serves MCP on a deployed function app, and what follows from it: the key a key-mode client
// sends as `x-functions-key`, where ARM's listHostKeys holds it, and the words messages use for it.
// Pure data, shared by the extension and the Azure bundle (extension/azure/keys.ts).
import type { RemoteServer, RemoteServerKind } from './remoteServers';

/** The app setting that turns on the MCP custom handler (self-hosted SDK servers) in Azure. */
export const FEATURE_FLAGS_SETTING = 'AzureWebJobsFeatureFlags';
/**
 * The feature flag itself. Core Tools notes it is "not required locally, but is required when
 * deploying to Azure environments" (Azure/azure-functions-core-tools,
 * src/Cli/func/ConfigurationProfiles/McpCustomHandlerConfigurationProfile.cs), so in Azure an app
 * without it does not run a self-hosted server.
 */
export const MCP_CUSTOM_HANDLER_FLAG = 'EnableMcpCustomHandlerPreview';

/**
 * Whether the app settings turn the MCP custom handler on. The host reads the setting as a
 * comma-separated list of tokens, compared case-insensitively (Azure/azure-functions-host,
 * src/WebJobs.Script/Config/FeatureFlags.cs).
 */
export function hasMcpCustomHandlerFlag(appSettings: Record<string, string | undefined>): boolean {
  const value = Object.entries(appSettings).find(
    ([name]) => name.toLowerCase() === FEATURE_FLAGS_SETTING.toLowerCase(),
  )?.[1];
  return (value ?? '')
    .split(',')
    .some((token) => token.trim().toLowerCase() === MCP_CUSTOM_HANDLER_FLAG.toLowerCase());
}

/** Where listHostKeys holds the key, and how messages name it. */
export interface McpKeySpec {
  /** The section of the listHostKeys answer. */
  section: 'systemKeys' | 'functionKeys';
  /** The key's name in that section. */
  name: string;
  /** How a sentence names it: "the MCP extension key", "the function key". */
  label: string;
  /** How an explanation names it precisely: "mcp_extension key", "default function key". */
  technicalName: string;
}

/**
 * The MCP extension's webhook takes the `mcp_extension` system key; a self-hosted server behind the
 * custom handler with `DefaultAuthorizationLevel: function` takes a function key, and the Azure
 * Functions VS Code extension hands out `functionKeys.default` for that project type
 * (microsoft/vscode-azurefunctions, src/commands/getMcpHostKey.ts).
 */
export const mcpKeySpecs: Record<RemoteServerKind, McpKeySpec> = {
  functionsMcpExtension: {
    section: 'systemKeys',
    name: 'mcp_extension',
    label: 'MCP extension key',
    technicalName: 'mcp_extension key',
  },
  selfHosted: {
    section: 'functionKeys',
    name: 'default',
    label: 'function key',
    technicalName: 'default function key',
  },
};

/** A remembered server without a kind was remembered before self-hosted servers were known. */
export function serverKindOf(server: Pick<RemoteServer, 'kind'>): RemoteServerKind {
  return server.kind ?? 'functionsMcpExtension';
}

export function mcpKeySpecOf(server: Pick<RemoteServer, 'kind'>): McpKeySpec {
  return mcpKeySpecs[serverKindOf(server)];
}

/** How the view names the kind: "Functions MCP extension", "self-hosted". */
export const serverKindLabels: Record<RemoteServerKind, string> = {
  functionsMcpExtension: 'Functions MCP extension',
  selfHosted: 'self-hosted',
};
