#!/usr/bin/env bash
# Before/after timing of two leakhound builds, interleaved (A B A B ...), medians:
# a full history, a pre-commit scan of a 2-line change in a large repository, and a
# directory scan; plus instruction counts (valgrind's callgrind, repeatable whatever
# else the machine does) for the pre-commit and directory cases.
#
#   benches/pipeline/ab.sh OLD_BINARY NEW_BINARY GIT_DIR [RUNS]
#
# GIT_DIR is a bare mirror with a long history (e.g. `git clone --mirror
# https://github.com/git/git`); a work tree of its HEAD is checked out in a temporary
# directory for the pre-commit and directory cases.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); mirror=$(realpath "$3"); runs=${4:-5}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
git clone -q "$mirror" "$work/tree"
printf 'int staged_example(void) { return 0; }\nconst char *name = "example";\n' >> "$work/tree/README.md"
git -C "$work/tree" add README.md

seconds() { # prints wall seconds of "$@"
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.4f", m}'; }

case_ab() { # name, then the leakhound arguments; runs in the work tree
  local name=$1; shift
  local a=() b=()
  for _ in $(seq "$runs"); do
    a+=("$(cd "$work/tree" && seconds "$old" "$@")")
    b+=("$(cd "$work/tree" && seconds "$new" "$@")")
  done
  local ma mb
  ma=$(printf '%s\n' "${a[@]}" | median); mb=$(printf '%s\n' "${b[@]}" | median)
  printf '%-22s old %8.4f s  new %8.4f s  new/old %.3f  (median of %d, interleaved)\n' \
    "$name" "$ma" "$mb" "$(echo "$mb / $ma" | bc -l)" "$runs"
}

instructions() { # binary, then arguments: callgrind's instruction count
  local out="$work/cg.out"
  (cd "$work/tree" && valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>"$work/cg.err") || true
  grep -E '^summary:|^totals:' "$out" | head -1 | awk '{print $2}'
}

case_ab "history (git/git)" history "$mirror" -q
case_ab "staged (2 lines)" staged -q
case_ab "scan (work tree)" scan . -q
for args in "staged -q" "scan . -q -j 1"; do
  # shellcheck disable=SC2086
  io=$(instructions "$old" $args); in=$(instructions "$new" $args)
  printf '%-22s old %14s instr  new %14s instr  new/old %.4f\n' "$args" "$io" "$in" "$(echo "$in / $io" | bc -l)"
done
