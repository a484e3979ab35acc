#!/bin/sh
# Local broker for the integration tests.
docker run -d --hostname mq --name acme-mq \
  -p 5672:5672 -p 15672:15672 \
  -e RABBITMQ_DEFAULT_USER=acme \
  -e RABBITMQ_DEFAULT_PASS=nYfqPJBJCNAsKISd54MoRhJRVMHp \
  rabbitmq:3.13-management
