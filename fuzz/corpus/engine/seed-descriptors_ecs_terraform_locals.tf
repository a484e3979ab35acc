locals {
  app_name = "notifier"

  containers = [
    {
      name  = local.app_name
      image = "notifier:${var.tag}"
      environment = [
        { name = "TWILIO_AUTH_TOKEN", value = "tf-local-fixture-token" },
        { name = "TWILIO_ACCOUNT_SID_NAME", value = "notifier-sid" },
      ]
    }
  ]
}

resource "aws_ecs_task_definition" "notifier" {
  family                = local.app_name
  container_definitions = jsonencode(local.containers)
}
