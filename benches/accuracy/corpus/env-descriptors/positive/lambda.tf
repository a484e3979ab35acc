resource "aws_lambda_function" "thumbnailer" {
  function_name = "thumbnailer"
  role          = aws_iam_role.lambda.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "build/thumbnailer.zip"

  environment {
    variables = {
      BUCKET          = "acme-media"
      IMGIX_API_KEY   = "WFWvaem0CIgyTQ5RQWxpssIPOD7QkNXW4pENr4gB"
      CDN_PURGE_TOKEN = "83dd5e55183c74bca4e8b233d464c59bd089ea47"
    }
  }
}
