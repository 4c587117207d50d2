// Role assignments. The app holds no key or connection string: it reaches storage and Application
// Insights as its managed identity, so these roles are what lets it start, deploy and log.
param storageAccountName string
param applicationInsightsName string
param managedIdentityPrincipalId string

@description('Object id of the person running azd; empty to skip.')
param userPrincipalId string = ''

// Built-in role definition ids, the same in every tenant
// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var storageRoles = [
  // Storage Blob Data Owner: the deployment package and the host's blob leases.
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // Storage Queue Data Contributor: the host's own queues, and the queues the Functions MCP
  // extension carries legacy SSE messages through between instances.
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Storage Table Data Contributor: the host's own tables.
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
]
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Named by guid(scope, principal, role): provisioning again finds the same assignment instead of
// failing with RoleAssignmentExists.
resource identityStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    name: guid(storage.id, managedIdentityPrincipalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: managedIdentityPrincipalId
      // Stating the type avoids failures while a new identity replicates through Entra ID.
      principalType: 'ServicePrincipal'
    }
  }
]

resource identityMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, managedIdentityPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// No principalType: whoever runs azd may be a user or, in CI, a service principal.
resource userStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: if (!empty(userPrincipalId)) {
    name: guid(storage.id, userPrincipalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: userPrincipalId
    }
  }
]
