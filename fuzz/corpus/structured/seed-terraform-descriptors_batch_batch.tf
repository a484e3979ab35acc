3resource "aws_batch_job_definition" "reindex" {
  name = "reindex"
  type = "container"

  container_properties = <<-EOF
  {
    "image": "${aws_ecr_repository.reindex.repository_url}:latest",
    "command": ["./reindex"],
    "environment": [
      {"name": "SEARCH_API_KEY", "value": "7967f0d666dbe46efa2892ba3c99a0b5"},
      {"name": "INDEX", "value": "products"}
    ]
  }
  EOF
}
