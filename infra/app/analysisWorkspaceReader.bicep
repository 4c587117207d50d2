// Only with logAnalyticsWorkspaceResourceId: the "Log Analytics Reader" role on that workspace, for
// the app's identity, so GetSqlBpAssessment and GetAnomalies may query it. Deployed to the
// workspace's own resource group, which may be in another subscription than the app.
@description('Name of the Log Analytics workspace, in the resource group this module is deployed to.')
param workspaceName string

@description('Object (principal) id of the identity the function app runs as.')
param principalId string

// Built-in "Log Analytics Reader" (the same id in every tenant): query the workspace's data.
var logAnalyticsReaderRoleId = '73c42c96-874c-492b-b04d-ab87d138a893'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource workspaceReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, principalId, logAnalyticsReaderRoleId)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReaderRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
