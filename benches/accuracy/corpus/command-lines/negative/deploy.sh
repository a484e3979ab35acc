#!/usr/bin/env bash
set -e
export SSHPASS="$(cat /run/secrets/deploy_pass)"
for host in web1 web2 web3; do
  sshpass -e ssh deploy@$host 'sudo systemctl restart portal'
done
