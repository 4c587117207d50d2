// The storage account behind the function app: the Functions host's own state (AzureWebJobsStorage),
// the blob container Flex Consumption deploys the app package from, the queues the MCP extension's
// SSE transport uses as its backplane between instances, and the container the snippet tools write to.
param name string
param location string
param tags object
param deploymentContainerName string
param snippetsContainerName string

@description('Reachable only through private endpoints (see vnet.bicep) instead of the public internet.')
param vnetEnabled bool = false

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    // No account keys: the Functions host, the deployment and the snippet store all authenticate with
    // the app's managed identity (AzureWebJobsStorage__credential=managedidentity), so a key would
    // only be a secret to leak.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    // Snippets are private to the app; nothing is served anonymously.
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    dnsEndpointType: 'Standard'
    publicNetworkAccess: vnetEnabled ? 'Disabled' : 'Enabled'
    // With the virtual network, traffic arrives through private endpoints only. Without it, access is
    // still gated by Entra ID roles, since keys are disabled.
    networkAcls: vnetEnabled ? {
      defaultAction: 'Deny'
      bypass: 'None'
    } : {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// `azd deploy` hands the zip to the app, which stores it here and runs from it.
resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// The snippet store creates its container on first use too; creating it here means the first
// save_snippet call does not depend on that, and the container is visible right after provisioning.
resource snippetsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: snippetsContainerName
  properties: {
    publicAccess: 'None'
  }
}

// The MCP extension's legacy SSE transport passes messages between instances through queues, which
// the host creates itself (Storage Queue Data Contributor in rbac.bicep).
resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
