descriptors/ecs/terraform/jsonencode.tf
resource "aws_ecs_task_definition" "checkout" {
  family                   = "checkout"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([
    {
      name      = "checkout"
      image     = "${aws_ecr_repository.checkout.repository_url}:${var.image_tag}"
      essential = true
      environment = [
        { name = "PORT", value = "8080" },
        { name = "DB_USER", value = "checkout" },
        {
          name  = "DB_PASSWORD"
          value = "tf-fixture-db-pass"
        },
        { name = "PAYMENT_API_TOKEN", value = var.payment_token },
        { name = "CACHE_URL", value = "redis://cache:c4che-fixture-pass@redis.internal:6379/0" },
      ]
      secrets = [
        { name = "JWT_SECRET", valueFrom = aws_secretsmanager_secret.jwt.arn },
      ]
    }
  ])
}
