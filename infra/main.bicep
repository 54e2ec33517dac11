// Interflow Functions on Azure: a Flex Consumption Function App (.NET 10 isolated) with Cosmos DB for NoSQL, a
// storage account (host, queues, Durable Task hub), Application Insights, Key Vault and a user-assigned identity
// holding every data-plane role. Every name derives from one token so that environments never collide.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(20)
@description('Environment name (dev, prod, …); part of every resource name.')
param environmentName string

param location string = resourceGroup().location

@allowed(['serverless', 'provisioned'])
param cosmosCapacityMode string = 'serverless'

@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@minValue(1)
param maximumInstanceCount int = 100

@description('Who the alerts e-mail (infra/monitoring/alerts.json); empty: they fire in the portal only.')
param alertEmail string = ''

@description('The console sign-in: the client id of a Microsoft Entra ID app registration (ID tokens); empty leaves it off.')
param authClientId string = ''

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName, application: 'interflow-functions' }
var deploymentContainerName = 'app-package-${resourceToken}'
var cosmosDatabaseName = 'interflow'

// Every queue of src/Interflow.Infrastructure/Queues/QueueNames.cs; a test keeps the two in step.
var queueNames = [
  'bulk-jobs'
  'bulk-jobs-poison'
  'bulk-chunks'
  'bulk-chunks-poison'
  'outbound'
  'outbound-poison'
  'provider-statuses'
  'provider-statuses-poison'
  'webhook-events'
  'webhook-events-poison'
  'webhook-deliveries'
  'webhook-deliveries-poison'
  'webhook-probes'
  'webhook-probes-poison'
]

// Every container of src/Interflow.Infrastructure/Cosmos/CosmosContainers.cs; a test keeps the two in step.
var cosmosContainers = [
  {
    name: 'accounts'
    partitionKey: '/id'
  }
  {
    name: 'apiKeys'
    partitionKey: '/id'
    includedPaths: ['/accountId/?', '/createdAt/?']
  }
  {
    name: 'customers'
    partitionKey: '/tenantId'
    uniqueKeys: ['/emailKey', '/phoneKey']
    includedPaths: ['/tenantId/?', '/emailKey/?', '/phone/?', '/searchText/?', '/tags/[]/?', '/createdAt/?', '/id/?', '/hasOutbox/?', '/updatedAt/?']
    compositeIndexes: [
      [
        { path: '/createdAt', order: 'descending' }
        { path: '/id', order: 'descending' }
      ]
    ]
  }
  {
    name: 'channels'
    partitionKey: '/id'
    includedPaths: ['/tenantId/?', '/createdAt/?', '/id/?']
    compositeIndexes: [
      [
        { path: '/createdAt', order: 'descending' }
        { path: '/id', order: 'descending' }
      ]
    ]
  }
  {
    name: 'chats'
    partitionKey: '/tenantId'
    uniqueKeys: ['/openKey']
    includedPaths: ['/tenantId/?', '/openKey/?', '/status/?', '/channelId/?', '/customerId/?', '/activityAt/?', '/createdAt/?', '/id/?', '/hasOutbox/?', '/updatedAt/?']
    compositeIndexes: [
      [
        { path: '/activityAt', order: 'descending' }
        { path: '/id', order: 'descending' }
      ]
      [
        { path: '/createdAt', order: 'descending' }
        { path: '/id', order: 'descending' }
      ]
    ]
  }
  {
    name: 'messages'
    partitionKey: '/tenantId'
    includedPaths: ['/tenantId/?', '/chatId/?', '/channelId/?', '/providerMessageId/?', '/createdAt/?', '/id/?', '/hasOutbox/?', '/updatedAt/?']
    compositeIndexes: [
      [
        { path: '/createdAt', order: 'ascending' }
        { path: '/id', order: 'ascending' }
      ]
      [
        { path: '/createdAt', order: 'descending' }
        { path: '/id', order: 'descending' }
      ]
    ]
  }
  {
    name: 'events'
    partitionKey: '/tenantId'
    includedPaths: ['/tenantId/?', '/createdAt/?']
  }
  {
    name: 'webhooks'
    partitionKey: '/tenantId'
    includedPaths: ['/tenantId/?', '/createdAt/?']
  }
  {
    name: 'webhookDeliveries'
    partitionKey: '/tenantId'
    includedPaths: ['/tenantId/?', '/endpointId/?', '/createdAt/?', '/id/?', '/waiting/?']
    compositeIndexes: [
      [
        { path: '/createdAt', order: 'descending' }
        { path: '/id', order: 'descending' }
      ]
    ]
  }
  {
    name: 'bulk'
    partitionKey: '/tenantId'
    includedPaths: ['/tenantId/?', '/kind/?', '/jobId/?', '/hasOutbox/?', '/updatedAt/?']
  }
  {
    name: 'idempotency'
    partitionKey: '/id'
    defaultTtl: -1
  }
  {
    name: 'rateLimits'
    partitionKey: '/id'
    defaultTtl: -1
  }
  {
    name: 'keyActivity'
    partitionKey: '/accountId'
    includedPaths: ['/accountId/?', '/at/?']
  }
  {
    name: 'members'
    partitionKey: '/accountId'
    uniqueKeys: ['/identityKey']
    includedPaths: ['/accountId/?', '/identityKey/?']
  }
  {
    name: 'consoleSessions'
    partitionKey: '/id'
    defaultTtl: -1
  }
]

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { location: location, tags: tags, name: 'id-interflow-${resourceToken}' }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: 'log-interflow-${resourceToken}'
    appInsightsName: 'appi-interflow-${resourceToken}'
  }
}

module observability 'modules/observability.bicep' = {
  name: 'observability'
  params: {
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    namePrefix: 'interflow-${resourceToken}'
    alertEmail: alertEmail
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    name: 'stinterflow${resourceToken}'
    queueNames: queueNames
    deploymentContainerName: deploymentContainerName
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    location: location
    tags: tags
    accountName: 'cosmos-interflow-${resourceToken}'
    databaseName: cosmosDatabaseName
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    containers: cosmosContainers
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: { location: location, tags: tags, name: 'kv-if-${resourceToken}' }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    cosmosAccountName: cosmos.outputs.accountName
    keyVaultName: keyVault.outputs.name
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  dependsOn: [rbac]
  params: {
    location: location
    tags: tags
    planName: 'plan-interflow-${resourceToken}'
    appName: 'func-interflow-${resourceToken}'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmosDatabaseName
    maximumInstanceCount: maximumInstanceCount
    authClientId: authClientId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = subscription().tenantId
output SERVICE_API_NAME string = functionApp.outputs.name
output API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/v1'
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output WORKBOOK_ID string = observability.outputs.workbookId
