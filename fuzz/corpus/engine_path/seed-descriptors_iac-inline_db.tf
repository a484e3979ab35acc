descriptors/iac-inline/db.tf
resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 50
  username            = "orders"
  password            = "5140da1cf960ac94c4f565f7cf2ed9b0"
  skip_final_snapshot = false
}

resource "aws_rds_cluster" "reports" {
  cluster_identifier          = "reports"
  engine                      = "aurora-postgresql"
  master_username             = "reports"
  manage_master_user_password = true
}

resource "aws_secretsmanager_secret_version" "partner" {
  secret_id = aws_secretsmanager_secret.partner.id
  secret_string = jsonencode({
    client_id     = "orders-prod"
    client_secret = "vYeb3TzWJTKjqt1MHJmlp3W8"
  })
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "Session store"
  transit_encryption_enabled = true
  auth_token                 = var.redis_auth_token
}
