locals {
  prefix = "/billing/${var.environment}"
}

# Read by the billing service at start-up.
resource "aws_ssm_parameter" "db_password" {
  name  = "${local.prefix}/db/password"
  type  = "String"
  value = random_password.db.result
}

resource "aws_ssm_parameter" "stripe_webhook" {
  name   = "${local.prefix}/stripe/webhook-secret"
  type   = "SecureString"
  value  = var.stripe_webhook_secret
  key_id = aws_kms_key.billing.arn
}

resource "aws_ssm_parameter" "log_level" {
  name  = "${local.prefix}/log-level"
  type  = "String"
  value = "info"
}

resource "aws_ssm_parameter" "api_token" {
  name  = "${local.prefix}/partner/api-token"
  type  = "StringList"
  value = join(",", var.partner_tokens)
}
