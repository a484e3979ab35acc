param envId string
param identityId string

resource worker 'Microsoft.App/containerApps@2023-05-01' = {
  name: 'thumbnailer'
  location: resourceGroup().location
  properties: {
    managedEnvironmentId: envId
    configuration: {
      secrets: [
        {
          name: 'storage-sas-token'
          keyVaultUrl: 'https://acme-kv.vault.azure.net/secrets/storage-sas-token'
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'thumbnailer'
          image: 'acme.azurecr.io/thumbnailer:0.4.2'
          env: [
            {
              name: 'STORAGE_SAS_TOKEN'
              secretRef: 'storage-sas-token'
            }
          ]
        }
      ]
    }
  }
}
