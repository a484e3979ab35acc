broker_url = "amqp://celery:W1ll0wF@l6@rabbitmq.internal:5672/jobs"
result_backend = "redis://:Lja+*kmgAxUxN*dZ?Pq?@redis.internal:6379/1"
task_serializer = "json"
timezone = "Europe/Amsterdam"
