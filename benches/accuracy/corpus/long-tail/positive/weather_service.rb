class WeatherService
  OPENWEATHERMAP_API_KEY = "23c3162fdbef9e4d2aa387ecb7f13dff"
  WEATHERAPI_KEY = "3e0c7446f00ed12c5f0027fa80eb1ad"
  WEATHERSTACK_ACCESS_KEY = "cec42fd01a6916a367866711aa376e1b"

  def current(lat, lon)
    HTTP.get("https://api.openweathermap.org/data/2.5/weather",
             params: { lat: lat, lon: lon, appid: OPENWEATHERMAP_API_KEY, units: "metric" }).parse
  end
end
