package com.acme.mobile

object Settings {
    const val API_BASE = "https://api.acme.example/v2"
    const val KEYSTORE_PASSWORD = "Panther_Rainbow_96"
    val client = ApiClient(baseUrl = API_BASE, clientSecret = "PzZ7OfWHoDGXGUmvDT7HrbUd2o1EAW8PgILfVkDA")
}
