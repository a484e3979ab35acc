package config

const (
	dbUser     = "metrics"
	dbPassword = "Kestrel.Spring+2020"
	dbName     = "metrics"
)
