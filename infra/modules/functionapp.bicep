// The Function App on the Flex Consumption plan (.NET 10 isolated worker). It signs in to every service with its
// user-assigned identity: the settings carry endpoints and the identity's client id, never keys or connection strings.
param location string
param tags object
param planName string
param appName string
param identityId string
param identityClientId string
param storageAccountName string
param storageBlobEndpoint string
param deploymentContainerName string
param appInsightsConnectionString string
param cosmosEndpoint string
param cosmosDatabaseName string
param maximumInstanceCount int = 100
param instanceMemoryMB int = 2048

@description('The console sign-in: the client id of a Microsoft Entra ID app registration; empty leaves the platform sign-in off.')
param authClientId string = ''

@description('The Entra ID tenant of that app registration.')
param authTenantId string = subscription().tenantId

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: instanceMemoryMB }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        // DefaultAzureCredential picks the user-assigned identity by this id.
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        { name: 'Interflow__Store', value: 'cosmos' }
        { name: 'Interflow__Cosmos__Endpoint', value: cosmosEndpoint }
        { name: 'Interflow__Cosmos__Database', value: cosmosDatabaseName }
        { name: 'Interflow__ApiKeyCacheSeconds', value: '30' }
        { name: 'Interflow__ChannelCacheSeconds', value: '60' }
        { name: 'Interflow__Outbound__MaxAttempts', value: '8' }
        { name: 'Interflow__Outbound__BaseDelay', value: '00:00:05' }
        { name: 'Interflow__Outbound__MaxDelay', value: '00:15:00' }
        { name: 'Interflow__Outbound__Lease', value: '00:01:00' }
        { name: 'Interflow__SendGroups__MaxBlock', value: '100' }
        { name: 'Interflow__SendGroups__Window', value: '00:00:00.005' }
        { name: 'Interflow__Sandbox__DeliveredAfter', value: '00:00:02' }
        { name: 'Interflow__Sandbox__ReadAfter', value: '00:00:05' }
        { name: 'Interflow__WhatsApp__GraphBaseUrl', value: 'https://graph.facebook.com/v21.0/' }
        { name: 'Interflow__Webhooks__RetrySchedule', value: '00:00:05,00:05:00,00:30:00,02:00:00,05:00:00,10:00:00,10:00:00' }
        { name: 'Interflow__Webhooks__Timeout', value: '00:00:10' }
        { name: 'Interflow__Events__SweepAge', value: '00:00:30' }
        { name: 'Interflow__Queues__PoisonPasses', value: '00:01:00,00:10:00,01:00:00' }
        { name: 'Interflow__Bulk__StallAfter', value: '00:02:00' }
        // Sampling that never drops a failure: the share of traces without one that are exported (1: all).
        { name: 'Interflow__Telemetry__SuccessSampleRatio', value: '1' }
      ]
    }
  }
}

// App Service built-in authentication (Easy Auth) for the console only: everything else stays anonymous at the
// platform and keeps its own authentication (API keys, Meta's signature, function keys). With it on, App Service sets
// WEBSITE_AUTH_ENABLED, and the app believes X-MS-CLIENT-PRINCIPAL, which the platform strips from callers' requests.
// ID tokens only (no client secret): the app registration needs ID tokens enabled and the redirect URI
// https://<app>.azurewebsites.net/.auth/login/aad/callback.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(authClientId)) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: ['/v1', '/hooks', '/docs', '/manage', '/runtime', '/admin']
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: { allowedAudiences: [authClientId, 'api://${authClientId}'] }
      }
    }
    login: { tokenStore: { enabled: true } }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
