resource "aws_ssm_parameter" "smtp_password" {
  name        = "/notifications/prod/smtp-password"
  description = "Password of the SMTP relay"
  type        = "SecureString"
  value       = var.smtp_password
  key_id      = aws_kms_key.notifications.arn
}

resource "aws_ssm_parameter" "smtp_host" {
  name  = "/notifications/prod/smtp-host"
  type  = "String"
  value = "smtp.acme.example"
}
