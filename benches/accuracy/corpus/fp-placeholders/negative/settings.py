import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DATABASE_PASSWORD = os.environ.get("DATABASE_PASSWORD")
STRIPE_API_KEY = os.getenv("STRIPE_API_KEY", "")
SENTRY_DSN = os.environ.get("SENTRY_DSN") or None
