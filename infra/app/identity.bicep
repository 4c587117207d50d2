// The user-assigned managed identity the function app runs as. It is created before the app so its
// roles on storage and Application Insights can be granted before the Functions host first starts,
// and it outlives re-creations of the site, keeping those role assignments valid.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
// The Functions host and the snippet store pick this identity by client id (AzureWebJobsStorage__clientId).
output clientId string = identity.properties.clientId
// Role assignments are made to the principal (object) id.
output principalId string = identity.properties.principalId
