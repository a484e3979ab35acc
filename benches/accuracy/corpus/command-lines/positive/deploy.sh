#!/usr/bin/env bash
set -e
for host in web1 web2 web3; do
  sshpass -p 'Velvet_Summer_33' ssh -o StrictHostKeyChecking=no deploy@$host 'sudo systemctl restart portal'
done
