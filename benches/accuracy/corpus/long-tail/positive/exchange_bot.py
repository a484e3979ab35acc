import ccxt

binance = ccxt.binance({
    "apiKey": "LmViECmoHnL5ieTwVcjFtKU9WyOuzOxPN8tweTawEosEGKPaOWbewcPsUtvCT00z",
    "secret": "2cFkKJZKu9rLxElnNvvJbS72DqM90zkfkwlG2XzgqRNWOPMoqy3j9KsnjEPUYe0m",
})

kucoin = ccxt.kucoin({
    "apiKey": "2a121cf26ad98a70b69e17b2",
    "secret": "7ed87266-9c6e-4068-b268-0cf6ff005c13",
    "password": "xPURprzL0CetnO59rI?B",
})

kraken = ccxt.kraken({
    "apiKey": "XlNYQ+HzGVGcaRPFAdDn8my7OL2XPzCHHTKg3EPpmlOYqVZ4lm/Sr8ht",
    "secret": "1PXyxAV3iQLTDHpkkMg6WJtnMSGZSPheO/Ye1mpYc2g1T/sIRrFMYnZ4aMyiUnZCbJh4deS6Y+c+VKm6vklwWV==",
})
