descriptors/azure-app-service/keyvault.bicep
param location string = resourceGroup().location
param vaultName string

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: 'acme-portal'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'AUTH_CLIENT_SECRET'
          value: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=auth-client-secret)'
        }
        {
          name: 'SMTP_PASSWORD'
          value: smtpPassword.properties.secretUri
        }
      ]
    }
  }
}
