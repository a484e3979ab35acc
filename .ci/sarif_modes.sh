#!/usr/bin/env bash
# Runs leakhound in every scanning mode with --format sarif on a throwaway repository with
# planted fake secrets, then validates each log against the official SARIF 2.1.0 schema
# (../shared/schemas, never copied here) and GitHub code scanning's subset, and checks
# that no raw secret appears in any of them.
#   usage: bash .ci/sarif_modes.sh BIN VENV
set -euo pipefail
bin=$1
venv=$2
repo_root=$(cd "$(dirname "$0")/.." && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sarif_dir=$work/sarif
fixture=$work/repo
mkdir -p "$sarif_dir" "$fixture"

# Fake secrets in the providers' formats, assembled here so this file holds none.
fake() { python3 -c 'import random,sys; r=random.Random(int(sys.argv[1])); print("".join(r.choice(sys.argv[2]) for _ in range(int(sys.argv[3]))))' "$@"; }
token="gh""p_$(fake 7 ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 36)"
key_id="AK""IA$(fake 8 ABCDEFGHIJKLMNOPQRSTUVWXYZ234567 16)"
password=$(printf '%s%s' 'Tr0ub4dor&' '3horse')

expect_findings() {
  local code=0
  "$@" || code=$?
  if [ "$code" -ne 1 ]; then
    echo "error: \`$*\` exited with $code, expected 1 (findings)" >&2
    exit 1
  fi
}

(
  cd "$fixture"
  git init -q -b main
  git config user.name CI
  git config user.email ci@example.com
  git config commit.gpgsign false
  mkdir -p config "docs dir"
  printf 'steps:\n  token: %s\n' "$token" > config/ci.yml
  printf 'KEY = "%s"\n' "$key_id" > "docs dir/keys, old.py"
  git add -A
  git commit -q -m "add config"
  printf 'DB_PASSWORD = "%s"\n' "$password" > app.py
  git add app.py
  expect_findings "$bin" scan . --format sarif --report-path "$sarif_dir/scan.sarif"
  expect_findings "$bin" staged --format sarif --report-path "$sarif_dir/staged.sarif"
  expect_findings "$bin" history --format sarif --report-path "$sarif_dir/history.sarif"
)

"$venv/bin/python" "$repo_root/.ci/check_sarif.py" \
  --forbid "$token" --forbid "$key_id" --forbid "$password" "$sarif_dir"/*.sarif
