resource "aws_ssm_parameter" "smtp_password" {
  name        = "/notifications/prod/smtp-password"
  description = "Password of the SMTP relay"
  type        = "String"
  value       = var.smtp_password
}
