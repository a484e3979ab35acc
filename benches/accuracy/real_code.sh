#!/usr/bin/env bash
# Findings per 100 MB of real code, at leakhound's default settings.
#
# Real code holds few secrets, so nearly every finding here is a false alarm: this is
# the other half of the accuracy corpus (benches/accuracy/evaluate.py), measured on
# code nobody wrote for the test. Scans whichever of these exist on the machine:
#   the cargo registry sources (~/.cargo/registry/src), Python site-packages,
#   node_modules (global and ./node_modules), /usr/share/doc
#
#   benches/accuracy/real_code.sh                          # target/release/leakhound
#   benches/accuracy/real_code.sh --bin /tmp/lh/leakhound
#   benches/accuracy/real_code.sh --bin BIN DIR...          # other directories
#
# Prints MB scanned, findings and findings per 100 MB per directory and in total, then
# the rules that fired most. Needs bash and python3 (standard library only).
set -euo pipefail

bin=target/release/leakhound
top=15
dirs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --top) top="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) dirs+=("$1"); shift ;;
  esac
done

if [ ! -x "$bin" ] && ! command -v "$bin" >/dev/null 2>&1; then
  echo "error: no leakhound binary at $bin" >&2
  echo "hint: build one with \`cargo build --release\`, or pass --bin PATH" >&2
  exit 2
fi

if [ ${#dirs[@]} -eq 0 ]; then
  candidates=("$HOME/.cargo/registry/src")
  while IFS= read -r d; do candidates+=("$d"); done < <(
    python3 -c 'import site, sysconfig; print("\n".join(dict.fromkeys(site.getsitepackages() + [sysconfig.get_paths()["purelib"]])))' 2>/dev/null || true)
  candidates+=(/usr/lib/python3/dist-packages /usr/lib/node_modules /usr/local/lib/node_modules "$PWD/node_modules" /usr/share/doc)
  for d in "${candidates[@]}"; do
    [ -d "$d" ] || continue
    real=$(cd "$d" && pwd -P)
    dup=0
    for seen in "${dirs[@]:-}"; do [ "$seen" = "$real" ] && dup=1; done
    [ $dup -eq 0 ] && dirs+=("$real")
  done
fi
if [ ${#dirs[@]} -eq 0 ]; then
  echo "error: none of the directories exist; pass some as arguments" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

i=0
for d in "${dirs[@]}"; do
  i=$((i + 1))
  rc=0
  "$bin" scan "$d" --format json --quiet > "$work/$i.json" 2> "$work/$i.err" || rc=$?
  if [ $rc -gt 1 ]; then
    echo "error: scanning $d failed (exit $rc):" >&2
    cat "$work/$i.err" >&2
    exit 2
  fi
  printf '%s\n' "$d" > "$work/$i.dir"
done

python3 - "$work" "$i" "$top" "$("$bin" --version)" <<'PY'
import collections, json, sys
work, n, top, version = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
MB = 1_000_000  # MB as in 10^6 bytes
rules = collections.Counter()
rows = []
for k in range(1, n + 1):
    d = open(f"{work}/{k}.dir").read().strip()
    report = json.load(open(f"{work}/{k}.json"))
    s = report["summary"]
    findings = report.get("findings", [])
    rules.update(f["rule_id"] for f in findings)
    rows.append((d, s.get("files_scanned", 0), s.get("bytes_scanned", 0), len(findings), s.get("files_skipped", 0)))

def per100(findings, size):
    return findings / (size / MB) * 100 if size else 0.0

print(f"{version}, default settings")
print(f"{'directory':<58} {'files':>7} {'skipped':>7} {'MB':>8} {'findings':>9} {'per 100 MB':>11}")
print("-" * 105)
for d, files, size, found, skipped in rows:
    print(f"{d[-58:]:<58} {files:>7} {skipped:>7} {size / MB:>8.1f} {found:>9} {per100(found, size):>11.1f}")
print("-" * 105)
files, size, found, skipped = (sum(r[i] for r in rows) for i in (1, 2, 3, 4))
print(f"{'TOTAL':<58} {files:>7} {skipped:>7} {size / MB:>8.1f} {found:>9} {per100(found, size):>11.1f}")
print("(MB = 10^6 bytes actually scanned; binary and oversized files are skipped)")
print()
print(f"top rules (of {len(rules)} that fired):")
for rule, count in rules.most_common(top):
    print(f"  {count:>6}  {rule}")
PY
