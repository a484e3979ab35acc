resource "aws_ecs_task_definition" "legacy" {
  family = "legacy"

  # Older modules still pass the definitions as a JSON heredoc.
  container_definitions = <<-DEFINITION
  [
    {
      "name": "legacy",
      "image": "legacy:${var.tag}",
      "memory": ${var.memory},
      "environment": [
        {"name": "LEGACY_ADMIN_PASSWORD", "value": "l3gacy-fixture-pass"},
        {"name": "LEGACY_API_KEY", "value": "${var.legacy_api_key}"},
        {"name": "LEGACY_MODE", "value": "compat"}
      ]
    }
  ]
  DEFINITION
}
