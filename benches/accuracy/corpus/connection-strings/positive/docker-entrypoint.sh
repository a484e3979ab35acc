#!/bin/sh
export DATABASE_URL="mysql://shop:Maverick_Tiger_99@mysql.internal:3306/shop?charset=utf8mb4"
exec "$@"
