resource "aws_secretsmanager_secret" "ldap_bind" {
  name       = "directory/ldap-bind"
  kms_key_id = "alias/aws/secretsmanager"
}

resource "aws_secretsmanager_secret_rotation" "ldap_bind" {
  secret_id           = aws_secretsmanager_secret.ldap_bind.id
  rotation_lambda_arn = aws_lambda_function.ldap_rotation.arn
  rotation_rules {
    automatically_after_days = 30
  }
}
