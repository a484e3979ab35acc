descriptors/iac-inline/variables.tf
variable "db_password" {
  description = "Master password of the orders database"
  type        = string
  sensitive   = true
}

variable "api_token" {
  description = "Token for the partner API"
  type        = string
  default     = "a9q49imCNcrEoDZDrmX0TLMr"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}
