#!/usr/bin/env bash
# The history-scrub plan against the real git-filter-repo (from PyPI, in a throwaway venv):
# builds a repository with fake secrets in several commits and branches (an AWS key id, a
# GitHub token on two branches, a PEM private key inside a config file, a committed .env,
# a token inside a base64 blob, a private key file), runs `leakhound scrub-plan`, checks
# the plan's files and that it printed no secret, runs the generated scrub.sh on a mirror
# clone, and asserts that the rewritten history scans
# clean while every non-secret file and every ref's commit count are preserved.
#   usage: bash .ci/scrub_ecosystem.sh BIN
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fixture=$work/repo
plan=$work/plan
mkdir -p "$fixture"

fail() {
  echo "scrub ecosystem check failed: $*" >&2
  exit 1
}

echo "scrub: installing git-filter-repo into a venv"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check git-filter-repo
export PATH="$work/venv/bin:$(dirname "$bin"):$PATH"
command -v git-filter-repo >/dev/null || fail "git-filter-repo is not on PATH after pip install"

# Fake secrets in the providers' formats, assembled here so this file holds none.
fake() { python3 -c 'import random,sys; r=random.Random(int(sys.argv[1])); print("".join(r.choice(sys.argv[2]) for _ in range(int(sys.argv[3]))))' "$@"; }
b64=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/
token="gh""p_$(fake 7 ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 36)"
key_id="AK""IA$(fake 8 ABCDEFGHIJKLMNOPQRSTUVWXYZ234567 16)"
password=$(printf '%s%s' 'Tr0ub4dor&' '3horse')
pem_kind="RSA PRIV""ATE KEY"
pem="-----BEGIN $pem_kind-----"
for seed in 11 12 13 14 15 16; do pem+=$'\n'$(fake "$seed" "$b64" 64); done
pem+=$'\n'"-----END $pem_kind-----"
encoded_token="gh""p_$(fake 9 ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 36)"
encoded=$(printf 'token: %s\n' "$encoded_token" | base64 -w0)
short_password=$(printf '%s%s' 'Hx7!' 'q2z')
secrets=("$short_password" "$token" "$key_id" "$password" "$(fake 11 "$b64" 64)" "$encoded_token" "$encoded")

# Files without secrets, whose content must survive the rewrite byte for byte.
clean_files=(README.md src/main.py docs/guide.md data/numbers.csv docs/notes.txt)

(
  cd "$fixture"
  git init -q -b main
  git config user.name CI
  git config user.email ci@example.com
  git config commit.gpgsign false
  mkdir -p src docs data config
  printf '# demo\n\nA service.\n' > README.md
  printf 'def main():\n    return 42\n' > src/main.py
  git add -A && git commit -q -m "initial"
  printf 'AWS_KEY = "%s"\n' "$key_id" > src/settings.py
  printf '1,2,3\n4,5,6\n' > data/numbers.csv
  printf 'db_password = "%s"\ntimeout = 30\n' "$short_password" > src/db.py
  # The short password's characters elsewhere must survive: it is replaced only where matched.
  printf 'note: %s is not a secret here\n' "$short_password" > docs/notes.txt
  git add -A && git commit -q -m "settings"
  printf 'DB_PASSWORD=%s\nPORT=8080\n' "$password" > .env
  printf 'tls:\n  key: |\n%s\n  port: 443\n' "$(printf '%s\n' "$pem" | sed 's/^/    /')" > config/tls.yaml
  git add -A && git commit -q -m "env and tls"
  git checkout -q -b feature
  printf 'steps:\n  - token: %s\n' "$token" > config/ci.yml
  printf '# Guide\n\nRun it.\n' > docs/guide.md
  printf 'payload = "%s"\n' "$encoded" > config/blob.txt
  printf '%s\n' "$pem" | sed 's/RSA/OPENSSH/' > config/id_rsa
  git add -A && git commit -q -m "ci on feature"
  git checkout -q main
  printf 'deploy:\n  token: %s\n' "$token" > config/deploy.yml
  git add -A && git commit -q -m "deploy on main"
  git tag v1.0
  printf 'def main():\n    return 43\n' > src/main.py
  git add -A && git commit -q -m "later work"
)

code=0
"$bin" history "$fixture" --quiet > /dev/null || code=$?
[ "$code" -eq 1 ] || fail "the fixture should have findings before the rewrite (leakhound history exited $code)"

echo "scrub: leakhound scrub-plan"
"$bin" scrub-plan "$fixture" -o "$plan" > "$work/plan.out" 2> "$work/plan.err" ||
  { cat "$work/plan.err" >&2; fail "scrub-plan exited non-zero"; }

for name in PLAN.md PLAN.html plan.json replacements.txt paths-to-remove.txt; do
  mode=$(stat -c %a "$plan/$name")
  [ "$mode" = 600 ] || fail "$name has mode $mode, expected 600"
done
mode=$(stat -c %a "$plan/scrub.sh")
[ "$mode" = 700 ] || fail "scrub.sh has mode $mode, expected 700"
for secret in "${secrets[@]}"; do
  for shown in "$work/plan.out" "$work/plan.err" "$plan/PLAN.md" "$plan/PLAN.html" "$plan/plan.json" "$plan/scrub.sh"; do
    if grep -qF -- "$secret" "$shown"; then fail "a raw secret appears in $(basename "$shown")"; fi
  done
done
grep -qxF 'literal:.env' "$plan/paths-to-remove.txt" || fail "paths-to-remove.txt does not list .env"
grep -qxF 'literal:config/id_rsa' "$plan/paths-to-remove.txt" || fail "paths-to-remove.txt does not list config/id_rsa"
grep -q '^regex:.*BEGIN' "$plan/replacements.txt" || fail "the PEM key is not a regex replacement"
grep -qF "literal:$token==>" "$plan/replacements.txt" || fail "the GitHub token is not a literal replacement"
grep -q 'CloudTrail' "$plan/PLAN.md" || fail "PLAN.md has no AWS rotation steps"

echo "scrub: running the generated scrub.sh"
bash "$plan/scrub.sh" "$fixture" "$work/mirror.git" > "$work/scrub.out" 2>&1 ||
  { cat "$work/scrub.out" >&2; fail "scrub.sh exited non-zero"; }
mirror=$work/mirror.git

code=0
"$bin" history "$mirror" --quiet > "$work/rescan.out" || code=$?
[ "$code" -eq 0 ] || { cat "$work/rescan.out" >&2; fail "leakhound history finds secrets in the rewritten mirror (exit $code)"; }
for secret in "${secrets[@]:1}"; do
  if git -C "$mirror" log --all -p | grep -qF -- "$secret"; then fail "a secret is still in the rewritten history"; fi
done

refs=$(git -C "$fixture" for-each-ref --format='%(refname)' refs/heads refs/tags)
for ref in $refs; do
  before=$(git -C "$fixture" rev-list --count "$ref")
  after=$(git -C "$mirror" rev-list --count "$ref")
  [ "$before" = "$after" ] || fail "$ref had $before commits, now $after"
  for path in "${clean_files[@]}"; do
    if git -C "$fixture" cat-file -e "$ref:$path" 2>/dev/null; then
      cmp -s <(git -C "$fixture" show "$ref:$path") <(git -C "$mirror" show "$ref:$path") ||
        fail "$path at $ref changed in the rewrite"
    fi
  done
  for removed in .env config/id_rsa; do
    if git -C "$mirror" cat-file -e "$ref:$removed" 2>/dev/null; then fail "$removed is still at $ref"; fi
  done
done
# Files that held secrets keep their other lines.
git -C "$mirror" show main:config/tls.yaml | grep -q 'port: 443' || fail "config/tls.yaml lost its other lines"
git -C "$mirror" show main:src/db.py | grep -qxF 'db_password = "***REMOVED***"' || fail "src/db.py: the short password was not replaced where it was matched"
git -C "$mirror" show main:config/deploy.yml | grep -qF 'token: ***REMOVED***' || fail "config/deploy.yml was not rewritten as planned"

echo "scrub: ok ($(echo "$refs" | wc -l) refs checked; rewritten history scans clean)"
