3resource "aws_lambda_function" "reports" {
  function_name = "reports"
  role          = aws_iam_role.lambda.arn
  handler       = "reports.handler"
  runtime       = "python3.12"
  filename      = "build/reports.zip"

  environment {
    variables = {
      DB_PASSWORD       = var.reports_db_password
      API_TOKEN_PARAM   = aws_ssm_parameter.api_token.name
      SMTP_PASSWORD     = "${var.smtp_password}"
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT = "2773"
    }
  }
}
