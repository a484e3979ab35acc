#!/usr/bin/env bash
# Shard/merge equality and wall times over a list of repositories (paths or URLs):
#   benches/shards/measure.sh LIST [N]
# Runs `history --repos LIST` once unsharded, then N shard runs one after another, merges
# them, and checks that the merged JSON equals the unsharded one (duration left out).
set -euo pipefail
list=${1:?usage: measure.sh LIST [N]}
shards=${2:-4}
bin=${LEAKHOUND:-target/release/leakhound}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

start=$(now)
"$bin" history --repos "$list" --format json -o "$out/whole.json" --exit-code 0 -q
echo "unsharded: $(since "$start") s"
total=0
for k in $(seq 1 "$shards"); do
  start=$(now)
  "$bin" history --repos "$list" --shard "$k/$shards" --format json -o "$out/shard-$k.json" --exit-code 0 -q
  took=$(since "$start")
  total=$(echo "$total + $took" | bc)
  echo "shard $k/$shards: $(jq '.repositories | length' "$out/shard-$k.json") repositories, $(jq '.findings | length' "$out/shard-$k.json") findings, $took s"
done
echo "shards in sequence: $total s (the slowest shard is the wall time when they run in parallel)"
start=$(now)
"$bin" merge "$out"/shard-*.json --format json -o "$out/merged.json" --exit-code 0 -q
echo "merge: $(since "$start") s"
"$bin" merge "$out"/shard-*.json --format sarif -o "$out/merged.sarif" --exit-code 0 -q
# Runs of one history differ in the order of a finding's places when one commit holds the
# secret at several paths (path ids are interned in parallel): compare them sorted.
strip='del(.summary.duration_ms) | .findings |= map(if .occurrences then .occurrences.places |= sort_by(.commit, .path) else . end)'
if diff <(jq -S "$strip" "$out/whole.json") <(jq -S "$strip" "$out/merged.json") >/dev/null; then
  echo "merged == unsharded: $(jq '.findings | length' "$out/merged.json") findings in $(jq '.repositories | length' "$out/merged.json") repositories"
else
  echo "merged != unsharded" >&2
  exit 1
fi
