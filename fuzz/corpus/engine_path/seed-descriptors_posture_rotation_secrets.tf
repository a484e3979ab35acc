descriptors/posture/rotation/secrets.tf
resource "aws_secretsmanager_secret" "db" {
  name        = "prod/orders/db"
  description = "Orders database credentials"
  kms_key_id  = aws_kms_key.secrets.arn
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = aws_lambda_function.rotate_postgres.arn

  rotation_rules {
    automatically_after_days = 30
  }
}

resource "aws_secretsmanager_secret" "partner_api" {
  name       = "prod/orders/partner-api"
  kms_key_id = aws_kms_key.secrets.arn
}

resource "aws_secretsmanager_secret" "reports" {
  count      = var.reports_enabled ? 1 : 0
  name       = "prod/orders/reports"
  kms_key_id = aws_kms_key.secrets.arn
}

resource "aws_secretsmanager_secret_rotation" "reports" {
  count               = var.reports_enabled ? 1 : 0
  secret_id           = aws_secretsmanager_secret.reports[0].id
  rotation_lambda_arn = aws_lambda_function.rotate_postgres.arn

  rotation_rules {
    schedule_expression = "rate(180 days)"
  }
}
