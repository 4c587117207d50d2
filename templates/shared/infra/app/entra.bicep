// The Microsoft Entra app registration that guards the MCP server. VS Code signs the user in with its
// own client id and asks for this registration's user_impersonation scope; App Service built-in
// authentication (api.bicep, authsettingsV2) checks the token. Modelled on infra/app/entra.bicep of
// https://github.com/Azure-Samples/mcp-sdk-functions-hosting-node.
//
// Entra objects are not ARM resources: they come from the Microsoft Graph Bicep extension
// (bicepconfig.json), and are written as whoever runs `azd provision`, who must be allowed to create
// app registrations in the tenant.
extension microsoftGraphV1

@description('Tenant-wide unique key of the registration: provisioning again updates the same registration instead of creating another.')
param uniqueName string

@description('Name shown in the Entra admin center and on consent screens.')
param displayName string

@description('Host name of the function app; the built-in authentication sign-in callback lives under it.')
param functionAppHostName string

@description('Principal (object) id of the managed identity the app runs as: through a federated credential it stands in for a client secret, so the registration has none.')
param managedIdentityPrincipalId string

// VS Code shows no consent prompt when it signs in for an MCP server, so its client id must be
// pre-authorised for the scope.
var vscodeClientId = 'aebc6443-996d-45c2-90f0-388ff96faa56'

// api://<tenant id>/<name> needs no verified domain and, unlike api://<app id>, is known before the
// registration exists (https://learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions).
var identifierUri = 'api://${tenant().tenantId}/${uniqueName}'

// The same on every provision: a new id would be a new scope, and consents given to the old one lost.
var userImpersonationScopeId = guid(tenant().tenantId, uniqueName, 'user_impersonation')

resource application 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: uniqueName
  displayName: displayName
  signInAudience: 'AzureADMyOrg'
  identifierUris: [
    identifierUri
  ]
  api: {
    // v2 tokens, whose issuer is the one authsettingsV2 names.
    requestedAccessTokenVersion: 2
    oauth2PermissionScopes: [
      {
        id: userImpersonationScopeId
        value: 'user_impersonation'
        type: 'User'
        isEnabled: true
        adminConsentDisplayName: 'Use ${displayName}'
        adminConsentDescription: 'Lets the application call the tools of ${displayName} as the signed-in user.'
        userConsentDisplayName: 'Use ${displayName}'
        userConsentDescription: 'Lets the application call the tools of ${displayName} for you.'
      }
    ]
    preAuthorizedApplications: [
      {
        appId: vscodeClientId
        delegatedPermissionIds: [
          userImpersonationScopeId
        ]
      }
    ]
  }
  web: {
    // Built-in authentication's browser sign-in (/.auth/login/aad) returns here.
    redirectUris: [
      'https://${functionAppHostName}/.auth/login/aad/callback'
    ]
  }
}

// The app's managed identity signs in as this registration (App Service reads its client id from
// OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID, which authsettingsV2 names as the "client secret" setting).
resource managedIdentityCredential 'Microsoft.Graph/applications/federatedIdentityCredentials@v1.0' = {
  name: '${application.uniqueName}/function-app-identity'
  description: 'The managed identity of the function app, in place of a client secret.'
  issuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
  subject: managedIdentityPrincipalId
  audiences: [
    'api://AzureADTokenExchange'
  ]
}

// Entra issues tokens for an application only once the tenant has its service principal.
resource servicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: application.appId
}

output applicationId string = application.appId
output identifierUri string = identifierUri
