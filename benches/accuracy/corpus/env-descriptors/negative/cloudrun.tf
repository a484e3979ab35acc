resource "google_cloud_run_v2_job" "sync" {
  name     = "crm-sync"
  location = "us-central1"

  template {
    template {
      containers {
        image = "us-docker.pkg.dev/acme-prod/jobs/crm-sync:1.0.4"
        env {
          name = "CRM_CLIENT_SECRET"
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.crm_client_secret.secret_id
              version = "latest"
            }
          }
        }
      }
    }
  }
}
