#!/bin/sh
# trigger downstream pipelines after a successful build
CIRCLECI_TOKEN=3471b7df5feec2712ce6162e724f71c2498454e4
TRAVIS_API_TOKEN=HUEZhr7nU6fDPuPuRv6JFO
CODECOV_TOKEN=57f199c6-9c3b-42ca-97c8-41a942e575db

curl -s -X POST "https://circleci.com/api/v2/project/gh/acme/web/pipeline" \
  -H "Circle-Token: $CIRCLECI_TOKEN" -H "Content-Type: application/json" -d '{"branch":"main"}'
