3resource "aws_sfn_state_machine" "billing" {
  name     = "billing"
  role_arn = aws_iam_role.sfn.arn

  definition = jsonencode({
    StartAt = "Invoice"
    States = {
      Invoice = {
        Type     = "Task"
        Resource = "arn:aws:states:::ecs:runTask.sync"
        Parameters = {
          Overrides = {
            ContainerOverrides = [{
              Name = "invoice"
              Environment = [
                { Name = "BILLING_API_SECRET", Value = "3a207ffdafc5fcb51a62c9c4d4f9b804" }
              ]
            }]
          }
        }
        End = true
      }
    }
  })
}
