descriptors/ecs/terraform/variables.tf
variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_ecs_task_definition" "ledger" {
  family = "ledger"
  container_definitions = jsonencode([
    {
      name  = "ledger"
      image = "ledger:1"
      environment = [
        { name = "DB_PASSWORD", value = var.db_password },
        { name = "API_TOKEN", value = "${var.api_token}" },
        { name = "SIGNING_KEY", value = data.aws_ssm_parameter.signing_key.value },
      ]
      secrets = [
        { name = "STRIPE_SECRET_KEY", valueFrom = "arn:aws:ssm:eu-west-1:123456789012:parameter/ledger/stripe" },
      ]
    }
  ])
}

resource "aws_ecs_task_definition" "from_file" {
  family                = "from-file"
  container_definitions = file("${path.module}/containers.json")
}
