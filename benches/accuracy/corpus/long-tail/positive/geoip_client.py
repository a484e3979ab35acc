import requests

ABSTRACTAPI_IP_KEY = "20fded6e99a2257472d71e23d1aea470"
IP2LOCATION_KEY = "7F1EE0B007D328150F3669CBC5DBCC51"


def lookup(ip):
    r = requests.get(
        "https://ipgeolocation.abstractapi.com/v1/",
        params={"api_key": ABSTRACTAPI_IP_KEY, "ip_address": ip},
        timeout=5,
    )
    if r.ok:
        return r.json()
    return requests.get(
        "https://api.ip2location.io/", params={"key": IP2LOCATION_KEY, "ip": ip}, timeout=5
    ).json()
