package main

import (
	"database/sql"
	"log"

	_ "github.com/lib/pq"
)

func main() {
	db, err := sql.Open("postgres", "postgres://inventory:Tiger*Spring!2020@10.0.3.12:5432/inventory?sslmode=require")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
}
