package store

import (
	"database/sql"

	"github.com/go-sql-driver/mysql"
)

func Open() (*sql.DB, error) {
	cfg := mysql.Config{
		User:   "billing",
		Passwd: "Acm170=lumeK",
		Net:    "tcp",
		Addr:   "10.1.4.20:3306",
		DBName: "billing",
	}
	return sql.Open("mysql", cfg.FormatDSN())
}
