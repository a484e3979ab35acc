#!/bin/sh
curl https://api.acme-pay.example/v1/payments \
  -H "Authorization: Bearer $ACME_PAY_KEY" \
  -H "Idempotency-Key: 50c9d8d8-2960-4502-b085-45b8fc59c67b" \
  -d amount=4900 -d currency=eur
