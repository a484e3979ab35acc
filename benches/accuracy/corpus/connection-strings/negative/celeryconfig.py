import os

broker_url = os.environ["CELERY_BROKER_URL"]
result_backend = "redis://redis:6379/1"
task_serializer = "json"
