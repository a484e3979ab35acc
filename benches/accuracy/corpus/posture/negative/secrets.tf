resource "aws_kms_key" "secrets" {
  description         = "Secrets of the payments service"
  enable_key_rotation = true
}

resource "aws_secretsmanager_secret" "psp_api" {
  name        = "payments/psp-api"
  description = "API key of the payment service provider"
  kms_key_id  = aws_kms_key.secrets.arn
}

resource "aws_secretsmanager_secret_rotation" "psp_api" {
  secret_id           = aws_secretsmanager_secret.psp_api.id
  rotation_lambda_arn = module.psp_rotation.lambda_function_arn

  rotation_rules {
    automatically_after_days = 45
  }
}
