param environmentId string

resource api 'Microsoft.App/containerApps@2023-05-01' = {
  name: 'orders-api'
  location: resourceGroup().location
  properties: {
    managedEnvironmentId: environmentId
    configuration: {
      secrets: [
        {
          name: 'registry-password'
          value: 'cb2854eeecc45a210a62960c5b6a6dde'
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
              name: 'ASPNETCORE_ENVIRONMENT'
              value: 'Production'
            }
            {
              name: 'QUEUE_SAS_TOKEN'
              value: 'ACYekOwHCw7HCKlfPhQziDtT'
            }
          ]
        }
      ]
    }
  }
}
