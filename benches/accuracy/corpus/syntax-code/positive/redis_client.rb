require "redis"

$redis = Redis.new(
  host: "redis.internal",
  port: 6379,
  password: "Jd14m5bRxH@D6wENZ-A5",
  db: 1
)
