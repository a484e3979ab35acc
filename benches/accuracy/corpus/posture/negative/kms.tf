resource "aws_kms_key" "exports" {
  description = "Exports shared with the analytics vendor"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "VendorRead"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::584219375102:role/analytics-reader" }
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
      },
      {
        Sid       = "Administration"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::725031984216:role/platform-key-admin" }
        Action    = ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"]
        Resource  = "*"
      }
    ]
  })
}
