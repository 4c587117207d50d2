// The MCP server itself: a Flex Consumption plan and the function app azd deploys ./server into.
// azd finds the app by its `azd-service-name` tag, which must match the service key in azure.yaml.
param name string
param planName string
param location string
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity; the Functions host and the snippet store select it by this id.')
param identityClientId string

param storageAccountName string
param deploymentContainerName string
param snippetsContainerName string
param applicationInsightsName string

@description('Subnet (delegated to Microsoft.App/environments) to join; empty for no virtual network.')
param virtualNetworkSubnetId string = ''

@description('Require a Microsoft Entra token (App Service built-in authentication) instead of the mcp_extension system key.')
param authEnabled bool = false

@description('With authEnabled: the application (client) id of the Entra app registration that guards the app.')
param authClientId string = ''

@description('With authEnabled: the identifier URI of that registration (api://...), the audience tokens are issued for.')
param authIdentifierUri string = ''

@description('The Entra tenant the registration and the users belong to.')
param authTenantId string = ''

@description('Endpoint of the Azure AI Content Understanding resource analyze_invoice calls; empty when none is set up.')
param contentUnderstandingEndpoint string = ''

@description('The analyzer analyze_invoice uses unless a call names another.')
param contentUnderstandingAnalyzerId string = 'prebuilt-invoice'

// VS Code's client id: it asks for the tokens, so it must be an allowed application.
var vscodeClientId = 'aebc6443-996d-45c2-90f0-388ff96faa56'

// Settings the Entra mode adds to the app; with auth off they are left out, and since provisioning
// replaces the whole set, provisioning with auth off removes them again.
// (Ternaries stay on one line apart from the objects' own braces: older Bicep reads a line break
// before `?` or `:` as the end of the expression.)
var authAppSettings = authEnabled ? {
  // App Service serves /.well-known/oauth-protected-resource naming this scope (preview), which is
  // how VS Code finds out where to sign in.
  WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES: '${authIdentifierUri}/user_impersonation'
  // The identity that signs in as the app registration (its federated credential, entra.bicep).
  OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID: identityClientId
  WEBSITE_AUTH_AAD_ALLOWED_TENANTS: authTenantId
  // host.json's extensions.mcp.system.webhookAuthorizationLevel: with Entra in front, the MCP
  // webhook must stop asking for the system key too, or valid tokens still get 403.
  AzureFunctionsJobHost__extensions__mcp__system__webhookAuthorizationLevel: 'Anonymous'
} : {}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Flex Consumption: scale to zero, per-instance memory sizes, virtual network support. It is Linux
// only, hence reserved: true.
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
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    // Flex Consumption takes runtime, scaling and deployment source from here rather than from
    // FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION app settings, which it rejects.
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          // Read with the app's identity: the storage account has shared keys disabled.
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'node'
        // The server's bundle targets Node 20.19+ (server/package.json engines); 22 is the current LTS on Flex.
        version: '22'
      }
      scaleAndConcurrency: {
        instanceMemoryMB: 2048
        maximumInstanceCount: 100
      }
    }
  }

  // The whole app-settings set: provisioning again replaces it with exactly these values.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union({
      // Identity-based AzureWebJobsStorage: no connection string or key anywhere. The snippet store
      // reads the same variables (server/src/snippets/storageConnection.ts).
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      SNIPPETS_CONTAINER: snippetsContainerName
      // Tools that call Azure (server/src/azure/credential.ts) sign in as this identity (with only a
      // user-assigned identity on the app, the token request must name it), and reach Resource
      // Manager in the cloud the app is deployed to.
      AZURE_CLIENT_ID: identityClientId
      AZURE_RESOURCE_MANAGER_ENDPOINT: environment().resourceManager
      // analyze_invoice (server/src/invoices/invoiceSettings.ts). No API key: it signs in as the identity,
      // which main.bicep grants the Cognitive Services User role. An empty endpoint reads as "not set up".
      CONTENT_UNDERSTANDING_ENDPOINT: contentUnderstandingEndpoint
      CONTENT_UNDERSTANDING_ANALYZER_ID: contentUnderstandingAnalyzerId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      // Application Insights has local authentication disabled: telemetry is sent with an Entra
      // token for this identity.
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    }, authAppSettings)
  }
}

// Built-in authentication ("Easy Auth"). Written in both modes: with auth off it is switched off
// explicitly, so provisioning after AUTH_ENABLED went back to false really turns it off (a config
// resource that is simply left out keeps its last value).
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: authEnabled ? {
    platform: {
      enabled: true
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: true
      // An MCP client needs the 401 (and its WWW-Authenticate) to start signing in, not a redirect.
      unauthenticatedClientAction: 'Return401'
      redirectToProvider: 'azureactivedirectory'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
          clientId: authClientId
          // Not a secret: names the setting holding the managed identity's client id, which signs
          // in through the registration's federated credential.
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
  } : {
    platform: {
      enabled: false
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
  }
  // The settings it refers to (OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID) come first.
  dependsOn: [
    site::appSettings
  ]
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output id string = site.id
