// The virtual network: a subnet for the Container Apps environment (its replicas, the silos, talk to
// each other directly on the silo port) and, when the storage account refuses public access, a subnet
// with its private endpoints and the private DNS zones that resolve its names to them.
@description('Azure region.')
param location string

@description('Name of the virtual network.')
param vnetName string

@description('Address space of the network (a /16 or smaller that does not overlap the département\'s other networks).')
param addressPrefix string

@description('Subnet of the Container Apps environment (at least a /27 for a workload-profiles environment).')
param appsSubnetPrefix string

@description('Subnet of the private endpoints.')
param endpointsSubnetPrefix string

@description('Create private endpoints (table and blob) to the storage account.')
param privateStorage bool

@description('Name of the storage account (storage.bicep), in this resource group.')
param storageAccountName string

param tags object

var storageZones = [
  'table'
  'blob'
]

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: 'apps'
        properties: {
          addressPrefix: appsSubnetPrefix
          delegations: [
            {
              name: 'containerApps'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: endpointsSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for zone in storageZones: if (privateStorage) {
    name: 'privatelink.${zone}.${environment().suffixes.storage}'
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (zone, i) in storageZones: if (privateStorage) {
    parent: zones[i]
    name: vnetName
    location: 'global'
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

resource endpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for (zone, i) in storageZones: if (privateStorage) {
    name: '${vnetName}-storage-${zone}'
    location: location
    tags: tags
    properties: {
      subnet: {
        id: vnet.properties.subnets[1].id
      }
      privateLinkServiceConnections: [
        {
          name: 'storage-${zone}'
          properties: {
            privateLinkServiceId: storageAccount.id
            groupIds: [
              zone
            ]
          }
        }
      ]
    }
  }
]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (zone, i) in storageZones: if (privateStorage) {
    parent: endpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: zone
          properties: {
            privateDnsZoneId: zones[i].id
          }
        }
      ]
    }
  }
]

output appsSubnetId string = vnet.properties.subnets[0].id
