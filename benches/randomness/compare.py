#!/usr/bin/env python3
"""Compares Shannon entropy with leakhound's character-bigram model (src/engine/bigrams.bin)
at telling random secrets from identifiers, paths and words.

Random side: 2,000 strings of 16-64 characters drawn with `secrets` from the alphabets
leakhound's rules look for (base62, lower-case hex, lower-case alnum, base64, upper-case
alnum), and 3,000 each of 8-11 and 12-15 characters. Text side: up to 3,000 runs of 16-64
identifier, path and word characters from code the model was not trained on (Node.js and
Perl sources on this machine). Prints the area under the ROC curve of each score and, for
thresholds, the share of each side that passes. Run from the repository root:

    python3 benches/randomness/compare.py
"""
import bisect
import math
import os
import random
import re
import secrets
import string
from collections import Counter

TABLE = open(os.path.join("src", "engine", "bigrams.bin"), "rb").read()
SYMBOLS, BOUNDARY = 41, 40


def symbol(ch):
    if "a" <= ch <= "z":
        return ord(ch) - 97
    if "0" <= ch <= "9":
        return 26 + ord(ch) - 48
    if ch in "_-.":
        return 36
    if ch == "/":
        return 37
    if ch == " ":
        return 38
    return 39


def bigram_bits(text):
    previous, total = BOUNDARY, 0
    for ch in text.lower():
        current = symbol(ch)
        total += TABLE[previous * SYMBOLS + current]
        previous = current
    total += TABLE[previous * SYMBOLS + BOUNDARY]
    return total / 16 / (len(text) + 1)


def entropy(text):
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


ALPHABETS = [
    string.ascii_letters + string.digits,
    "0123456789abcdef",
    string.ascii_lowercase + string.digits,
    string.ascii_letters + string.digits + "+/",
    string.ascii_uppercase + string.digits,
]


def random_strings(count, low, high):
    return [
        "".join(secrets.choice(alphabet) for _ in range(random.randint(low, high)))
        for alphabet in (random.choice(ALPHABETS) for _ in range(count))
    ]


def text_strings(limit=3000):
    found = []
    pattern = re.compile(r"[A-Za-z][A-Za-z0-9_.\-/ ]{15,64}")
    for top in ["/usr/lib/node_modules", "/usr/share/perl", "/usr/share/perl5"]:
        for root, _, files in os.walk(top):
            for name in files:
                if len(found) > 2 * limit:
                    break
                try:
                    with open(os.path.join(root, name), errors="ignore") as handle:
                        found.extend(pattern.findall(handle.read(50_000))[:20])
                except OSError:
                    continue
    return random.sample(found, min(limit, len(found)))


def auc(positive, negative):
    ordered = sorted(negative)
    return sum(bisect.bisect_left(ordered, p) for p in positive) / (len(positive) * len(ordered))


def main():
    random.seed(1)
    keys = random_strings(2000, 16, 64)
    short = random_strings(3000, 8, 11)
    text = text_strings()
    print(f"{len(keys)} random strings (16-64), {len(short)} short ones (8-11), {len(text)} text runs")
    for name, score in [("Shannon entropy", entropy), ("bigram bits/char", bigram_bits)]:
        print(f"{name:18} AUC {auc([score(k) for k in keys], [score(t) for t in text]):.4f}")
    print("bigram threshold  random kept  short kept  text kept")
    for threshold in [4.0, 4.5, 5.0, 5.5]:
        share = lambda values: sum(bigram_bits(v) >= threshold for v in values) / len(values)
        print(f"{threshold:17.1f}  {share(keys):11.4f}  {share(short):10.4f}  {share(text):9.4f}")


if __name__ == "__main__":
    main()
