#!/usr/bin/env python3
"""Writes a git repository whose history holds COUNT fake secrets, for measuring how fast
the HTML report of a large audit opens: commits spread over ten years and twenty authors,
each adding files that hold GitHub tokens, AWS key ids and passwords (fake, made here
from a seeded random generator, so this file holds none).

  usage: html_many_findings.py COUNT DIR
"""

import random
import subprocess
import sys

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
SECRETS_PER_FILE = 5
COMMITS = 120


def main():
    count, directory = int(sys.argv[1]), sys.argv[2]
    subprocess.run(["git", "init", "-q", "-b", "main", directory], check=True)
    rng = random.Random(24)

    def secret_line(number):
        kind = number % 3
        if kind == 0:
            return f"github_token: {'gh' + 'p_'}{''.join(rng.choice(ALNUM) for _ in range(36))}\n"
        if kind == 1:
            return f"aws_access_key_id = {'AK' + 'IA'}{''.join(rng.choice(BASE32) for _ in range(16))}\n"
        word = "".join(rng.choice(ALNUM) for _ in range(14))
        return f'DB_PASSWORD = "{word}!7"\n'

    files = (count + SECRETS_PER_FILE - 1) // SECRETS_PER_FILE
    per_commit = (files + COMMITS - 1) // COMMITS
    stream = []
    start = 1_400_000_000
    mark = 0
    written = 0
    for commit in range(COMMITS):
        if written >= files:
            break
        when = start + commit * 30 * 86_400 + rng.randrange(86_400)
        author = f"Developer {commit % 20} <dev{commit % 20}@example.com>"
        message = f"add service configuration batch {commit}\n"
        stream.append(f"commit refs/heads/main\nmark :{mark + 1}\n")
        mark += 1
        stream.append(f"author {author} {when} +0000\ncommitter {author} {when} +0000\n")
        stream.append(f"data {len(message.encode())}\n{message}")
        if commit > 0:
            stream.append(f"from :{mark - 1}\n")
        for _ in range(per_commit):
            if written >= files:
                break
            body = "".join(
                secret_line(written * SECRETS_PER_FILE + line)
                for line in range(min(SECRETS_PER_FILE, count - written * SECRETS_PER_FILE))
            )
            path = f"services/svc{written // 50:03d}/config{written % 50:02d}.yml"
            stream.append(f"M 100644 inline {path}\ndata {len(body.encode())}\n{body}")
            written += 1
        stream.append("\n")
    subprocess.run(
        ["git", "-C", directory, "fast-import", "--quiet"],
        input="".join(stream).encode(),
        check=True,
    )
    subprocess.run(["git", "-C", directory, "checkout", "-q", "main"], check=True)


if __name__ == "__main__":
    main()
