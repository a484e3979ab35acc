#!/usr/bin/env bash
# Ecosystem test: leakhound's hooks run through the real pre-commit framework.
#
# Installs pre-commit from PyPI into a venv, snapshots this checkout (working tree as it
# is, committed or not) as a hook repository, and in a throwaway git repository checks
# that, through git's own hooks as `pre-commit install` writes them:
#   - a commit that stages a secret fails and the output names the rule;
#   - a clean commit passes;
#   - `git commit -a` with a secret in a tracked file fails (git's index.lock);
#   - a push of a commit with a secret fails (pre-push stage);
# for both the `leakhound` (language: rust) and `leakhound-system` hooks.
# Exits non-zero on any unexpected result.
#
# CARGO_TARGET_DIR defaults to this checkout's target/ so pre-commit's `cargo install`
# reuses the build. LEAKHOUND_PRECOMMIT_VENV names the venv (default: under $TMPDIR,
# kept between runs).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
VENV="${LEAKHOUND_PRECOMMIT_VENV:-${TMPDIR:-/tmp}/leakhound-precommit-venv}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/leakhound-precommit.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Git and pre-commit state of this run only; the user's configuration stays out.
export PRE_COMMIT_HOME="$WORK/pre-commit-home"
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL="$WORK/gitconfig"
git config --file "$GIT_CONFIG_GLOBAL" user.name "Ecosystem Test"
git config --file "$GIT_CONFIG_GLOBAL" user.email "ecosystem@example.com"
git config --file "$GIT_CONFIG_GLOBAL" init.defaultBranch main
git config --file "$GIT_CONFIG_GLOBAL" commit.gpgsign false
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE PRE_COMMIT_FROM_REF PRE_COMMIT_TO_REF

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "== $*"; }

step "pre-commit in $VENV"
if [ ! -x "$VENV/bin/pre-commit" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check pre-commit
fi
PRE_COMMIT="$VENV/bin/pre-commit"
"$PRE_COMMIT" --version

step "hook repository: a snapshot of $ROOT"
HOOK_REPO="$WORK/hook-repo"
mkdir -p "$HOOK_REPO"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
    tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null) |
    tar -xf - -C "$HOOK_REPO"
git -C "$HOOK_REPO" init -q
git -C "$HOOK_REPO" add -A
git -C "$HOOK_REPO" commit -q -m "snapshot for the ecosystem test"
REV=$(git -C "$HOOK_REPO" rev-parse HEAD)

step "project repository with both hooks"
PROJECT="$WORK/project"
REMOTE="$WORK/remote.git"
git init -q --bare "$REMOTE"
git init -q "$PROJECT"
cd "$PROJECT"
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $HOOK_REPO
    rev: $REV
    hooks:
      - id: leakhound
      - id: leakhound-system
YAML
echo "# project" > README.md
git add .pre-commit-config.yaml README.md
git commit -q -m "initial"
git remote add origin "$REMOTE"
git push -q origin main
"$PRE_COMMIT" install --hook-type pre-commit --hook-type pre-push >/dev/null

step "building the rust hook (cargo install, CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
"$PRE_COMMIT" install-hooks
# leakhound-system finds the binary the rust hook's build left in the shared target dir.
export PATH="$CARGO_TARGET_DIR/release:$PATH"
command -v leakhound >/dev/null || fail "no leakhound in $CARGO_TARGET_DIR/release after the build"

# A fake AWS access key id, assembled here so this file does not contain one.
SECRET_LINE="aws_key = \"AKIA$(printf 'J7QX2LMZ')$(printf '4RVN6WKT')\""

expect_blocked() {
    local what=$1 log=$2
    shift 2
    local head
    head=$(git rev-parse HEAD)
    if "$@" >"$log" 2>&1; then
        cat "$log" >&2
        fail "$what: git succeeded, expected the hooks to block it"
    fi
    grep -q "aws-access-key-id" "$log" || { cat "$log" >&2; fail "$what: output does not name the rule"; }
    grep -q "leakhound-system" "$log" || { cat "$log" >&2; fail "$what: the system hook did not run"; }
    [ "$(git rev-parse HEAD)" = "$head" ] || fail "$what: HEAD moved"
    echo "ok: $what is blocked: $(grep -m1 ' blocked: ' "$log")"
}

expect_allowed() {
    local what=$1 log=$2
    shift 2
    if ! "$@" >"$log" 2>&1; then
        cat "$log" >&2
        fail "$what: git failed, expected the hooks to pass"
    fi
    echo "ok: $what passes"
}

step "pre-commit stage"
echo "$SECRET_LINE" > app.py
git add app.py
expect_blocked "a commit that stages a secret" "$WORK/secret.log" git commit -m "add a secret"

echo "print('hello')" > app.py
git add app.py
expect_allowed "a clean commit" "$WORK/clean.log" git commit -m "clean change"

printf "print('hello')\n%s\n" "$SECRET_LINE" > app.py
expect_blocked "git commit -a with a secret" "$WORK/commit-a.log" git commit -a -m "commit -a"
git checkout -q -- app.py

step "pre-push stage"
printf "print('hello')\n%s\n" "$SECRET_LINE" > app.py
git commit -q -a --no-verify -m "secret, committed without hooks"
expect_blocked "a push of a commit with a secret" "$WORK/push.log" git push -q origin main
git reset -q --hard HEAD~1
echo "print('bye')" > other.py
git add other.py
git commit -q --no-verify -m "clean"
expect_allowed "a clean push" "$WORK/clean-push.log" git push -q origin main

echo "pre-commit ecosystem test passed"
