param envId string

resource worker 'Microsoft.App/containerApps@2023-05-01' = {
  name: 'thumbnailer'
  location: resourceGroup().location
  properties: {
    managedEnvironmentId: envId
    template: {
      containers: [
        {
          name: 'thumbnailer'
          image: 'acme.azurecr.io/thumbnailer:0.4.2'
          env: [
            {
              name: 'STORAGE_SAS_TOKEN'
              value: 'FEeDgWB6Sxm7QYkRHrZ0VDvf1WSy'
            }
          ]
        }
      ]
    }
  }
}
