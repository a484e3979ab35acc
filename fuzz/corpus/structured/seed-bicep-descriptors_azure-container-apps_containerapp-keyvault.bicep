5param environmentId string
param identityId string

resource api 'Microsoft.App/containerApps@2023-05-01' = {
  name: 'orders-api'
  location: resourceGroup().location
  properties: {
    managedEnvironmentId: environmentId
    configuration: {
      secrets: [
        {
          name: 'queue-sas-token'
          keyVaultUrl: 'https://acme-kv.vault.azure.net/secrets/queue-sas-token'
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'api'
          image: 'acme.azurecr.io/orders-api:2.0.0'
          env: [
            {
              name: 'QUEUE_SAS_TOKEN'
              secretRef: 'queue-sas-token'
            }
          ]
        }
      ]
    }
  }
}
