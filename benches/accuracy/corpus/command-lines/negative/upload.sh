#!/bin/sh
curl -fsS -u "releasebot:${WIKI_TOKEN}" --data-binary @CHANGELOG.md \
  https://wiki.acme.example/rest/api/content/884213/child/attachment
