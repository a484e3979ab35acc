#!/bin/bash
PGPASSWORD=Ori530?summL psql -h pg-replica.internal -U reporting -d orders \
  -c "\copy (select * from daily_sales where day = current_date - 1) to '/tmp/sales.csv' csv header"
