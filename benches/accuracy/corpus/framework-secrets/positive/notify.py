import requests

TEAMS_WEBHOOK = "https://ivlmlasi.webhook.office.com/webhookb2/f4930f44-6996-4c85-b75f-850c43a9acca@bdcd0658-d96e-4adb-9a47-bf82b8819a09/IncomingWebhook/d026e6e3c684dd81c7a55f47f14f3ffd/7cc99d78-23f5-4102-8222-7f948a1b1444/V2iWczCTIS6VSxWC4R2B8xRB4UaLUuAjhz8zmEY0F9ZH8"
DISCORD_WEBHOOK = "https://discord.com/api/webhooks/2728155472151430306/fGx3TVQbQ4Jy0kpmkmk9iSpJBIrQrx-R3ApFbsJ8LzsIl-l4bSJl_-DjlM9xfDY_FdV7"


def notify(text):
    requests.post(TEAMS_WEBHOOK, json={"text": text}, timeout=5)
    requests.post(DISCORD_WEBHOOK, json={"content": text}, timeout=5)
