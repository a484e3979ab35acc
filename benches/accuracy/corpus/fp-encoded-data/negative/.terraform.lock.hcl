provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.46.0"
  constraints = "~> 5.40"
  hashes = [
    "h1:1h2lqmTqKkvTrlvS4hJuq5SYzrf04G2d0Py1yLhKxhY=",
    "zh:c557280d540cf6547b10b71fadcfd097f803ac2e6d68f1bfe3c4e31705579431",
    "zh:60b14ae86f797b775da721b6c83f6eb0efb003d25352b91aaf1426428b35f9fb",
  ]
}
