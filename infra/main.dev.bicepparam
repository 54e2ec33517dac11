using './main.bicep'

param environmentName = 'dev'
param cosmosCapacityMode = 'serverless'
param maximumInstanceCount = 40
