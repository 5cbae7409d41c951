// The service in Azure Container Apps: one container app whose replicas are the silos (each one an
// Orleans silo co-hosted with the GraphQL API), HTTPS-only ingress, identity-based access to storage
// and to the vault, logs to Log Analytics.
@description('Azure region.')
param location string

@description('Name of the Container Apps environment.')
param environmentName string

@description('Name of the container app.')
param appName string

@description('Subnet delegated to Microsoft.App/environments (network.bicep).')
param appsSubnetId string

@description('Log Analytics workspace receiving the console logs.')
param workspaceName string

@description('Container image of the service (built from the repository\'s Dockerfile), e.g. registre.azurecr.io/listes360:1.0.0.')
param image string

@description('Registry server to pull the image with the managed identity (it needs AcrPull there); empty: a public image.')
param registryServer string

@description('Number of silos (replicas), fixed: the cluster does not scale on load.')
@minValue(1)
@maxValue(30)
param siloCount int

@description('vCPU and memory of one silo.')
param cpu string
param memory string

@description('User-assigned managed identity of the service.')
param identityId string
param identityClientId string

@description('Table service address of the storage account.')
param tableEndpoint string

@description('Names of the tables, as the service\'s Storage settings name them.')
param tableNames object

@description('Vault address (https://NAME.vault.azure.net/).')
param vaultUri string

@description('Orleans ServiceId and ClusterId: stable for the life of the département\'s data.')
param serviceId string

@description('OIDC authority signing the users\' tokens; empty: the signing key kept in the vault.')
param authAuthority string
param authIssuer string
param authAudience string

@description('OTLP endpoint receiving traces and metrics (OpenTelemetry collector, Azure Monitor agent…); empty: none.')
param otlpEndpoint string

@description('CIDR ranges allowed to reach the API; empty: any address.')
param allowedIpRanges array

param tags object

var useSigningKey = empty(authAuthority)
var vaultSecrets = concat(
  [
    {
      name: 'nir-secret'
      setting: 'Nir__Secret'
    }
    {
      name: 'access-reference-secret'
      setting: 'Access__ReferenceSecret'
    }
  ],
  useSigningKey
    ? [
        {
          name: 'auth-signing-key'
          setting: 'Auth__SigningKey'
        }
      ]
    : []
)
var plainSettings = union(
  {
    ASPNETCORE_HTTP_PORTS: '8080'
    Storage__ServiceUri: tableEndpoint
    Storage__ManagedIdentityClientId: identityClientId
    AZURE_CLIENT_ID: identityClientId
    Storage__TableName: tableNames.grainState
    Storage__ClusterTableName: tableNames.cluster
    Storage__RemindersTableName: tableNames.reminders
    Storage__AuditTableName: tableNames.audit
    Listes360__Cluster__Membership: 'AzureTable'
    Listes360__Cluster__ServiceId: serviceId
    Listes360__Cluster__ClusterId: serviceId
    Listes360__Cluster__AdvertisedAddress: 'auto'
    Listes360__Cluster__ListenOnAnyAddress: 'true'
    Auth__Issuer: authIssuer
    Auth__Audience: authAudience
  },
  useSigningKey ? {} : { Auth__Authority: authAuthority },
  empty(otlpEndpoint) ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint }
)

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    vnetConfiguration: {
      infrastructureSubnetId: appsSubnetId
      internal: false
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
    zoneRedundant: false
  }
}

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 8080
        transport: 'auto'
        allowInsecure: false
        clientCertificateMode: 'ignore'
        traffic: [
          {
            latestRevision: true
            weight: 100
          }
        ]
        ipSecurityRestrictions: [
          for (range, i) in allowedIpRanges: {
            name: 'autorise-${i}'
            action: 'Allow'
            ipAddressRange: range
          }
        ]
      }
      secrets: [
        for secret in vaultSecrets: {
          name: secret.name
          keyVaultUrl: '${vaultUri}secrets/${secret.name}'
          identity: identityId
        }
      ]
      registries: empty(registryServer)
        ? []
        : [
            {
              server: registryServer
              identity: identityId
            }
          ]
    }
    template: {
      containers: [
        {
          name: 'listes360'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: concat(
            map(items(plainSettings), setting => { name: setting.key, value: setting.value }),
            map(vaultSecrets, secret => { name: secret.setting, secretRef: secret.name })
          )
          probes: [
            {
              type: 'Liveness'
              tcpSocket: {
                port: 8080
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/health'
                port: 8080
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Startup'
              httpGet: {
                path: '/health'
                port: 8080
              }
              periodSeconds: 5
              failureThreshold: 24
            }
          ]
        }
      ]
      scale: {
        minReplicas: siloCount
        maxReplicas: siloCount
      }
    }
  }
}

output apiUrl string = 'https://${app.properties.configuration.ingress.fqdn}'
output environmentId string = environment.id
