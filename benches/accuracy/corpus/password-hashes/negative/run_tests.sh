#!/bin/sh
set -eu
for f in "$@"; do
  echo "$1 $2" >> results.txt
  shift
done
echo "exit status: $?" ; echo "pid: $$"
