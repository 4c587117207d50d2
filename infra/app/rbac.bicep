// Role assignments. The function app has no keys or connection strings: everything it reaches, it
// reaches as its managed identity, so these roles are what lets it start, deploy, log and keep snippets.
param storageAccountName string
param applicationInsightsName string
param managedIdentityPrincipalId string

@description('Object id of the person running azd; empty to skip. Lets a local run of the server use this storage account with their own sign-in.')
param userPrincipalId string = ''

// Built-in role definition ids (the same in every tenant).
var roles = {
  // Deployment packages, host state and snippets; Owner because the host manages blob leases and containers.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // The SSE transport backplane and the host's own queues.
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // The host keeps some state in tables (AzureWebJobsStorage__tableServiceUri).
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  // Sending telemetry to an Application Insights component whose local authentication is disabled.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

var identityStorageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// guid() of scope, principal and role: the same assignment gets the same name on every provision,
// so re-running azd is idempotent instead of failing with RoleAssignmentExists.
resource identityStorageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in identityStorageRoles: {
    name: guid(storage.id, managedIdentityPrincipalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: managedIdentityPrincipalId
      // Stating the type avoids failures while a just-created identity replicates through Entra ID.
      principalType: 'ServicePrincipal'
    }
  }
]

resource identityMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, managedIdentityPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// No principalType: the person running azd may be a user or, in CI, a service principal.
resource userBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(storage.id, userPrincipalId, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: userPrincipalId
  }
}
