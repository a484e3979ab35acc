#!/bin/bash
export PGPASSWORD="$(vault kv get -field=password secret/reporting/pg)"
psql -h pg-replica.internal -p 5432 -U reporting -d orders -f daily_sales.sql
