resource "random_password" "reporting" {
  length  = 24
  special = true
}

resource "aws_db_instance" "reporting" {
  identifier        = "reporting-prod"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  username          = var.db_username
  password          = random_password.reporting.result
  allocated_storage = 50
}
