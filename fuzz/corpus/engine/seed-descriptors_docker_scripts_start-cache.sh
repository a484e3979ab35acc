#!/usr/bin/env bash
set -euo pipefail

# REDIS_PASSWORD comes from the caller's environment or the uncommitted .env file.
docker run -d --name acme-cache \
  --env-file .env \
  -e REDIS_PASSWORD \
  -e REDIS_ARGS="--requirepass ${REDIS_PASSWORD}" \
  redis/redis-stack-server:7.2.0-v10
