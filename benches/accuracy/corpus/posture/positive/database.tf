resource "aws_db_instance" "reporting" {
  identifier        = "reporting"
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.t4g.large"
  allocated_storage = 100
  username          = "reporting"
  password          = "9733a862b9367cc75e4637"
}
