/**
 * The API Management gateway a deployment puts in front of the function app when its azd environment
 * has APIM_ENABLED=true (infra/app/gateway/apim.bicep). Its routes, the named values its policy files
 * read (infra/app/gateway/mcp-api.policy.xml, prm.policy.xml) and the environment values it leaves
 * behind: the contract the Bicep, the extension and the tests' stand-in of the gateway share.
 */

/** The azd environment variable that turns the gateway on at the next `azd provision`. */
export const APIM_ENABLED = 'APIM_ENABLED';

/** The Bicep output (so azd environment value) holding the gateway's MCP URL. */
export const GATEWAY_URL_OUTPUT = 'SERVICE_MCP_GATEWAY_URL';

/**
 * The gateway's routes. The `mcp` API sits at the root of the gateway (an empty URL suffix), so the
 * MCP URL is https://<service>.azure-api.net/mcp for either kind of project, and its Protected
 * Resource Metadata is where RFC 9728 puts it for that URL (the path-suffixed form, which VS Code
 * asks first) and at the root form VS Code falls back to.
 */
export const gatewayRoutes = {
  mcp: '/mcp',
  /** The legacy SSE transport of a Functions MCP extension app, for clients that still use it. */
  sse: '/mcp/sse',
  sseMessage: '/mcp/message',
  resourceMetadata: '/.well-known/oauth-protected-resource/mcp',
  resourceMetadataRoot: '/.well-known/oauth-protected-resource',
} as const;

/** The header the gateway sends the app's key in; the Functions host reads it (or `?code=`). */
export const FUNCTION_KEY_HEADER = 'x-functions-key';

/**
 * The named values the policy files read, as `{{name}}`. All are plain but the function key, which is
 * a secret named value: API Management keeps it encrypted and never shows it in the policy.
 */
export const gatewayNamedValues = {
  tenantId: 'mcp-entra-tenant-id',
  /** https://login.microsoftonline.com/<tenant>/v2.0 in the public cloud. */
  authority: 'mcp-entra-authority',
  /** The app registration's application (client) id: `aud` of v2.0 tokens. */
  appId: 'mcp-entra-app-id',
  /** api://<tenant>/<name>: `aud` of v1.0 tokens, and the prefix of the user_impersonation scope. */
  identifierUri: 'mcp-entra-identifier-uri',
  vscodeClientId: 'mcp-vscode-client-id',
  gatewayUrl: 'mcp-gateway-url',
  gatewayResourceMetadataUrl: 'mcp-gateway-prm-url',
  functionKey: 'mcp-function-key',
} as const;

export type GatewayNamedValue = (typeof gatewayNamedValues)[keyof typeof gatewayNamedValues];

/** The policy files, relative to the project's infra/ folder. */
export const gatewayPolicyFiles = {
  api: 'app/gateway/mcp-api.policy.xml',
  resourceMetadata: 'app/gateway/prm.policy.xml',
} as const;
