resource "aws_kms_key" "secrets" {
  description         = "Secrets of the payments service"
  enable_key_rotation = true
}

resource "aws_secretsmanager_secret" "psp_api" {
  name        = "payments/psp-api"
  description = "API key of the payment service provider"
  kms_key_id  = aws_kms_key.secrets.arn
}
