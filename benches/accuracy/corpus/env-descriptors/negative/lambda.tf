resource "aws_lambda_function" "thumbnailer" {
  function_name = "thumbnailer"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  environment {
    variables = {
      BUCKET          = "acme-media"
      IMGIX_API_KEY   = var.imgix_api_key
      SECRET_ARN      = aws_secretsmanager_secret.cdn.arn
    }
  }
}
