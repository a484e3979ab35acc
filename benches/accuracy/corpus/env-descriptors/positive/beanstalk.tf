resource "aws_elastic_beanstalk_environment" "api" {
  name                = "api-prod"
  application         = aws_elastic_beanstalk_application.api.name
  solution_stack_name = "64bit Amazon Linux 2023 v4.0.1 running Docker"

  setting {
    namespace = "aws:elasticbeanstalk:application:environment"
    name      = "SENTRY_DSN"
    value     = "https://examplePublicKey@o0.ingest.sentry.io/0"
  }
  setting {
    namespace = "aws:elasticbeanstalk:application:environment"
    name      = "PAYPAL_CLIENT_SECRET"
    value     = "bf1ea7c1195eb2da2e1cb13289051c226ba01729"
  }
}
