// The service's user-assigned managed identity: it signs in to the tables and reads the vault's secrets.
@description('Azure region.')
param location string

@description('Name of the managed identity.')
param identityName string

param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

output identityId string = identity.id
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
