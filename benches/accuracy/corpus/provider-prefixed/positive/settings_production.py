from .base import *  # noqa

DEBUG = False
ALLOWED_HOSTS = ["shop.internal.example.net"]

# payments
STRIPE_SECRET_KEY = "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"
STRIPE_WEBHOOK_SECRET = "whsec_63hS05TqQocedOvulcAZWXrjmB09L8l0"

# notifications
SLACK_BOT_TOKEN = "xoxb-11524634312-6630684835788-th7AqmGtuGd7bBcBhpd68dpf"
SLACK_ALERT_CHANNEL = "#ops-alerts"
