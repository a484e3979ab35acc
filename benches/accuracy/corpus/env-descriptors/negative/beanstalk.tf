resource "aws_elastic_beanstalk_environment" "api" {
  name                = "api-prod"
  application         = aws_elastic_beanstalk_application.api.name
  solution_stack_name = "64bit Amazon Linux 2023 v4.0.1 running Docker"

  setting {
    namespace = "aws:elasticbeanstalk:application:environmentsecrets"
    name      = "PAYPAL_CLIENT_SECRET"
    value     = aws_secretsmanager_secret.paypal.arn
  }
  setting {
    namespace = "aws:autoscaling:asg"
    name      = "MinSize"
    value     = "2"
  }
}
