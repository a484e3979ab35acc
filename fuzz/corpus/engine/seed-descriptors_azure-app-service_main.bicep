param location string = resourceGroup().location
param planId string

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: 'acme-portal'
  location: location
  properties: {
    serverFarmId: planId
    siteConfig: {
      appSettings: [
        {
          name: 'NODE_ENV'
          value: 'production'
        }
        {
          name: 'AUTH_CLIENT_SECRET'
          value: '6d62d35b70f6450fe5df006336eec949'
        }
      ]
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: {
      SMTP_PASSWORD: 'dEjfrSy6QEj9mv0pAeUaIXTj'
      FEATURE_FLAGS: 'beta'
    }
  }
}
