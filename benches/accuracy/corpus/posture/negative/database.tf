resource "aws_db_instance" "reporting" {
  identifier                  = "reporting"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.t4g.large"
  allocated_storage           = 100
  username                    = "reporting"
  manage_master_user_password = true
  master_user_secret_kms_key_id = aws_kms_key.reporting.key_id
}
