// The MCP server itself: a Flex Consumption plan and the function app azd deploys ./server into.
// azd finds the app by its `azd-service-name` tag, which must match the service key in azure.yaml.
param name string
param planName string
param location string
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity; the Functions host and the snippet store select it by this id.')
param identityClientId string

param storageAccountName string
param deploymentContainerName string
param snippetsContainerName string
param applicationInsightsName string

@description('Subnet (delegated to Microsoft.App/environments) to join; empty for no virtual network.')
param virtualNetworkSubnetId string = ''

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Flex Consumption: scale to zero, per-instance memory sizes, virtual network support. It is Linux
// only, hence reserved: true.
resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    // Flex Consumption takes runtime, scaling and deployment source from here rather than from
    // FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION app settings, which it rejects.
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          // Read with the app's identity: the storage account has shared keys disabled.
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'node'
        // The server's bundle targets Node 20.19+ (server/package.json engines); 22 is the current LTS on Flex.
        version: '22'
      }
      scaleAndConcurrency: {
        instanceMemoryMB: 2048
        maximumInstanceCount: 100
      }
    }
  }

  // The whole app-settings set: provisioning again replaces it with exactly these values.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Identity-based AzureWebJobsStorage: no connection string or key anywhere. The snippet store
      // reads the same variables (server/src/snippets/storageConnection.ts).
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      SNIPPETS_CONTAINER: snippetsContainerName
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      // Application Insights has local authentication disabled: telemetry is sent with an Entra
      // token for this identity.
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output id string = site.id
