#!/usr/bin/env bash
# Are the reports of two leakhound builds byte-identical? Runs both binaries over the same
# inputs in every format and every scanning mode and diffs the outputs (durations, which
# vary from run to run, are blanked first).
#
#   benches/pipeline/compare_reports.sh OLD_BINARY NEW_BINARY [REPO]
#
# REPO (default: this repository) is cloned once; the clone is scanned as a tree, as a
# history and as a push of its last 30 commits, with the built-in rules and no
# allowlist, so that there are findings to compare.
#
# UTC_AS_Z=1 rewrites `+00:00` dates in the OLD reports as `Z` first: since the pipeline
# work, pushed commits' dates are read by the same reader as history's, which writes UTC
# as `Z`; everything else must still be identical.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); repo=$(realpath "${3:-.}")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
git clone -q --no-local "$repo" "$work/clone"
rm -f "$work/clone/.leakhound.toml" "$work/clone/.leakhoundignore"
root=$(cd "$(dirname "$0")/../.." && pwd)
formats="text json jsonl sarif github gitleaks html"
# Both binaries run from the same path, so the command line in reports is the same.
run() {
  local binary=$1 out=$2; shift 2
  mkdir -p "$work/bin"; cp "$binary" "$work/bin/leakhound"
  ( cd "$work/clone" && "$work/bin/leakhound" "$@" --color never >"$out" 2>"$out.err" ) || true
  sed -E -i 's/"(duration_ms|durationMs)": ?[0-9]+/"\1":0/g; s/(in |took )[0-9.]+ ?(ms|s)\b/\1T/g; s/"endTimeUtc": ?"[^"]*"/"endTimeUtc":""/g; s/"startTimeUtc": ?"[^"]*"/"startTimeUtc":""/g; s/generated [^<"]*/generated/g; s#(<th scope="row">Duration</th><td>)[^<]*#\1T#g' "$out"
}
zeros=0000000000000000000000000000000000000000
tip=$(git -C "$work/clone" rev-parse HEAD)
base=$(git -C "$work/clone" rev-parse "HEAD~30" 2>/dev/null || echo $zeros)
push_line="refs/heads/main $tip refs/heads/main $base"
differ=0; compared=0
for format in $formats; do
  for mode in scan-tree scan-corpus scan-fixtures history staged-push; do
    case $mode in
      scan-tree) args=(scan . --confidence low) ;;
      scan-corpus) args=(scan "$root/benches/accuracy" --confidence low) ;;
      scan-fixtures) args=(scan "$root/fixtures" --confidence low) ;;
      history) args=(history . --confidence low) ;;
      staged-push) args=(staged --pre-push --confidence low) ;;
    esac
    for side in old new; do
      binary=$old; [ $side = new ] && binary=$new
      if [ $mode = staged-push ]; then
        run "$binary" "$work/$side.$mode.$format" "${args[@]}" --format "$format" <<<"$push_line"
      else
        run "$binary" "$work/$side.$mode.$format" "${args[@]}" --format "$format" </dev/null
      fi
    done
    if [ "${UTC_AS_Z:-0}" = 1 ]; then
      sed -E -i 's/(T[0-9]{2}:[0-9]{2}:[0-9]{2})\+00:00/\1Z/g' "$work/old.$mode.$format"
    fi
    compared=$((compared + 1))
    if cmp -s "$work/old.$mode.$format" "$work/new.$mode.$format"; then
      printf 'same     %-14s %-9s %8d bytes\n' "$mode" "$format" "$(wc -c <"$work/new.$mode.$format")"
    else
      differ=$((differ + 1))
      printf 'DIFFERS  %-14s %-9s\n' "$mode" "$format"
      diff "$work/old.$mode.$format" "$work/new.$mode.$format" | head -20 || true
    fi
  done
done
echo "$compared reports compared, $differ differ"
[ "$differ" -eq 0 ]
