// The département's storage account: the four tables of the service (grain state, cluster membership,
// reminders, audit) and a blob container for exports (issue 22, point 4). No account key is usable
// (allowSharedKeyAccess false): the service signs in with its managed identity, which gets
// "Storage Table Data Contributor" on the account and "Storage Blob Data Contributor" on the exports.
@description('Azure region.')
param location string

@description('Storage account name (3 to 24 lowercase letters and digits, unique in Azure).')
@minLength(3)
@maxLength(24)
param accountName string

@description('Replication: ZRS keeps three copies across the region\'s zones; GZRS adds a paired region.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Enabled: reachable from the internet (still only with an Entra ID token). Disabled: only through the private endpoints of network.bicep.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

@description('Names of the tables, as the service\'s Storage settings name them.')
param tableNames object

@description('Blob container receiving the exports of the département (listes360 export).')
param exportContainerName string

@description('Days a deleted or overwritten export blob can be recovered (soft delete and versions); point-in-time restore covers one day less.')
@minValue(2)
@maxValue(365)
param exportRetentionDays int

@description('Name of the service\'s user-assigned managed identity (identity.bicep), in this resource group.')
param identityName string

@description('A CanNotDelete lock on the account: the account (and so its tables) cannot be deleted through Azure Resource Manager until the lock is removed.')
param deleteLock bool

param tags object

// Built-in role definitions (same ids in every tenant).
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
      bypass: 'None'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        table: {
          enabled: true
          keyType: 'Account'
        }
        blob: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource grainStateTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: tableNames.grainState
}

resource clusterTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: tableNames.cluster
}

resource remindersTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: tableNames.reminders
}

resource auditTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: tableNames.audit
}

// Tables have neither soft delete nor point-in-time restore; block blobs have both. The exports go there.
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    changeFeed: {
      enabled: true
      retentionInDays: exportRetentionDays
    }
    deleteRetentionPolicy: {
      enabled: true
      days: exportRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: exportRetentionDays
    }
    restorePolicy: {
      enabled: true
      days: exportRetentionDays - 1
    }
  }
}

resource exportContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: exportContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableDataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identityName, storageTableDataContributor)
  scope: account
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    description: 'Listes360: the service reads and writes its tables (grain state, membership, reminders, audit).'
  }
}

resource exportDataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(exportContainer.id, identityName, storageBlobDataContributor)
  scope: exportContainer
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    description: 'Listes360: exports of the département (listes360 export / restore).'
  }
}

resource lock 'Microsoft.Authorization/locks@2020-05-01' = if (deleteLock) {
  name: '${accountName}-ne-pas-supprimer'
  scope: account
  properties: {
    level: 'CanNotDelete'
    notes: 'Listes360 : les tables n\'ont ni corbeille ni restauration à un instant donné ; supprimer le compte perd les données du département.'
  }
}

output accountId string = account.id
output accountName string = account.name
output tableEndpoint string = account.properties.primaryEndpoints.table
output blobEndpoint string = account.properties.primaryEndpoints.blob
