#!/usr/bin/env bash
# CI smoke check of the fuzz targets under fuzz/ (issue #20): builds them and runs each for
# a short while from its seed corpus and dictionary, failing on any crash, hang, timeout or
# out-of-memory. cargo-fuzz needs a nightly toolchain; without one (it cannot be fetched in
# CI) this prints a note and succeeds. cargo-fuzz is installed only when nightly is there.
#   FUZZ_SECONDS  seconds per target (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-20}"
# As without the sanitizer: an allocation too large to serve fails (Rust's try_reserve
# reports it) instead of aborting the process; an infallible one still aborts.
export ASAN_OPTIONS="${ASAN_OPTIONS:-allocator_may_return_null=1}"

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz smoke: no nightly toolchain (cargo +nightly), so the fuzz targets are not run"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke: installing cargo-fuzz"
  cargo install --quiet --locked cargo-fuzz
fi

started=$SECONDS
cargo +nightly fuzz build
echo "fuzz smoke: targets built in $((SECONDS - started)) s"

# New inputs go to a scratch directory; the seeds under fuzz/corpus stay as committed.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=()
for target in $(cargo +nightly fuzz list); do
  grown="$scratch/$target"
  mkdir -p "$grown"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
  if [ -f "fuzz/dicts/$target.dict" ]; then
    options+=(-dict="fuzz/dicts/$target.dict")
  fi
  case "$target" in
    engine | engine_path) options+=(-max_len=65536) ;;
  esac
  echo "fuzz smoke: $target for ${seconds} s"
  if ! cargo +nightly fuzz run "$target" "$grown" "fuzz/corpus/$target" -- "${options[@]}" \
    >"$scratch/$target.log" 2>&1; then
    tail -n 60 "$scratch/$target.log"
    failed+=("$target")
  else
    grep -E '^stat::number_of_executed_units|^Done' "$scratch/$target.log" || true
  fi
done
echo "fuzz smoke: finished in $((SECONDS - started)) s"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz smoke: FAILED: ${failed[*]} (the input is under fuzz/artifacts/<target>/)" >&2
  exit 1
fi
echo "fuzz smoke: every target ran clean"
