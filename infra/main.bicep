// The infrastructure `azd provision` (and `azd up`) creates for the companion MCP server: a resource
// group holding a Flex Consumption function app, its storage, identity and monitoring, and optionally
// a virtual network and an API Management gateway in front of the app. azd reads the outputs at the
// bottom into `.azure/<env>/.env`, and the VS Code extension reads them back with
// `azd env get-values`, so their names are a contract.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it names the resource group and seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer the Flex Consumption plan (`az functionapp list-flexconsumption-locations`).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the person running azd (azd fills in AZURE_PRINCIPAL_ID). They get blob data access so the server can use the same storage account from their machine. Empty: no assignment.')
param principalId string = ''

@description('Put storage behind private endpoints in a virtual network and route the function app through it. Off by default: it costs more and needs the Microsoft.App resource provider.')
param vnetEnabled bool = false

@description('Use this resource group name instead of rg-<environmentName>.')
param resourceGroupName string = ''

@description('Endpoint of the Azure AI Content Understanding (Microsoft Foundry) resource analyze_invoice uses, such as https://<resource>.services.ai.azure.com/. Empty: the endpoint of contentUnderstandingResourceId, or, without one, the tool reports that it is not set up.')
param contentUnderstandingEndpoint string = ''

@description('Resource id of that Microsoft Foundry resource (Microsoft.CognitiveServices/accounts), in any resource group: the app\'s identity gets the Cognitive Services User role on it, so analyze_invoice needs no API key. Empty: no role assignment.')
param contentUnderstandingResourceId string = ''

@description('The Content Understanding analyzer analyze_invoice uses unless a call names another.')
param contentUnderstandingAnalyzerId string = 'prebuilt-invoice'

@description('Give the app\'s identity the Reader role on this subscription, so the infrastructure-analysis tools (GetServerMetadata, GetSqlMetadata, GetPatchingLevel) see its servers through Azure Resource Graph. Off by default: Reader on a whole subscription is broad. Other subscriptions need the role granted there.')
param analysisSubscriptionReader bool = false

@description('Resource ID of a Log Analytics workspace (/subscriptions/…/resourceGroups/…/providers/Microsoft.OperationalInsights/workspaces/…) that GetSqlBpAssessment and GetAnomalies query: the app\'s identity gets the Log Analytics Reader role on it. Empty: no assignment.')
param logAnalyticsWorkspaceResourceId string = ''

@description('Guard the MCP server with Microsoft Entra ID instead of the mcp_extension system key: an app registration VS Code signs in to (created through the Microsoft Graph Bicep extension, so the person provisioning must be allowed to create app registrations) and App Service built-in authentication. Off: key mode, and provisioning again turns the authentication off.')
param authEnabled bool = false

@description('Put an API Management gateway in front of the function app (app/gateway/apim.bicep): the public door that checks Microsoft Entra tokens, serves the Protected Resource Metadata VS Code signs in from, and calls the app with its key, so no client holds one. It creates the Entra app registration too, even with authEnabled off. Off by default: the gateway is billed by the month whatever the traffic.')
param apimEnabled bool = false

@allowed([
  'Developer'
  'BasicV2'
  'StandardV2'
])
@description('Pricing tier of that gateway. Basic v2 is the smallest with the event streams MCP uses, a managed identity and an SLA, created in minutes; Developer has no SLA and takes 30 to 45 minutes to create.')
param apimSku string = 'BasicV2'

// Resource name prefixes, following the Cloud Adoption Framework abbreviations azd templates use.
var abbrs = {
  resourceGroup: 'rg-'
  functionApp: 'func-'
  appServicePlan: 'plan-'
  storageAccount: 'st'
  managedIdentity: 'id-'
  logAnalytics: 'log-'
  applicationInsights: 'appi-'
  virtualNetwork: 'vnet-'
  apiManagement: 'apim-'
}

// The same subscription, environment and region always give the same names, so re-provisioning
// updates resources in place rather than creating new ones.
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

// azd finds the resources of an environment by this tag.
var tags = {
  'azd-env-name': environmentName
}

var functionAppName = '${abbrs.functionApp}api-${resourceToken}'

// Flex Consumption deploys from a blob container; one per app keeps packages of different apps apart.
// 12 + 32 + 1 + 7 characters stays inside the 63-character container name limit.
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

// The container the snippet tools keep their blobs in: the server's default, so a deployed app and
// a local run against the same account see the same snippets.
var snippetsContainerName = 'snippets'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourceGroup}${environmentName}'
  location: location
  tags: tags
}

module identity './app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentity}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring './app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.logAnalytics}${resourceToken}'
    applicationInsightsName: '${abbrs.applicationInsights}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage './app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageAccount}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    snippetsContainerName: snippetsContainerName
    vnetEnabled: vnetEnabled
  }
}

module vnet './app/vnet.bicep' = if (vnetEnabled) {
  name: 'vnet'
  scope: rg
  params: {
    name: '${abbrs.virtualNetwork}${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
  }
}

module rbac './app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    managedIdentityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
  }
}

// Only with a Content Understanding resource id: the role analyze_invoice signs in with, granted in
// the resource's own subscription and resource group (parts 2 and 4 of its id). ARM evaluates only
// the branch of a condition it takes, so an empty id never reaches split(); the ternaries stay on
// one line, as older Bicep ends an expression at a line break before `?` or `:`.
module contentUnderstandingAccess './app/contentUnderstandingAccess.bicep' = if (!empty(contentUnderstandingResourceId)) {
  name: 'contentUnderstandingAccess'
  scope: resourceGroup(empty(contentUnderstandingResourceId) ? subscription().subscriptionId : split(contentUnderstandingResourceId, '/')[2], empty(contentUnderstandingResourceId) ? rg.name : split(contentUnderstandingResourceId, '/')[4])
  params: {
    accountName: last(split(contentUnderstandingResourceId, '/'))
    managedIdentityPrincipalId: identity.outputs.principalId
  }
}

// Roles for the infrastructure-analysis tools, each only when asked for. The workspace may live in
// any resource group and subscription: the module is deployed there, found from the resource ID
// (ARM evaluates only the chosen branch of a condition, so an empty ID is never split).
module analysisReader './app/analysisSubscriptionReader.bicep' = if (analysisSubscriptionReader) {
  name: 'analysisReader'
  scope: subscription()
  params: {
    principalId: identity.outputs.principalId
  }
}

var analysisWorkspaceGiven = !empty(logAnalyticsWorkspaceResourceId)
var analysisWorkspaceIdParts = split(logAnalyticsWorkspaceResourceId, '/')

module analysisWorkspaceReader './app/analysisWorkspaceReader.bicep' = if (analysisWorkspaceGiven) {
  name: 'analysisWorkspaceReader'
  scope: resourceGroup(analysisWorkspaceGiven ? analysisWorkspaceIdParts[2] : subscription().subscriptionId, analysisWorkspaceGiven ? analysisWorkspaceIdParts[4] : rg.name)
  params: {
    workspaceName: analysisWorkspaceGiven ? last(analysisWorkspaceIdParts) : ''
    principalId: identity.outputs.principalId
  }
}

// The Entra app registration, for App Service built-in authentication (authEnabled) or for the
// gateway (apimEnabled), whose token check names it. It must exist before the app, whose
// authentication settings name it; so its redirect URI takes the app's host name from the app's
// name rather than from the deployed site.
var entraRegistration = authEnabled || apimEnabled

module entra './app/entra.bicep' = if (entraRegistration) {
  name: 'entra'
  scope: rg
  params: {
    uniqueName: 'remote-mcp-${resourceToken}'
    displayName: 'Remote MCP server (${environmentName})'
    functionAppHostName: '${functionAppName}.azurewebsites.net'
    managedIdentityPrincipalId: identity.outputs.principalId
  }
}

module api './app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.appServicePlan}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    snippetsContainerName: snippetsContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    // `module!.outputs` reads a conditional module; each read sits behind that module's own
    // condition, and ARM evaluates only the branch it takes, so the module is there when read.
    // (Without the `!` the compiler warns that it may not be: https://aka.ms/bicep/core-diagnostics#BCP318.)
    virtualNetworkSubnetId: vnetEnabled ? vnet!.outputs.appSubnetId : ''
    authEnabled: authEnabled
    authClientId: authEnabled ? entra!.outputs.applicationId : ''
    authIdentifierUri: authEnabled ? entra!.outputs.identifierUri : ''
    authTenantId: tenant().tenantId
    contentUnderstandingEndpoint: !empty(contentUnderstandingEndpoint) ? contentUnderstandingEndpoint : (!empty(contentUnderstandingResourceId) ? contentUnderstandingAccess!.outputs.endpoint : '')
    contentUnderstandingAnalyzerId: contentUnderstandingAnalyzerId
  }
  // The host starts as soon as the site exists and reaches storage with the identity: granting the
  // roles first spares it a first start full of 403s.
  dependsOn: [
    rbac
  ]
}

// Only with apimEnabled, once the app exists: the gateway reads the app's host name and keys. The
// app keeps its own key requirement; the gateway holds the key.
module gateway './app/gateway/apim.bicep' = if (apimEnabled) {
  name: 'gateway'
  scope: rg
  params: {
    name: '${abbrs.apiManagement}${resourceToken}'
    location: location
    tags: tags
    sku: apimSku
    functionAppName: api.outputs.name
    projectKind: 'functionsMcpExtension'
    entraApplicationId: apimEnabled ? entra!.outputs.applicationId : ''
    entraIdentifierUri: apimEnabled ? entra!.outputs.identifierUri : ''
  }
}

// Read by azd (`azd env get-values`) and by the VS Code extension.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_DEFAULT_HOSTNAME string = api.outputs.defaultHostName
output SERVICE_API_RESOURCE_ID string = api.outputs.id
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
// Microsoft Entra authentication: AUTH_ENABLED says whether App Service built-in authentication guards
// the app itself; the app registration VS Code signs in to is there with it or with the gateway, '' otherwise.
output AUTH_ENABLED bool = authEnabled
output ENTRA_APPLICATION_ID string = entraRegistration ? entra!.outputs.applicationId : ''
output ENTRA_IDENTIFIER_URI string = entraRegistration ? entra!.outputs.identifierUri : ''
// The API Management gateway (APIM_ENABLED): its MCP URL, or '' when off.
output APIM_ENABLED bool = apimEnabled
output SERVICE_MCP_GATEWAY_URL string = apimEnabled ? gateway!.outputs.mcpUrl : ''
