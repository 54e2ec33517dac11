using './main.bicep'

param environmentName = 'dev'
param cosmosCapacityMode = 'serverless'
param maximumInstanceCount = 40
param alertEmail = readEnvironmentVariable('INTERFLOW_ALERT_EMAIL', '')
param authClientId = readEnvironmentVariable('INTERFLOW_AUTH_CLIENT_ID', '')
