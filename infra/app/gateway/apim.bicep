// The API Management gateway in front of the function app, deployed when the azd environment has
// APIM_ENABLED=true: the public door of the MCP server. It lets in Microsoft Entra tokens of the
// project's app registration (entra.bicep), serves the Protected Resource Metadata VS Code signs in
// from, and calls the app with the app's own key, which only the gateway holds. The rules are in the
// two policy files beside this one; this module creates the service, the `mcp` API with its
// operations, and the named values the policies read.
//
// The same file serves the extension's own server (infra/) and every project "Add Azure Deployment
// Files" or "Host on Azure Functions…" sets up (copied verbatim into its infra/app/gateway/).
// Resource reference: https://learn.microsoft.com/azure/templates/microsoft.apimanagement/service,
// .../service/namedvalues, .../service/apis, .../service/apis/operations, .../service/apis/policies.

@description('Name of the API Management service; it is the host name of the gateway (<name>.azure-api.net), so it must be globally unique.')
param name string

param location string

@description('Tags of the service; azd\'s azd-env-name among them.')
param tags object

@allowed([
  'Developer'
  'BasicV2'
  'StandardV2'
])
@description('Pricing tier. Basic v2 is the smallest with long-running (server-sent events) responses, which MCP uses, policies, a managed identity and an SLA, and it is created in minutes; the Consumption tier cuts event streams short (https://learn.microsoft.com/azure/api-management/how-to-server-sent-events). Developer has no SLA and takes 30 to 45 minutes to create.')
param sku string = 'BasicV2'

@description('E-mail address API Management sends its notices to (required by the service). example.com is reserved, so nothing reaches anyone until you set your own.')
param publisherEmail string = 'noreply@example.com'

@description('Organisation name shown in the developer portal and in the notices.')
param publisherName string = 'Remote MCP server'

@description('Name of the function app the gateway forwards to, in this resource group.')
param functionAppName string

@allowed([
  'functionsMcpExtension'
  'selfHosted'
])
@description('What serves MCP in the app: the Functions MCP extension (/runtime/webhooks/mcp, and the legacy SSE transport beside it, behind the mcp_extension system key) or a self-hosted MCP server run as a custom handler (/mcp, behind the default function key).')
param projectKind string

@description('Application (client) id of the Entra app registration: the audience of v2.0 tokens.')
param entraApplicationId string

@description('Identifier URI (api://...) of that registration: the audience of v1.0 tokens, and the prefix of the user_impersonation scope.')
param entraIdentifierUri string

// VS Code's own client id (its built-in Microsoft sign-in), the client application the gateway lets in;
// entra.bicep pre-authorises it for the user_impersonation scope.
var vscodeClientId = 'aebc6443-996d-45c2-90f0-388ff96faa56'

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource service 'Microsoft.ApiManagement/service@2024-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    capacity: 1
  }
  // Lets a named value come from Key Vault, or the backend call sign in with
  // `authentication-managed-identity`, without another secret.
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    publisherEmail: publisherEmail
    publisherName: publisherName
  }
}

// The gateway's own origin (https://<name>.azure-api.net); the `mcp` API sits at its root.
var gatewayOrigin = service.properties.gatewayUrl

// The values the policy files read as {{name}} (shared/apiManagementGateway.ts, gatewayNamedValues).
// Plain values: nothing secret in them, and visible in the portal for whoever troubleshoots.
// https://learn.microsoft.com/azure/api-management/api-management-howto-properties
var plainNamedValues = {
  'mcp-entra-tenant-id': tenant().tenantId
  'mcp-entra-authority': '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
  'mcp-entra-app-id': entraApplicationId
  'mcp-entra-identifier-uri': entraIdentifierUri
  'mcp-vscode-client-id': vscodeClientId
  'mcp-gateway-url': '${gatewayOrigin}/mcp'
  'mcp-gateway-prm-url': '${gatewayOrigin}/.well-known/oauth-protected-resource/mcp'
}

// A loop must know its items when the deployment starts, and the gateway URL is known only once the
// service exists: hence the loop goes over the names, spelled out.
resource plainValues 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = [
  for valueName in [
    'mcp-entra-tenant-id'
    'mcp-entra-authority'
    'mcp-entra-app-id'
    'mcp-entra-identifier-uri'
    'mcp-vscode-client-id'
    'mcp-gateway-url'
    'mcp-gateway-prm-url'
  ]: {
    parent: service
    name: valueName
    properties: {
      // Policies name a value by its display name.
      displayName: valueName
      value: plainNamedValues[valueName]
      secret: false
    }
  }
]

// The app's host keys (POST <site>/host/default/listkeys,
// https://learn.microsoft.com/rest/api/appservice/web-apps/list-host-keys): masterKey, functionKeys,
// systemKeys. The MCP extension asks for its `mcp_extension` system key, which the extension creates
// when the host first loads it; on the first `azd up` provisioning runs before the code is deployed,
// so that key does not exist yet and the master key stands in until the next `azd provision`. A
// self-hosted server (host.json DefaultAuthorizationLevel `function`) takes the `default` function key.
var hostKeys = listKeys('${site.id}/host/default', site.apiVersion)
var functionKey = projectKind == 'functionsMcpExtension'
  ? hostKeys.?systemKeys.?mcp_extension ?? hostKeys.masterKey
  : hostKeys.?functionKeys.?default ?? hostKeys.masterKey

// A secret named value: API Management keeps it encrypted and shows it to no one reading the policy.
// It is never an output. A rotated key leaves it stale until `azd provision` runs again.
resource functionKeyValue 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: service
  name: 'mcp-function-key'
  properties: {
    displayName: 'mcp-function-key'
    value: functionKey
    secret: true
  }
}

// The backend each kind's MCP routes live under: the gateway's /mcp, /mcp/sse and /mcp/message map to
// /runtime/webhooks/mcp[...] of the MCP extension, or to a self-hosted server's own /mcp.
var backendUrl = projectKind == 'functionsMcpExtension'
  ? 'https://${site.properties.defaultHostName}/runtime/webhooks'
  : 'https://${site.properties.defaultHostName}'

resource api 'Microsoft.ApiManagement/service/apis@2024-05-01' = {
  parent: service
  name: 'mcp'
  properties: {
    displayName: 'MCP server ${functionAppName}'
    description: 'The Model Context Protocol endpoint of the function app ${functionAppName}, for callers signed in with Microsoft Entra ID.'
    // At the root of the gateway, so the MCP URL is https://<name>.azure-api.net/mcp and its Protected
    // Resource Metadata sits where RFC 9728 puts it for that URL (/.well-known/oauth-protected-resource/mcp).
    path: ''
    protocols: [
      'https'
    ]
    // The Entra token is the credential; a subscription key would be a second secret for every client.
    subscriptionRequired: false
    serviceUrl: backendUrl
  }
}

// Streamable HTTP: POST carries the JSON-RPC messages, GET opens the server's event stream, DELETE
// ends a session. The legacy SSE transport of the MCP extension adds its two routes.
var mcpOperations = concat(
  [
    { name: 'mcp-post', method: 'POST', urlTemplate: '/mcp', displayName: 'MCP messages' }
    { name: 'mcp-get', method: 'GET', urlTemplate: '/mcp', displayName: 'MCP event stream' }
    { name: 'mcp-delete', method: 'DELETE', urlTemplate: '/mcp', displayName: 'End an MCP session' }
  ],
  projectKind == 'functionsMcpExtension'
    ? [
        { name: 'mcp-sse', method: 'GET', urlTemplate: '/mcp/sse', displayName: 'Legacy SSE stream' }
        { name: 'mcp-message', method: 'POST', urlTemplate: '/mcp/message', displayName: 'Legacy SSE messages' }
      ]
    : []
)

resource operations 'Microsoft.ApiManagement/service/apis/operations@2024-05-01' = [
  for operation in mcpOperations: {
    parent: api
    name: operation.name
    properties: {
      displayName: operation.displayName
      method: operation.method
      urlTemplate: operation.urlTemplate
    }
  }
]

// The token check, the 401 challenge and the key, for every MCP operation (API scope). API Management
// refuses a policy naming a named value that does not exist yet, hence the dependencies.
resource apiPolicy 'Microsoft.ApiManagement/service/apis/policies@2024-05-01' = {
  parent: api
  name: 'policy'
  properties: {
    format: 'rawxml'
    value: loadTextContent('mcp-api.policy.xml')
  }
  dependsOn: [
    plainValues
    functionKeyValue
  ]
}

// The Protected Resource Metadata, at both places VS Code looks: the path-suffixed form first, then
// the root form (https://www.rfc-editor.org/rfc/rfc9728#section-3.1). Their policy replaces the API's
// (no <base />), so they answer without a token.
var resourceMetadataOperations = [
  { name: 'prm-mcp', urlTemplate: '/.well-known/oauth-protected-resource/mcp' }
  { name: 'prm', urlTemplate: '/.well-known/oauth-protected-resource' }
]

resource resourceMetadata 'Microsoft.ApiManagement/service/apis/operations@2024-05-01' = [
  for operation in resourceMetadataOperations: {
    parent: api
    name: operation.name
    properties: {
      displayName: 'Protected Resource Metadata (${operation.urlTemplate})'
      method: 'GET'
      urlTemplate: operation.urlTemplate
    }
  }
]

resource resourceMetadataPolicies 'Microsoft.ApiManagement/service/apis/operations/policies@2024-05-01' = [
  for (operation, i) in resourceMetadataOperations: {
    parent: resourceMetadata[i]
    name: 'policy'
    properties: {
      format: 'rawxml'
      value: loadTextContent('prm.policy.xml')
    }
    dependsOn: [
      plainValues
    ]
  }
]

@description('The gateway\'s MCP URL, which VS Code connects to.')
output mcpUrl string = '${gatewayOrigin}/mcp'

output name string = service.name
