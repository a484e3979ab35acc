environment   = "staging"
instance_type = "t3.small"
db_username   = "app"
min_size      = 1
max_size      = 3
tags = { team = "platform", cost_center = "1234" }
