#!/usr/bin/env python3
"""Trains the character-bigram model that leakhound's engine uses to tell words and
identifiers from random secrets (src/engine/randomness.rs), and writes it as
src/engine/bigrams.bin: 41 x 41 bytes, each the cost in sixteenths of a bit of one
character following another.

The training text is what the model must recognise as *not* random: identifiers and words
from source code and documentation on this machine (Python's standard library, the cargo
registry's Rust sources, /usr/share/doc). Run it from the repository root:

    python3 benches/randomness/train.py [DIR ...]
"""
import math
import os
import re
import sys

SYMBOLS = 41  # a-z, 0-9, separator (_ - .), slash, space, other, boundary
BOUNDARY = 40


def symbol(ch: str) -> int:
    if "a" <= ch <= "z":
        return ord(ch) - ord("a")
    if "0" <= ch <= "9":
        return 26 + ord(ch) - ord("0")
    if ch in "_-.":
        return 36
    if ch == "/":
        return 37
    if ch == " ":
        return 38
    return 39


def default_dirs():
    dirs = []
    for root in ("/usr/lib/python3.11", "/usr/lib/python3"):
        if os.path.isdir(root):
            dirs.append(root)
            break
    else:
        import sysconfig

        dirs.append(sysconfig.get_paths()["stdlib"])
    registry = os.path.expanduser("~/.cargo/registry/src")
    if os.path.isdir(registry):
        dirs.append(registry)
    if os.path.isdir("/usr/share/doc"):
        dirs.append("/usr/share/doc")
    return dirs


WORD = re.compile(rb"[A-Za-z][A-Za-z0-9_./ \-]{2,60}")
EXTENSIONS = (".py", ".rs", ".md", ".txt", ".rst", ".toml", ".html")
MAX_BYTES = 60_000_000


def main():
    dirs = sys.argv[1:] or default_dirs()
    counts = [[1] * SYMBOLS for _ in range(SYMBOLS)]  # add-one smoothing
    read = 0
    for top in dirs:
        for root, _, files in os.walk(top):
            for name in files:
                if not name.endswith(EXTENSIONS) or read > MAX_BYTES:
                    continue
                try:
                    with open(os.path.join(root, name), "rb") as handle:
                        data = handle.read(200_000)
                except OSError:
                    continue
                read += len(data)
                for match in WORD.finditer(data):
                    word = match.group().decode("ascii").lower()
                    previous = BOUNDARY
                    for ch in word:
                        current = symbol(ch)
                        counts[previous][current] += 1
                        previous = current
                    counts[previous][BOUNDARY] += 1
    table = bytearray()
    for row in counts:
        total = sum(row)
        for count in row:
            bits = -math.log2(count / total)
            table.append(min(255, round(bits * 16)))
    out = os.path.join("src", "engine", "bigrams.bin")
    with open(out, "wb") as handle:
        handle.write(table)
    print(f"trained on {read / 1e6:.1f} MB from {', '.join(dirs)}; wrote {out}")


if __name__ == "__main__":
    main()
