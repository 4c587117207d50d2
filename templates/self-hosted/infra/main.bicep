// What `azd provision` (and `azd up`) creates for this MCP server: a resource group holding a Flex
// Consumption function app that runs the server as a custom handler, with its storage, managed
// identity and monitoring.
// #if entra
// Microsoft Entra built-in authentication guards the server: VS Code signs in through the protected
// resource metadata the app serves, so no key is ever handed out.
// #endif
// #if functionKey
// Callers send the app's `default` function key (host.json: DefaultAuthorizationLevel `function`).
// #endif
// With APIM_ENABLED=true (`azd env set APIM_ENABLED true`, then `azd provision`), an API Management
// gateway stands in front of the server (app/gateway/apim.bicep and its policy files): VS Code signs in
// with Microsoft Entra at the gateway, which calls the server with its key.
//
// Modelled on the public samples https://github.com/Azure-Samples/mcp-sdk-functions-hosting-node and
// https://github.com/Azure-Samples/mcp-sdk-functions-hosting-python (infra/main.bicep). azd saves the
// outputs at the bottom into .azure/<environment>/.env, where the VS Code extension reads them.
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

@description('Object id of the person running azd (azd fills in AZURE_PRINCIPAL_ID): they get data access to the storage account, to debug with their own sign-in. Empty: no assignment.')
param principalId string = ''

@minLength(1)
@maxLength(24)
@description('Short name of the project: part of the function app\'s name, so it is easy to find in the portal.')
param projectName string

@allowed([
  'node'
  'python'
])
@description('The language runtime Flex Consumption starts the custom handler with.')
param runtimeName string

@description('Its version (Flex Consumption supports Node.js 20 and 22, Python 3.10 to 3.13). Set FUNCTIONS_RUNTIME_VERSION in the azd environment to change it.')
param runtimeVersion string

@description('Use this resource group name instead of rg-<environmentName>.')
param resourceGroupName string = ''

@description('Put an API Management gateway in front of the function app (app/gateway/apim.bicep): the public door that checks Microsoft Entra tokens, serves the Protected Resource Metadata VS Code signs in from, and calls the app with its key, so no client holds one. Turn it on with `azd env set APIM_ENABLED true` and `azd provision`. Off by default: the gateway is billed by the month whatever the traffic.')
param apimEnabled bool = false

@allowed([
  'Developer'
  'BasicV2'
  'StandardV2'
])
@description('Pricing tier of that gateway (APIM_SKU). Basic v2 is the smallest with the event streams MCP uses, a managed identity and an SLA, created in minutes; Developer has no SLA and takes 30 to 45 minutes to create.')
param apimSku string = 'BasicV2'

// The same subscription, environment and region always give the same names, so provisioning again
// updates the resources in place.
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-${projectName}-${resourceToken}'
// Flex Consumption deploys from a blob container: 12 + 32 + 1 + 7 characters stay within the
// 63-character limit of a container name.
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity './app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${projectName}-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring './app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage './app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
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

// #if entra
// Microsoft Entra built-in authentication guards the app (chosen when these files were added).
var builtInAuthentication = true
// #endif
// #if functionKey
// The app asks for its key, without built-in authentication (chosen when these files were added).
var builtInAuthentication = false
// #endif

// The app registration VS Code signs in to, for built-in authentication or for the gateway, whose
// token check names it. It must exist before the app, whose authentication names it, so its redirect
// URI takes the host name from the app's name rather than from the deployed site.
var entraRegistration = builtInAuthentication || apimEnabled

module entra './app/entra.bicep' = if (entraRegistration) {
  name: 'entra'
  scope: rg
  params: {
    uniqueName: '${projectName}-${resourceToken}'
    displayName: '${projectName} MCP server (${environmentName})'
    functionAppHostName: '${functionAppName}.azurewebsites.net'
    managedIdentityPrincipalId: identity.outputs.principalId
  }
}

module api './app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    runtimeName: runtimeName
    runtimeVersion: runtimeVersion
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    // #if entra
    // `entra!`: the module is conditional, but always deployed with built-in authentication on.
    authClientId: entraRegistration ? entra!.outputs.applicationId : ''
    authIdentifierUri: entraRegistration ? entra!.outputs.identifierUri : ''
    authTenantId: tenant().tenantId
    // #endif
  }
  // The host starts as soon as the site exists and reaches storage as the identity: granting the
  // roles first spares it a first start full of 403s.
  dependsOn: [
    rbac
  ]
}

// Only with APIM_ENABLED, once the app exists: the gateway reads the app's host name and keys. The
// app keeps its own authentication; the gateway holds its key, so no client needs one.
module gateway './app/gateway/apim.bicep' = if (apimEnabled) {
  name: 'gateway'
  scope: rg
  params: {
    name: 'apim-${resourceToken}'
    location: location
    tags: tags
    sku: apimSku
    functionAppName: api.outputs.name
    projectKind: 'selfHosted'
    entraApplicationId: apimEnabled ? entra!.outputs.applicationId : ''
    entraIdentifierUri: apimEnabled ? entra!.outputs.identifierUri : ''
  }
}

// Read by azd and by the VS Code extension (`azd env get-values`). azd sets AZURE_LOCATION and
// AZURE_SUBSCRIPTION_ID itself when the environment is created; they are output too, so the
// environment describes the deployment even when it was filled in another way. No output holds a key.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_SUBSCRIPTION_ID string = subscription().subscriptionId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_DEFAULT_HOSTNAME string = api.outputs.defaultHostName
output SERVICE_API_RESOURCE_ID string = api.outputs.id
// The custom handler's MCP endpoint: the server's own /mcp route, which the Functions host forwards.
output SERVICE_API_MCP_URL string = 'https://${api.outputs.defaultHostName}/mcp'
// Built-in authentication on the app (AUTH_ENABLED); without it, clients of the app itself send its key
// as x-functions-key. The app registration VS Code signs in to, and whose user_impersonation scope
// it asks for, is there with built-in authentication or with the gateway, '' otherwise.
output AUTH_ENABLED bool = builtInAuthentication
output ENTRA_APPLICATION_ID string = entraRegistration ? entra!.outputs.applicationId : ''
output ENTRA_IDENTIFIER_URI string = entraRegistration ? entra!.outputs.identifierUri : ''
// The API Management gateway (APIM_ENABLED): its MCP URL, or '' when off.
output APIM_ENABLED bool = apimEnabled
output SERVICE_MCP_GATEWAY_URL string = apimEnabled ? gateway!.outputs.mcpUrl : ''
