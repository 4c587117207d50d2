// analyze_invoice signs in to Azure AI Content Understanding as the app's identity, so the app holds
// no API key: this grants that identity the data-plane role on the Microsoft Foundry resource. It is
// deployed into the resource group that holds the resource, which need not be the app's.
param accountName string
param managedIdentityPrincipalId string

// Built-in role definition id (the same in every tenant): data-plane use of Cognitive Services
// accounts, Content Understanding's analyze calls among them.
var cognitiveServicesUser = 'a97b65f3-24c7-4388-baec-2e87135dc908'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: accountName
}

// guid() of scope, principal and role: the same assignment on every provision (no RoleAssignmentExists).
resource identityCognitiveServicesUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, managedIdentityPrincipalId, cognitiveServicesUser)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesUser)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The resource's own endpoint, for when only its resource id was given.
output endpoint string = account.properties.endpoint
