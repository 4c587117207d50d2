// The user-assigned managed identity the function app runs as. It exists before the app, so its roles
// (rbac.bicep) are in place when the Functions host first starts, and it survives a re-created site.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
// The host selects the identity by client id (AzureWebJobsStorage__clientId).
output clientId string = identity.properties.clientId
// Roles are assigned to the principal (object) id.
output principalId string = identity.properties.principalId
