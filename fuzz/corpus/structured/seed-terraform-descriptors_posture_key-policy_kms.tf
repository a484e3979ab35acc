3data "aws_caller_identity" "current" {}

resource "aws_kms_key" "shared" {
  description         = "Shared key for exported reports"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowUseByAnyone"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
      }
    ]
  })
}

resource "aws_kms_key" "secrets" {
  description         = "Secrets Manager key"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.secrets_key.json
}

data "aws_iam_policy_document" "secrets_key" {
  statement {
    sid       = "AccountRoot"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "scoped" {
  description         = "Key used through Secrets Manager only"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.scoped_key.json
}

data "aws_iam_policy_document" "scoped_key" {
  statement {
    sid       = "Administration"
    actions   = ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.key_admin.arn]
    }
  }

  statement {
    sid       = "UseThroughSecretsManager"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.eu-west-1.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}
