param location string = resourceGroup().location
param vaultName string

resource func 'Microsoft.Web/sites@2022-09-01' = {
  name: 'acme-ingest'
  location: location
  kind: 'functionapp'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'FUNCTIONS_WORKER_RUNTIME'
          value: 'python'
        }
        {
          name: 'INGEST_SHARED_SECRET'
          value: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=ingest-shared-secret)'
        }
      ]
    }
  }
}
