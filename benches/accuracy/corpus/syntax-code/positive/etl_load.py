import psycopg2

conn = psycopg2.connect(
    host="warehouse.internal",
    dbname="analytics",
    user="etl_loader",
    password="Juniper47?Uh80",
    connect_timeout=10,
)
with conn, conn.cursor() as cur:
    cur.execute("SELECT count(*) FROM staging.events")
    print(cur.fetchone())
