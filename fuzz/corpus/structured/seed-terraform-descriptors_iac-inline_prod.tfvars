3environment     = "prod"
instance_class  = "db.r6g.large"
db_password     = "5xq-h48ACtLQHVZ2c7Mqm8iY"
alert_email     = "oncall@acme.example"
