// Key Vault for provider secrets (WhatsApp access tokens, app secrets), with Azure RBAC instead of access policies.
param location string
param tags object
param name string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

output name string = vault.name
output id string = vault.id
output uri string = vault.properties.vaultUri
