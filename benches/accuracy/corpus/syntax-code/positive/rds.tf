resource "aws_db_instance" "reporting" {
  identifier          = "reporting-prod"
  engine              = "postgres"
  engine_version      = "15.5"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 50
  username            = "reporting"
  password            = "_5^0O2Pieu9u_B24ghGQ"
  skip_final_snapshot = true
}
