resource "google_cloud_run_v2_service" "search" {
  name     = "search"
  location = "europe-west1"

  template {
    service_account = google_service_account.search.email
    containers {
      image = "europe-docker.pkg.dev/acme-prod/apps/search:3.0.1"
      env {
        name  = "INDEX_NAME"
        value = "products"
      }
      env {
        name  = "SEARCH_ADMIN_TOKEN"
        value = "qfVEDMQbncSwxv6BtvZU6l3y"
      }
      env {
        name = "DB_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.search_db.secret_id
            version = "latest"
          }
        }
      }
    }
  }
}

resource "google_cloudfunctions2_function" "resize" {
  name     = "resize"
  location = "europe-west1"

  service_config {
    environment_variables = {
      OUTPUT_BUCKET = "acme-thumbs"
      CDN_API_TOKEN = "df0dd3a009b279a6843adeee183eeddb"
    }
    secret_environment_variables {
      key        = "SIGNING_KEY"
      project_id = "acme-prod"
      secret     = google_secret_manager_secret.signing.secret_id
      version    = "latest"
    }
  }
}
