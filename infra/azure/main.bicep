// Listes360 for one département, in one resource group:
//   az deployment group create --resource-group RG --template-file infra/azure/main.bicep --parameters department=61 image=…
// See infra/azure/README.md (what is created, cost, deployment, what was checked).
targetScope = 'resourceGroup'

@description('Code of the département served (01…95, 2A, 2B, 971…976): in the names of the resources and in the Orleans ServiceId.')
@minLength(2)
@maxLength(3)
param department string

@description('Azure region (France Central for data hosted in France).')
param location string = resourceGroup().location

@description('Container image of the service, built from the repository\'s Dockerfile.')
param image string

@description('Registry server of the image, pulled with the managed identity (grant it AcrPull); empty: a public image.')
param registryServer string = ''

@description('Number of silos (container replicas). Two or more keep the service up when one stops.')
@minValue(1)
@maxValue(30)
param siloCount int = 2

@description('Size of one silo: S = 0.5 vCPU / 1 GiB, M = 1 vCPU / 2 GiB, L = 2 vCPU / 4 GiB.')
@allowed([
  'S'
  'M'
  'L'
])
param siloSize string = 'M'

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_ZRS'

@description('Enabled: storage and vault answer on the internet (Entra ID tokens only). Disabled: storage only through private endpoints in the service\'s network; the vault through the trusted Azure services path.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Disabled'

@description('Days a deleted or overwritten export can be recovered (blob soft delete and versions).')
@minValue(2)
@maxValue(365)
param exportRetentionDays int = 30

@description('Days Log Analytics keeps the logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Daily Log Analytics ingestion cap in GB (-1: none).')
param logDailyQuotaGb int = 2

@description('A CanNotDelete lock on the storage account.')
param storageDeleteLock bool = true

@description('OIDC authority signing the users\' tokens (the département\'s identity provider); empty: tokens signed with the key kept in the vault.')
param authAuthority string = ''

@description('Issuer and audience the tokens must carry.')
param authIssuer string = 'listes360-${department}'
param authAudience string = 'listes360'

@description('OTLP endpoint for traces and metrics; empty: none (logs still go to Log Analytics).')
param otlpEndpoint string = ''

@description('CIDR ranges allowed to reach the API (the département\'s networks); empty: any address.')
param allowedIpRanges array = []

@description('Address space of the service\'s virtual network and its two subnets.')
param vnetAddressPrefix string = '10.60.0.0/16'
param appsSubnetPrefix string = '10.60.0.0/23'
param endpointsSubnetPrefix string = '10.60.2.0/27'

@description('First deployment only: the NIR pseudonymisation secret (base64, 32 bytes). Never change it afterwards: the NIR hashes depend on it. Empty: the vault\'s secret is left as it is.')
@secure()
param nirSecret string = ''

@description('First deployment only: the secret of the per-ESMS references (base64, 32 bytes). Empty: left as it is.')
@secure()
param accessReferenceSecret string = ''

@description('The token signing key (base64, at least 32 bytes) when no OIDC authority is given. Empty: left as it is.')
@secure()
param authSigningKey string = ''

var suffix = take(uniqueString(resourceGroup().id, department), 8)
var dept = toLower(department)
var tags = {
  application: 'listes360'
  departement: department
}
var sizes = {
  S: {
    cpu: '0.5'
    memory: '1Gi'
  }
  M: {
    cpu: '1.0'
    memory: '2Gi'
  }
  L: {
    cpu: '2.0'
    memory: '4Gi'
  }
}
var identityName = 'id-listes360-${dept}'
var storageAccountName = 'stl360${dept}${suffix}'
var workspaceName = 'log-listes360-${dept}-${suffix}'
var tableNames = {
  grainState: 'Listes360GrainState'
  cluster: 'Listes360Cluster'
  reminders: 'Listes360Reminders'
  audit: 'Listes360Audit'
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: workspaceName
    retentionInDays: logRetentionDays
    dailyQuotaGb: logDailyQuotaGb
    tags: tags
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    identityName: identityName
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  dependsOn: [
    identity
  ]
  params: {
    location: location
    accountName: storageAccountName
    skuName: storageSku
    publicNetworkAccess: publicNetworkAccess
    tableNames: tableNames
    exportContainerName: 'exports'
    exportRetentionDays: exportRetentionDays
    identityName: identityName
    deleteLock: storageDeleteLock
    tags: tags
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'vault'
  dependsOn: [
    identity
  ]
  params: {
    location: location
    vaultName: 'kv-l360-${dept}-${suffix}'
    publicNetworkAccess: 'Enabled'
    identityName: identityName
    secretNames: [
      'nir-secret'
      'access-reference-secret'
      'auth-signing-key'
    ]
    initialSecrets: {
      'nir-secret': nirSecret
      'access-reference-secret': accessReferenceSecret
      'auth-signing-key': authSigningKey
    }
    tags: tags
  }
}

module network 'modules/network.bicep' = {
  name: 'network'
  dependsOn: [
    storage
  ]
  params: {
    location: location
    vnetName: 'vnet-listes360-${dept}'
    addressPrefix: vnetAddressPrefix
    appsSubnetPrefix: appsSubnetPrefix
    endpointsSubnetPrefix: endpointsSubnetPrefix
    privateStorage: publicNetworkAccess == 'Disabled'
    storageAccountName: storageAccountName
    tags: tags
  }
}

module apps 'modules/containerapps.bicep' = {
  name: 'apps'
  dependsOn: [
    monitoring
  ]
  params: {
    location: location
    environmentName: 'cae-listes360-${dept}'
    appName: 'listes360-${dept}'
    appsSubnetId: network.outputs.appsSubnetId
    workspaceName: workspaceName
    image: image
    registryServer: registryServer
    siloCount: siloCount
    cpu: sizes[siloSize].cpu
    memory: sizes[siloSize].memory
    identityId: identity.outputs.identityId
    identityClientId: identity.outputs.clientId
    tableEndpoint: storage.outputs.tableEndpoint
    tableNames: tableNames
    vaultUri: vault.outputs.vaultUri
    serviceId: 'listes360-${dept}'
    authAuthority: authAuthority
    authIssuer: authIssuer
    authAudience: authAudience
    otlpEndpoint: otlpEndpoint
    allowedIpRanges: allowedIpRanges
    tags: tags
  }
}

output apiUrl string = apps.outputs.apiUrl
output storageAccountName string = storage.outputs.accountName
output tableEndpoint string = storage.outputs.tableEndpoint
output vaultName string = vault.outputs.vaultName
output identityClientId string = identity.outputs.clientId
