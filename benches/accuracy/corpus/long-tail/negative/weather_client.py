import os
import requests

OPENWEATHERMAP_API_KEY = os.environ["OPENWEATHERMAP_API_KEY"]
OPENWEATHERMAP_URL = "https://api.openweathermap.org/data/2.5/weather"
OPENWEATHERMAP_UNITS = "metric"


def current(lat, lon):
    r = requests.get(OPENWEATHERMAP_URL, params={
        "lat": lat, "lon": lon, "appid": OPENWEATHERMAP_API_KEY, "units": OPENWEATHERMAP_UNITS,
    }, timeout=5)
    r.raise_for_status()
    return r.json()
