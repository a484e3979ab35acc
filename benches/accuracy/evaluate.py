#!/usr/bin/env python3
"""Recall and false-positive rate of a leakhound binary on the accuracy corpus.

The corpus is benches/accuracy/corpus/<category>/{positive,negative}/<files>: the
directory is the label. A positive file counts as found when the scan reports at least
one finding in it; a negative file counts as a false positive when the scan reports
anything in it. This is how the held-out benchmark scores a scanner too.

    python3 benches/accuracy/evaluate.py                      # target/release/leakhound
    python3 benches/accuracy/evaluate.py --bin /tmp/lh/leakhound --misses
    python3 benches/accuracy/evaluate.py --json /tmp/accuracy.json

The corpus is copied to a temporary directory first, so the repository's own
.leakhound.toml (which allowlists the corpus) and ignore files do not change the result;
--in-place scans it where it is.

Standard library only (Python 3.11).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

LEVELS = ("high", "medium", "low")
RANK = {"high": 3, "medium": 2, "low": 1}
SIDES = ("positive", "negative")


@dataclass
class FileResult:
    category: str
    side: str
    path: str
    # every finding of the scan that saw the most (the --confidence low run when there is one)
    findings: list[dict] = field(default_factory=list)
    # the findings of the scan with default settings
    default_findings: list[dict] = field(default_factory=list)

    def found_at(self, level: str) -> bool:
        return any(RANK.get(f.get("confidence") or "", 0) >= RANK[level] for f in self.findings)


def main() -> int:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default="target/release/leakhound", help="leakhound binary (default: %(default)s)")
    ap.add_argument("--corpus", default=str(here / "corpus"), help="corpus root (default: benches/accuracy/corpus)")
    ap.add_argument("--json", metavar="OUT", help="also write the numbers to OUT as JSON")
    ap.add_argument("--misses", action="store_true", help="list missed positive files and false-positive files")
    ap.add_argument("--in-place", action="store_true", help="scan the corpus where it is instead of a temporary copy")
    args = ap.parse_args()

    binary = os.path.abspath(args.bin) if os.sep in args.bin else (shutil.which(args.bin) or args.bin)
    if not os.access(binary, os.X_OK):
        sys.exit(f"error: no leakhound binary at {args.bin}\n"
                 "hint: build one with `cargo build --release`, or pass --bin PATH")
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        sys.exit(f"error: no corpus at {corpus}")

    labelled = list_corpus(corpus)
    if not labelled:
        sys.exit(f"error: {corpus} holds no <category>/positive|negative/ files")

    scan_help = run([binary, "scan", "--help"]).stdout
    confidence = "--confidence" in scan_help
    default_level = default_confidence(scan_help) if confidence else None
    version = run([binary, "--version"]).stdout.strip()

    with tempfile.TemporaryDirectory(prefix="leakhound-accuracy-") as tmp:
        root = corpus
        if not args.in_place:
            root = Path(tmp) / "corpus"
            shutil.copytree(corpus, root, symlinks=True)
        default_report = scan(binary, root, [])
        full_report = scan(binary, root, ["--confidence", "low"]) if confidence else default_report

    results = {rel: FileResult(cat, side, rel) for rel, (cat, side) in labelled.items()}
    attach(results, default_report, root, "default_findings")
    attach(results, full_report, root, "findings")

    scanned = default_report.get("summary", {}).get("files_scanned")
    if scanned is not None and scanned != len(labelled):
        print(f"warning: the scan read {scanned} files but the corpus has {len(labelled)}"
              " (ignored, skipped or unlabelled files?)", file=sys.stderr)
    # per-level figures need levels on the findings; a binary may report them without the filter
    levelled = confidence or any(f.get("confidence") in RANK for f in full_report.get("findings", []))
    if confidence:
        check_default_is_a_level(results, default_level)

    numbers = tally(results, levelled)
    print(f"{version}  ({binary})")
    if confidence:
        print(f"confidence levels: supported, default --confidence {default_level}")
    else:
        print("confidence levels: not supported by this binary (every finding counted as one level)")
    print()
    print_category_table(numbers)
    print()
    print_level_table(numbers, levelled, default_level)
    if args.misses:
        print()
        print_misses(results, confidence)
    if args.json:
        numbers.update(binary=binary, version=version, confidence_supported=confidence,
                       default_level=default_level, corpus=str(corpus), files=len(labelled),
                       misses=[miss_entry(r) for r in sorted(results.values(), key=lambda r: r.path)
                               if r.side == "positive" and not r.default_findings],
                       false_positives=[fp_entry(r) for r in sorted(results.values(), key=lambda r: r.path)
                                        if r.side == "negative" and r.default_findings])
        Path(args.json).write_text(json.dumps(numbers, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0


def list_corpus(corpus: Path) -> dict[str, tuple[str, str]]:
    """Relative path -> (category, side) for every file under <category>/<side>/."""
    out = {}
    for path in sorted(corpus.rglob("*")):
        if not path.is_file():
            continue
        parts = path.relative_to(corpus).parts
        if len(parts) >= 3 and parts[1] in SIDES:
            out["/".join(parts)] = (parts[0], parts[1])
        else:
            print(f"warning: {path} is not under <category>/positive|negative/, ignored", file=sys.stderr)
    return out


def run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def default_confidence(scan_help: str) -> str:
    """The --confidence default as the help text states it; medium when it says nothing."""
    m = re.search(r"--confidence[^\n]*(?:\n(?!\s*-)[^\n]*)*?\[default: (\w+)\]", scan_help)
    return m.group(1).lower() if m and m.group(1).lower() in RANK else "medium"


def scan(binary: str, root: Path, extra: list[str]) -> dict:
    cmd = [binary, "scan", ".", "--format", "json", "--show-secrets", *extra]
    proc = run(cmd, cwd=root)
    if proc.returncode not in (0, 1):
        sys.exit(f"error: `{' '.join(cmd)}` in {root} exited with {proc.returncode}\n{proc.stderr.strip()}")
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        sys.exit(f"error: leakhound's JSON report does not parse ({e})\n{proc.stdout[:500]}")


def attach(results: dict[str, FileResult], report: dict, root: Path, attr: str) -> None:
    for f in report.get("findings", []):
        rel = relative(f.get("path", ""), root)
        r = results.get(rel)
        if r is None:
            print(f"warning: finding in unlabelled file {f.get('path')!r}", file=sys.stderr)
            continue
        getattr(r, attr).append(f)


def relative(path: str, root: Path) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(root.resolve())
        except ValueError:
            return path
    return p.as_posix().removeprefix("./")


def check_default_is_a_level(results: dict[str, FileResult], level: str) -> None:
    for r in results.values():
        at_level = r.found_at(level)
        if bool(r.default_findings) != at_level:
            print(f"warning: {r.path}: the default scan and the --confidence low scan filtered to"
                  f" >= {level} disagree ({len(r.default_findings)} vs {at_level})", file=sys.stderr)


def ratio(hits: int, total: int) -> float | None:
    return hits / total if total else None


def tally(results: dict[str, FileResult], confidence: bool) -> dict:
    levels = LEVELS if confidence else ()
    cats: dict[str, dict] = {}
    for r in results.values():
        c = cats.setdefault(r.category, {"positive_files": 0, "positive_hits": 0,
                                          "negative_files": 0, "negative_hits": 0,
                                          "by_level": {lv: {"positive_hits": 0, "negative_hits": 0} for lv in levels}})
        c[f"{r.side}_files"] += 1
        c[f"{r.side}_hits"] += bool(r.default_findings)
        for lv in levels:
            c["by_level"][lv][f"{r.side}_hits"] += r.found_at(lv)
    total = {"positive_files": 0, "positive_hits": 0, "negative_files": 0, "negative_hits": 0,
             "by_level": {lv: {"positive_hits": 0, "negative_hits": 0} for lv in levels}}
    for c in cats.values():
        for k in ("positive_files", "positive_hits", "negative_files", "negative_hits"):
            total[k] += c[k]
        for lv in levels:
            for k in ("positive_hits", "negative_hits"):
                total["by_level"][lv][k] += c["by_level"][lv][k]
    for c in [*cats.values(), total]:
        c["recall"] = ratio(c["positive_hits"], c["positive_files"])
        c["fp_rate"] = ratio(c["negative_hits"], c["negative_files"])
        for lv in levels:
            b = c["by_level"][lv]
            b["recall"] = ratio(b["positive_hits"], c["positive_files"])
            b["fp_rate"] = ratio(b["negative_hits"], c["negative_files"])
    with_pos = [c["recall"] for c in cats.values() if c["recall"] is not None]
    with_neg = [c["fp_rate"] for c in cats.values() if c["fp_rate"] is not None]
    total["macro_recall"] = sum(with_pos) / len(with_pos) if with_pos else None
    total["macro_fp_rate"] = sum(with_neg) / len(with_neg) if with_neg else None
    return {"categories": dict(sorted(cats.items())), "total": total}


def pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:5.1f}%"


def print_category_table(numbers: dict) -> None:
    print("default settings (what the benchmark runs):")
    head = f"{'category':<24} {'pos':>4} {'found':>5} {'recall':>7}   {'neg':>4} {'flagged':>7} {'FP rate':>7}"
    print(head)
    print("-" * len(head))
    rows = list(numbers["categories"].items()) + [("TOTAL", numbers["total"])]
    for name, c in rows:
        if name == "TOTAL":
            print("-" * len(head))
        pos = f"{c['positive_files']:>4} {c['positive_hits']:>5} {pct(c['recall']):>7}" if c["positive_files"] else f"{'':>4} {'':>5} {'-':>7}"
        neg = f"{c['negative_files']:>4} {c['negative_hits']:>7} {pct(c['fp_rate']):>7}" if c["negative_files"] else f"{'':>4} {'':>7} {'-':>7}"
        print(f"{name:<24} {pos}   {neg}")
    t = numbers["total"]
    print(f"{'(mean of categories)':<24} {'':>4} {'':>5} {pct(t['macro_recall']):>7}   {'':>4} {'':>7} {pct(t['macro_fp_rate']):>7}")


def print_level_table(numbers: dict, levelled: bool, default_level: str | None) -> None:
    if not levelled:
        print("by confidence level: n/a (the binary reports no confidence levels)")
        return
    print("by confidence level (findings counted at or above the level):")
    t = numbers["total"]
    head = f"{'level':<10} {'found':>5} {'recall':>7}   {'flagged':>7} {'FP rate':>7}"
    print(head)
    print("-" * len(head))
    for lv in LEVELS:
        b = t["by_level"][lv]
        mark = "  <- default" if lv == default_level else ""
        print(f">= {lv:<7} {b['positive_hits']:>5} {pct(b['recall']):>7}   {b['negative_hits']:>7} {pct(b['fp_rate']):>7}{mark}")
    print()
    head = f"{'category':<24}" + "".join(f" {'R@' + lv:>9} {'FP@' + lv:>9}" for lv in LEVELS)
    print(head)
    print("-" * len(head))
    for name, c in numbers["categories"].items():
        cells = "".join(f" {pct(c['by_level'][lv]['recall']):>9} {pct(c['by_level'][lv]['fp_rate']):>9}" for lv in LEVELS)
        print(f"{name:<24}{cells}")


def describe(f: dict) -> str:
    secret = (f.get("secret") or "").replace("\n", "\\n")
    if len(secret) > 48:
        secret = secret[:45] + "..."
    conf = f" [{f['confidence']}]" if f.get("confidence") else ""
    return f"{f.get('rule_id')}{conf} line {f.get('line')}: {secret}"


def print_misses(results: dict[str, FileResult], confidence: bool) -> None:
    ordered = sorted(results.values(), key=lambda r: r.path)
    missed = [r for r in ordered if r.side == "positive" and not r.default_findings]
    flagged = [r for r in ordered if r.side == "negative" and r.default_findings]
    print(f"missed positive files ({len(missed)}):")
    for r in missed:
        extra = ""
        if confidence and r.findings:
            extra = "  (below the default level: " + ", ".join(sorted({describe(f) for f in r.findings})) + ")"
        print(f"  {r.path}{extra}")
    print(f"\nfalse-positive files ({len(flagged)}):")
    for r in flagged:
        print(f"  {r.path}")
        for f in r.default_findings:
            print(f"      {describe(f)}")


def miss_entry(r: FileResult) -> dict:
    return {"path": r.path, "below_default": [describe(f) for f in r.findings]}


def fp_entry(r: FileResult) -> dict:
    return {"path": r.path, "rules": sorted({f.get("rule_id") for f in r.default_findings}),
            "findings": [describe(f) for f in r.default_findings]}


if __name__ == "__main__":
    sys.exit(main())
