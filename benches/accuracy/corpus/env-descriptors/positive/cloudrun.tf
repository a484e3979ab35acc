resource "google_cloud_run_v2_job" "sync" {
  name     = "crm-sync"
  location = "us-central1"

  template {
    template {
      containers {
        image = "us-docker.pkg.dev/acme-prod/jobs/crm-sync:1.0.4"
        env {
          name  = "CRM_CLIENT_SECRET"
          value = "2b32df442f5ccad34534eacc18871d17b691266a"
        }
      }
    }
  }
}
