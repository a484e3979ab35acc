import os
import requests

TEAMS_WEBHOOK = os.environ["TEAMS_WEBHOOK_URL"]
DISCORD_WEBHOOK = os.environ.get("DISCORD_WEBHOOK_URL")


def notify(text):
    requests.post(TEAMS_WEBHOOK, json={"text": text}, timeout=5)
