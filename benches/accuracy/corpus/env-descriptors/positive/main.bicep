param location string = resourceGroup().location

resource func 'Microsoft.Web/sites@2022-09-01' = {
  name: 'acme-ingest'
  location: location
  kind: 'functionapp'
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'FUNCTIONS_WORKER_RUNTIME'
          value: 'python'
        }
        {
          name: 'INGEST_SHARED_SECRET'
          value: 'sLK11D79kFjBWVvEhDpQZgczcVXc'
        }
      ]
    }
  }
}
