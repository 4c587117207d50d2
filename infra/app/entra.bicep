// The Microsoft Entra app registration that guards the MCP server when AUTH_ENABLED is on: VS Code
// signs the user in with its own client id and asks for this registration's user_impersonation
// scope; App Service built-in authentication (api.bicep, authsettingsV2) checks the token.
//
// Entra objects are not ARM resources: they come from the Microsoft Graph Bicep extension, declared
// as `microsoftGraphV1` in infra/bicepconfig.json (generally available since July 2025, type version
// br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:1.0.0, Bicep 0.36.1 or later; see
// https://learn.microsoft.com/graph/templates/bicep/whats-new). They are written with the identity of
// whoever runs `azd provision`, who needs the right to create app registrations in the tenant.
extension microsoftGraphV1

@description('Tenant-wide unique key of the app registration (Graph uniqueName): provisioning again updates the same registration instead of creating another. It cannot change once set.')
param uniqueName string

@description('Name shown in the Entra admin center and on consent screens.')
param displayName string

@description('Host name of the function app; the built-in authentication sign-in callback lives under it.')
param functionAppHostName string

@description('Principal (object) id of the user-assigned identity the app runs as. It stands in for a client secret through a federated credential, so the registration has no secret at all.')
param managedIdentityPrincipalId string

// The client id of VS Code itself (its built-in "microsoft" authentication provider). VS Code shows
// no consent prompt when it signs in for an MCP server, so it must be pre-authorised for the scope.
var vscodeClientId = 'aebc6443-996d-45c2-90f0-388ff96faa56'

// api://<tenant id>/<string> is one of the identifier URI forms Entra accepts without a verified
// domain (https://learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions) and, unlike
// api://<app id>, can be written before the app id exists.
var identifierUri = 'api://${tenant().tenantId}/${uniqueName}'

// The same on every provision: a new id would be a new scope, losing the consents given to the old one.
var userImpersonationScopeId = guid(tenant().tenantId, uniqueName, 'user_impersonation')

resource application 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: uniqueName
  displayName: displayName
  signInAudience: 'AzureADMyOrg'
  identifierUris: [
    identifierUri
  ]
  api: {
    // v2 tokens: `aud` is the app id and the issuer is login.microsoftonline.com/<tenant>/v2.0, the
    // issuer the authsettingsV2 registration names.
    requestedAccessTokenVersion: 2
    oauth2PermissionScopes: [
      {
        id: userImpersonationScopeId
        value: 'user_impersonation'
        type: 'User'
        isEnabled: true
        adminConsentDisplayName: 'Use the MCP server ${displayName}'
        adminConsentDescription: 'Lets the application call the tools of the MCP server ${displayName} as the signed-in user.'
        userConsentDisplayName: 'Use the MCP server ${displayName}'
        userConsentDescription: 'Lets the application call the tools of the MCP server ${displayName} for you.'
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
    // Built-in authentication's browser sign-in (`/.auth/login/aad`) returns here.
    redirectUris: [
      'https://${functionAppHostName}/.auth/login/aad/callback'
    ]
  }
}

// The app's managed identity signs in as this registration (App Service reads its client id from
// OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID, named as the "client secret" setting in authsettingsV2).
resource managedIdentityCredential 'Microsoft.Graph/applications/federatedIdentityCredentials@v1.0' = {
  name: '${application.uniqueName}/function-app-identity'
  description: 'The managed identity of the function app, in place of a client secret.'
  issuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
  subject: managedIdentityPrincipalId
  audiences: [
    'api://AzureADTokenExchange'
  ]
}

// Tokens are issued for an application only once the tenant has its service principal.
resource servicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: application.appId
}

output applicationId string = application.appId
output identifierUri string = identifierUri
output userImpersonationScopeId string = userImpersonationScopeId
output servicePrincipalId string = servicePrincipal.id
