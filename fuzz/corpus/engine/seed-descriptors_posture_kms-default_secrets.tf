resource "aws_secretsmanager_secret" "smtp" {
  name = "prod/mailer/smtp"
}

resource "aws_secretsmanager_secret_rotation" "smtp" {
  secret_id           = aws_secretsmanager_secret.smtp.id
  rotation_lambda_arn = aws_lambda_function.rotate_smtp.arn
  rotation_rules {
    automatically_after_days = 60
  }
}

resource "aws_secretsmanager_secret" "signing" {
  name       = "prod/mailer/dkim"
  kms_key_id = "alias/aws/secretsmanager"
}

resource "aws_secretsmanager_secret_rotation" "signing" {
  secret_id           = aws_secretsmanager_secret.signing.id
  rotation_lambda_arn = aws_lambda_function.rotate_dkim.arn
  rotation_rules {
    automatically_after_days = 90
  }
}

resource "aws_ssm_parameter" "mailer_token" {
  name  = "/mailer/prod/api-token"
  type  = "SecureString"
  value = var.mailer_token
}

resource "aws_ssm_parameter" "mailer_signing_key" {
  name   = "/mailer/prod/signing-key"
  type   = "SecureString"
  value  = var.mailer_signing_key
  key_id = aws_kms_key.mailer.key_id
}
