import os
import psycopg2

conn = psycopg2.connect(
    host=os.environ.get("PGHOST", "warehouse.internal"),
    dbname="analytics",
    user=os.environ["PGUSER"],
    password=os.environ["PGPASSWORD"],
    connect_timeout=10,
)
