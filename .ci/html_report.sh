#!/usr/bin/env bash
# The HTML report in a real browser: Debian's Chromium, headless, driven over the DevTools
# protocol by .ci/html_report_check.py (Python's standard library only).
#
# Builds a fixture repository with fake secrets over several months and branches, an
# injection fixture (a file named `<img src=x onerror=alert(1)>.env`, a commit message with
# `</script>`) and a GitHub remote with credentials in its URL; writes the JSON and HTML
# reports of `history` and `scan`, and the scrub plan's PLAN.html; checks each page in
# Chromium: no console errors or CSP violations, no network requests, the DOM's counts
# equal the JSON report's, the search box narrows the table, sorting works, the injection
# renders as text, the page reads with JavaScript off, dark mode and print apply. Keeps
# screenshots and a PDF in ARTEFACTS. Then measures how long a report of 10,000 findings
# takes to open, and fails above 2 s.
#   usage: bash .ci/html_report.sh BIN [ARTEFACTS_DIR]   (default: target/)
#   env:   CHROMIUM=path (default: chromium on PATH)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
artefacts=${2:-$root/target}
mkdir -p "$artefacts"

fail() {
  echo "html report check failed: $*" >&2
  exit 1
}

chromium=${CHROMIUM:-$(command -v chromium || true)}
[ -n "$chromium" ] && [ -x "$chromium" ] ||
  fail "no chromium on PATH: .ci/run installs Debian's package (apt-get install chromium); set CHROMIUM=path to use another"
echo "html: $("$chromium" --version 2>/dev/null | head -n 1)"
check() { python3 "$here/html_report_check.py" --chromium "$chromium" "$@"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fixture=$work/repo
mkdir -p "$fixture"

# Fake secrets in the providers' formats, assembled here so this file holds none.
fake() { python3 -c 'import random,sys; r=random.Random(int(sys.argv[1])); print("".join(r.choice(sys.argv[2]) for _ in range(int(sys.argv[3]))))' "$@"; }
alnum=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789
b64=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/
token="gh""p_$(fake 31 "$alnum" 36)"
other_token="gh""p_$(fake 32 "$alnum" 36)"
key_id="AK""IA$(fake 33 ABCDEFGHIJKLMNOPQRSTUVWXYZ234567 16)"
secret_key=$(fake 34 "$b64" 40)
password=$(printf '%s%s' 'Tr0ub4dor&' '3horse')
injection_file='<img src=x onerror=alert(1)>.env'
injection_message='oops </script><script>alert(2)</script>'

commit_at() { # DATE MESSAGE
  GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 git commit -q -m "$2"
}
(
  cd "$fixture"
  git init -q -b main
  git config user.name "Mallory \"Q\" O'Brien & Co"
  git config user.email ci@example.com
  git config commit.gpgsign false
  # Credentials in the remote's URL (split so this file holds no such URL) must not reach the page.
  git remote add origin "https://ci-bot:""not-a-token@github.com/acme/widgets.git"
  mkdir -p config src docs
  printf '# widgets\n' > README.md
  printf 'steps:\n  token: %s\n' "$token" > config/ci.yml
  git add -A && commit_at 2024-01-15T10:00:00Z "add CI"
  printf 'AWS_KEY = "%s"\nDB_PASSWORD = "%s"\n' "$key_id" "$password" > src/settings.py
  git add -A && commit_at 2024-03-02T10:00:00+01:00 "settings"
  printf 'AWS_SECRET_ACCESS_KEY=%s\n' "$secret_key" > "$injection_file"
  git add -A && commit_at 2024-03-20T09:30:00-05:00 "$injection_message"
  git rm -q config/ci.yml && commit_at 2024-06-01T12:00:00Z "drop the CI token"
  git checkout -q -b feature
  printf 'notes: use %s\n' "$other_token" > docs/notes.md
  git add -A && commit_at 2024-07-04T08:00:00Z "notes"
  git checkout -q main
)

injections=(--injection "$injection_file" --injection "$injection_message")

echo "html: history report of the fixture"
(cd "$fixture" && "$bin" history . --format json -o "$work/history.json") && code=0 || code=$?
[ "$code" = 1 ] || fail "history --format json exited $code, expected 1 (findings)"
(cd "$fixture" && "$bin" history . --format html -o "$work/history.html") && code=0 || code=$?
[ "$code" = 1 ] || fail "history --format html exited $code, expected 1 (findings)"
for secret in "$token" "$other_token" "$key_id" "$secret_key" "$password" 'Tr0ub4dor&amp;3horse' not-a-token; do
  if grep -qF -- "$secret" "$work/history.html"; then fail "the HTML report shows a raw secret or credential"; fi
done
check check "$work/history.html" --json "$work/history.json" --search settings.py \
  "${injections[@]}" --screenshot "$artefacts/html-report.png"

echo "html: scan report of the working tree"
(cd "$fixture" && "$bin" scan . --format json -o "$work/scan.json") || true
(cd "$fixture" && "$bin" scan . --format html -o "$work/scan.html") || true
check check "$work/scan.html" --json "$work/scan.json" --search settings.py \
  --injection "$injection_file"

echo "html: the scrub plan's PLAN.html"
"$bin" scrub-plan "$fixture" -o "$work/plan" --quiet 2> "$work/plan.err" ||
  { cat "$work/plan.err" >&2; fail "scrub-plan exited non-zero"; }
check page "$work/plan/PLAN.html" --injection "$injection_file" --injection "$injection_message" \
  --screenshot "$artefacts/html-plan.png"

echo "html: load time of a report with 10,000 findings"
python3 "$here/html_many_findings.py" 10005 "$work/many"
"$bin" history "$work/many" --format html -o "$work/many.html" --quiet && code=0 || code=$?
[ "$code" = 1 ] || fail "history of the large fixture exited $code"
check measure "$work/many.html" --runs 3 --limit-ms 2000

echo "html: all checks passed; screenshots in $artefacts (html-report.png, html-report-dark.png, html-plan.png, html-report.pdf)"
