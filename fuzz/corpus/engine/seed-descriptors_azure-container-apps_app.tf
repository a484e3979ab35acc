resource "azurerm_container_app" "notifier" {
  name                         = "notifier"
  container_app_environment_id = azurerm_container_app_environment.main.id
  resource_group_name          = azurerm_resource_group.main.name
  revision_mode                = "Single"

  secret {
    name                = "smtp-password"
    key_vault_secret_id = azurerm_key_vault_secret.smtp.versionless_id
    identity            = azurerm_user_assigned_identity.notifier.id
  }

  template {
    container {
      name   = "notifier"
      image  = "acme.azurecr.io/notifier:0.9.1"
      cpu    = 0.25
      memory = "0.5Gi"

      env {
        name        = "SMTP_PASSWORD"
        secret_name = "smtp-password"
      }
      env {
        name  = "PUSH_API_TOKEN"
        value = "GH3oTtRo2qHNLg7sYivTvVKW"
      }
    }
  }
}
