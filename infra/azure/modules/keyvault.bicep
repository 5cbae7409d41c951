// The vault of the département's secrets (RBAC only, no access policies): the NIR pseudonymisation
// secret, the token signing key (when no OIDC authority signs the tokens) and the secret of the
// per-ESMS references. The service's identity may read secrets, nothing else.
@description('Azure region.')
param location string

@description('Key Vault name (3 to 24 letters, digits and dashes, unique in Azure).')
@minLength(3)
@maxLength(24)
param vaultName string

@description('Enabled: the vault answers on the internet (still only to Entra ID principals with a role). Disabled: only through a private endpoint (not created by these templates).')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

@description('Name of the service\'s user-assigned managed identity (identity.bicep), in this resource group.')
param identityName string

@description('Secret values to write now, by secret name; empty values are skipped so that a later deployment never overwrites a secret (the NIR secret must never change).')
@secure()
param initialSecrets object

@description('Names of the secrets the service reads.')
param secretNames array

param tags object

// Built-in role "Key Vault Secrets User": read secret values.
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
    }
  }
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for name in secretNames: if (!empty(initialSecrets[?name] ?? '')) {
    parent: vault
    name: name
    properties: {
      value: initialSecrets[name]
      contentType: 'base64'
    }
  }
]

resource secretsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityName, keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    description: 'Listes360: the service reads the département\'s secrets (NIR, token signing, ESMS references).'
  }
}

output vaultName string = vault.name
output vaultUri string = vault.properties.vaultUri
