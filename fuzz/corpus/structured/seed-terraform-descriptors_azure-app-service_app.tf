3resource "azurerm_linux_web_app" "portal" {
  name                = "acme-portal"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  service_plan_id     = azurerm_service_plan.main.id

  site_config {}

  app_settings = {
    "WEBSITES_PORT"   = "8080"
    "JWT_SIGNING_KEY" = "f82061dce50ef44f1a8add0991506eb0"
    "DB_PASSWORD"     = "@Microsoft.KeyVault(SecretUri=${azurerm_key_vault_secret.db.versionless_id})"
  }

  connection_string {
    name  = "Reports"
    type  = "PostgreSQL"
    value = "Host=reports.postgres.database.azure.com;Database=reports;Username=reports;Password=LCpps4KVNgGr4JaVygaBjqDI"
  }
}
