import requests

DATABRICKS_HOST = "https://adb-4930708876272154.7.azuredatabricks.net"
DATABRICKS_TOKEN = "dapi1ad9ed0f0ae0f9c8d6e9112325632fc7"


def list_jobs():
    r = requests.get(
        f"{DATABRICKS_HOST}/api/2.1/jobs/list",
        headers={"Authorization": f"Bearer {DATABRICKS_TOKEN}"},
        timeout=30,
    )
    r.raise_for_status()
    return r.json().get("jobs", [])
