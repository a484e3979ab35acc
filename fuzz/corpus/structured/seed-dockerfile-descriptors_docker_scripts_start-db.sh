6#!/usr/bin/env bash
set -euo pipefail

docker network create acme || true
docker run -d --name acme-db --network acme \
  -p 5432:5432 \
  -e POSTGRES_USER=acme \
  -e POSTGRES_PASSWORD=11547696e669c33e2f665d52f4cef5d5 \
  -v acme-db:/var/lib/postgresql/data \
  postgres:16
