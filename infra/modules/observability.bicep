// What an operator watches: an action group that e-mails, the log alerts of infra/monitoring/alerts.json and the
// workbook of infra/monitoring/workbook.json, all over the Log Analytics workspace behind Application Insights.
param location string
param tags object
param workspaceId string
param namePrefix string

@description('Who the alerts e-mail; empty: the alerts fire in the portal only.')
param alertEmail string

var alerts = loadJsonContent('../monitoring/alerts.json').alerts

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${namePrefix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'interflow'
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

resource rules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for alert in alerts: {
  name: '${namePrefix}-${alert.name}'
  location: location
  tags: tags
  properties: {
    displayName: alert.displayName
    description: alert.description
    severity: alert.severity
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT${alert.windowMinutes}M'
    criteria: {
      allOf: [
        {
          query: alert.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, namePrefix, 'workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Interflow: messages, providers, webhooks, bulk and queues'
    category: 'workbook'
    sourceId: workspaceId
    serializedData: string(union(loadJsonContent('../monitoring/workbook.json'), { fallbackResourceIds: [workspaceId] }))
  }
}

output workbookId string = workbook.id
