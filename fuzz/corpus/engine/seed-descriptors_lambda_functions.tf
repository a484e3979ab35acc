# Thumbnail and webhook functions.
resource "aws_lambda_function" "thumbnailer" {
  function_name = "thumbnailer"
  role          = aws_iam_role.lambda.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "build/thumbnailer.zip"

  environment {
    variables = {
      BUCKET          = "acme-media"
      IMGPROXY_KEY    = "1fe27f5d555fe234feb1f0e4f70120ee"
      CDN_PURGE_TOKEN = "Q9lnnVJOMrlMePAJ1UjvNIWF"
    }
  }
}

resource "aws_lambda_function" "webhooks" {
  function_name = "webhooks"
  role          = aws_iam_role.lambda.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/webhooks.zip"

  environment {
    variables = {
      SIGNING_SECRET_ARN = aws_secretsmanager_secret.webhook.arn
      LOG_LEVEL          = "info"
    }
  }
}
