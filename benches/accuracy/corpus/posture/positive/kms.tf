resource "aws_kms_key" "exports" {
  description = "Exports shared with the analytics vendor"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "VendorRead"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
      }
    ]
  })
}
