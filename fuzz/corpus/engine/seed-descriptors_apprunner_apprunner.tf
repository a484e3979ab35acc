resource "aws_apprunner_service" "api" {
  service_name = "api"

  source_configuration {
    image_repository {
      image_identifier      = "310529416307.dkr.ecr.eu-west-1.amazonaws.com/api:latest"
      image_repository_type = "ECR"
      image_configuration {
        port = "8080"
        runtime_environment_variables = {
          NODE_ENV        = "production"
          PAYMENTS_TOKEN  = "rB73WqiC8f7f5oUmKt4YRCdz"
        }
        runtime_environment_secrets = {
          DB_PASSWORD = aws_secretsmanager_secret.api_db.arn
        }
      }
    }
  }
}
