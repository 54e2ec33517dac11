using './main.bicep'

param environmentName = 'prod'
param cosmosCapacityMode = 'provisioned'
param cosmosAutoscaleMaxThroughput = 4000
param maximumInstanceCount = 200
param alertEmail = readEnvironmentVariable('INTERFLOW_ALERT_EMAIL', '')
param authClientId = readEnvironmentVariable('INTERFLOW_AUTH_CLIENT_ID', '')
