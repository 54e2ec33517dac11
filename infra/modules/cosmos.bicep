// Cosmos DB for NoSQL: the account, the database and every container the code uses, each with its partition key,
// an indexing policy limited to the paths its queries use, its unique keys and its TTL.
param location string
param tags object
param accountName string
param databaseName string

@allowed(['serverless', 'provisioned'])
@description('Serverless (pay per request unit) by default; provisioned uses database-level autoscale.')
param capacityMode string = 'serverless'

@description('Autoscale maximum RU/s for the database when capacityMode is provisioned.')
@minValue(1000)
param autoscaleMaxThroughput int = 1000

@description('Containers: name, partitionKey, and optionally uniqueKeys (paths), defaultTtl (-1 = per-item TTL), includedPaths, compositeIndexes.')
param containers array

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      { locationName: location, failoverPriority: 0, isZoneRedundant: false }
    ]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    capabilities: capacityMode == 'serverless' ? [ { name: 'EnableServerless' } ] : []
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: { id: databaseName }
    options: capacityMode == 'provisioned' ? { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } } : {}
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [for container in containers: {
  parent: database
  name: container.name
  properties: {
    resource: {
      id: container.name
      partitionKey: { paths: [ container.partitionKey ], kind: 'Hash', version: 2 }
      defaultTtl: container.?defaultTtl
      uniqueKeyPolicy: { uniqueKeys: [for path in container.?uniqueKeys ?? []: { paths: [ path ] }] }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [for path in container.?includedPaths ?? []: { path: path }]
        excludedPaths: [ { path: '/*' } ]
        compositeIndexes: container.?compositeIndexes ?? []
      }
    }
  }
}]

output accountName string = account.name
output endpoint string = account.properties.documentEndpoint
