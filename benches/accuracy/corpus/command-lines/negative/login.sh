#!/bin/sh
echo "$REGISTRY_PASSWORD" | docker login registry.acme.example -u ci-builder --password-stdin
redis-cli -h cache.internal -a "$REDIS_PASSWORD" --no-auth-warning PING
