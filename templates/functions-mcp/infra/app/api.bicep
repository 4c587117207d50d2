// The Functions MCP app: a Flex Consumption plan and the function app azd deploys the project into.
// The Functions MCP extension (loaded from the extension bundle host.json names) serves the app's MCP
// triggers at /runtime/webhooks/mcp; azd finds the app by its `azd-service-name` tag, which matches
// the service in azure.yaml. Modelled on infra/app/api.bicep of
// https://github.com/Azure-Samples/remote-mcp-functions-typescript and its .NET, Python and Java twins.
param name string
param planName string
param location string
param tags object

@allowed([
  'node'
  'python'
  'dotnet-isolated'
  'java'
])
param runtimeName string
param runtimeVersion string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity; the Functions host selects it by this id.')
param identityClientId string

param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
// #if entra

@description('Application (client) id of the Entra app registration that guards the app.')
param authClientId string

@description('Identifier URI of that registration (api://...): the audience tokens are issued for.')
param authIdentifierUri string

@description('The Entra tenant of the registration and of the users who sign in.')
param authTenantId string

// VS Code's own client id (its built-in Microsoft authentication provider): it asks for the tokens,
// so it must be an allowed application.
var vscodeClientId = 'aebc6443-996d-45c2-90f0-388ff96faa56'
// #endif

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Flex Consumption: scale to zero and per-instance memory sizes. It runs on Linux only, hence reserved.
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
// #if entra

var authAppSettings = {
  // App Service serves /.well-known/oauth-protected-resource naming this scope (preview): that is how
  // VS Code learns where to sign in and what to ask for.
  WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES: '${authIdentifierUri}/user_impersonation'
  // The identity that signs in as the app registration, through its federated credential (entra.bicep).
  OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID: identityClientId
  WEBSITE_AUTH_AAD_ALLOWED_TENANTS: authTenantId
  // host.json's extensions.mcp.system.webhookAuthorizationLevel, overridden: with Entra in front, the
  // MCP webhook must stop asking for the system key too, or valid tokens still get 403. The user's
  // host.json stays as it is.
  AzureFunctionsJobHost__extensions__mcp__system__webhookAuthorizationLevel: 'Anonymous'
}
// #endif
// #if systemKey

// Nothing to add: the MCP webhook asks for the system key, as host.json's default says.
var authAppSettings = {}
// #endif

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
    siteConfig: {
      minTlsVersion: '1.2'
    }
    // Flex Consumption takes the runtime, scaling and package source from here, not from the
    // FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION app settings, which it rejects.
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          // Read as the app's identity: the storage account has shared keys disabled.
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
      scaleAndConcurrency: {
        instanceMemoryMB: 2048
        maximumInstanceCount: 100
      }
    }
  }

  // The whole set of app settings: provisioning again replaces it with exactly these values.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union({
      // Identity-based AzureWebJobsStorage: no connection string or key anywhere. The MCP extension
      // keeps legacy SSE sessions in its queues, and blob bindings that name AzureWebJobsStorage use
      // the same identity.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      // Not a secret with local authentication off: telemetry is accepted only with the identity's token.
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    }, authAppSettings)
  }
}
// #if entra

// Built-in authentication ("Easy Auth"), as the public samples set it up: every request needs a token
// for the registration, issued to the registration itself or to VS Code, and anything else gets a 401
// whose WWW-Authenticate points at the protected resource metadata.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: true
      // An MCP client needs the 401 (and its challenge) to start signing in, not a redirect.
      unauthenticatedClientAction: 'Return401'
      redirectToProvider: 'azureactivedirectory'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
          clientId: authClientId
          // Not a secret: names the app setting that holds the managed identity's client id.
          clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'
        }
        validation: {
          allowedAudiences: [
            authIdentifierUri
          ]
          defaultAuthorizationPolicy: {
            allowedApplications: [
              authClientId
              vscodeClientId
            ]
          }
        }
      }
    }
    login: {
      tokenStore: {
        enabled: true
      }
    }
    httpSettings: {
      requireHttps: true
      routes: {
        apiPrefix: '/.auth'
      }
    }
  }
  // The setting it names (OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID) comes first.
  dependsOn: [
    site::appSettings
  ]
}
// #endif

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output id string = site.id
