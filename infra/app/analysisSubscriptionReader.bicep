// Only with analysisSubscriptionReader: the Reader role on the subscription azd deploys to, for the
// app's identity. Resource Graph returns only resources its caller may read, so without this
// GetServerMetadata, GetSqlMetadata and GetPatchingLevel find nothing. Other subscriptions the
// tools should see need the same assignment made there (README, "Infrastructure analysis").
targetScope = 'subscription'

@description('Object (principal) id of the identity the function app runs as.')
param principalId string

// Built-in "Reader" (the same id in every tenant): read every resource, change none.
var readerRoleId = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'

// guid() of scope, principal and role: provisioning again finds the same assignment.
resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, readerRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', readerRoleId)
    principalId: principalId
    // Stating the type avoids failures while a just-created identity replicates through Entra ID.
    principalType: 'ServicePrincipal'
  }
}
