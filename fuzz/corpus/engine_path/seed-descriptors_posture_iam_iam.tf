descriptors/posture/iam/iam.tf
data "aws_iam_policy_document" "app_secrets" {
  statement {
    sid       = "ReadEverySecret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "app_secret_own" {
  statement {
    sid       = "ReadOwnSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.app.arn]
  }
}

resource "aws_iam_role_policy" "worker_parameters" {
  name = "worker-parameters"
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ssm:GetParameter*"]
        Resource = "*"
      }
    ]
  })
}

resource "aws_iam_policy" "tagged_secrets" {
  name = "tagged-secrets"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = "*"
        Condition = {
          StringEquals = { "secretsmanager:ResourceTag/app" = "worker" }
        }
      }
    ]
  })
}
