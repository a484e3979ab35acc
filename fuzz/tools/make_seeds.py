#!/usr/bin/env python3
"""Writes the seed corpora (fuzz/corpus/<target>/seed-*) and the dictionaries
(fuzz/dicts/<target>.dict) from the repository's fixtures, rule files and report
snapshots. Run from the repository root: python3 fuzz/tools/make_seeds.py
Seeds are small on purpose (the whole fuzz/corpus stays well under 1 MB)."""
import json
import os
import re
import shutil
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fuzz" / "corpus"
DICTS = ROOT / "fuzz" / "dicts"
MAX_SEED = 8 * 1024


def reset(target):
    d = CORPUS / target
    if d.exists():
        for f in d.glob("seed-*"):
            f.unlink()
    d.mkdir(parents=True, exist_ok=True)
    return d


def put(d, name, data):
    if isinstance(data, str):
        data = data.encode()
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    (d / f"seed-{safe}").write_bytes(data[:MAX_SEED])


def fixtures():
    for f in sorted((ROOT / "fixtures").rglob("*")):
        if f.is_file() and f.stat().st_size <= MAX_SEED:
            yield f.relative_to(ROOT / "fixtures"), f.read_bytes()


def write_dict(target, words):
    DICTS.mkdir(parents=True, exist_ok=True)
    seen = []
    for w in words:
        if w and w not in seen and len(w) <= 64:
            seen.append(w)
    lines = ["# %s: keywords for libFuzzer (-dict=fuzz/dicts/%s.dict); made by fuzz/tools/make_seeds.py" % (target, target)]
    lines += ['"%s"' % "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else "\\x%02X" % b
                               for b in w.encode("latin-1" if all(ord(c) < 256 for c in w) else "utf-8"))
              for w in seen]
    (DICTS / f"{target}.dict").write_text("\n".join(lines) + "\n")


rule_files = {f.name: tomllib.loads(f.read_text()) for f in sorted((ROOT / "rules").glob("*.toml"))}

# config: a few small rule files as written, and hand-written user configs.
d = reset("config")
for name in ["webhooks.toml", "source-hosting.toml", "github.toml", "aws.toml", "posture.toml"]:
    put(d, name, (ROOT / "rules" / name).read_text())
put(d, "leakhound.toml", (ROOT / ".leakhound.toml").read_text())
put(d, "gitleaks-style.toml", '''title = "custom"
[extend]
useDefault = true
disabledRules = ["generic-api-key"]

[[rules]]
id = "internal-token"
description = "Internal service token"
regex = \'\'\'(?i)\\b(itk_[a-z0-9]{32})\\b\'\'\'
secretGroup = 1
entropy = 3.5
keywords = ["itk_"]
[rules.allowlist]
regexTarget = "match"
regexes = [\'\'\'itk_0{32}\'\'\']
stopwords = ["example"]

[allowlist]
description = "global"
paths = [\'\'\'(^|/)testdata/\'\'\']
commits = ["0123456789abcdef0123456789abcdef01234567"]
''')
put(d, "compact.toml", '''[[rules]]
id = "acme-api-key"
description = "Acme API key"
names = ["acme", "acme_api"]
token = ["hex32", "alnum20-40"]
near = 40
severity = "high"
confidence = "medium"
remediation = "Rotate it in the Acme console."
examples = ["acme_api_key = 0123456789abcdef0123456789abcdef"]
negative_examples = ["acme_version = 12"]

[[rules]]
id = "acme-prefixed"
prefix = "acm_"
token = "uuid"
names = ["acme"]
examples = [{ path = "acme.env", text = "ACME=acm_123e4567-e89b-12d3-a456-426614174000" }]

[[allowlists]]
targetRules = ["acme-api-key"]
condition = "AND"
regexTarget = "line"
regexes = ["dummy"]
paths = ["^docs/"]
''')
put(d, "detector-and-path.toml", '''[[rules]]
id = "key-store"
path = \'\'\'\\.(p12|pfx|jks)$\'\'\'
tags = ["key-store"]

[[rules]]
id = "env-file"
detector = "dotenv"
path = \'\'\'(^|/)\\.env$\'\'\'
''')
put(d, "broken.toml", '[[rules]]\nid = 42\nregex = "(unclosed"\n')
spec = (ROOT / "src/rules/spec.rs").read_text()
keys = re.findall(r'^\s+"([a-zA-Z_]+)",$', spec, re.M)
write_dict("config", ["[[rules]]", "[[allowlists]]", "[allowlist]", "[extend]", "[rules.allowlist]",
                      "[[rules.allowlists]]", "useDefault", "disabledRules", "path", "regexTarget",
                      "regexes", "stopwords", "paths", "commits", "targetRules", "condition",
                      "\"AND\"", "\"OR\"", "\"match\"", "\"line\"", "\"secret\"", "hex32", "alnum20-40",
                      "uuid", "'''", "\"\"\"", "(?i)", "\\b", "{1000}", "[a-z0-9]", "\\p{L}", "(?P<x>",
                      "\"dotenv\"", "\"k8s-env\"", "\"ecs-task-env\"", " = "] + keys)

# engine: each rule's first example and negative example, plus the small fixtures.
d = reset("engine")
keywords = []
for fname, doc in rule_files.items():
    for rule in doc.get("rules", []):
        keywords += rule.get("keywords", []) + rule.get("names", [])
        for kind in ("examples",):
            ex = rule.get(kind, [])
            if ex:
                e = ex[0]
                text = e if isinstance(e, str) else e.get("text", "")
                if text:
                    put(d, f"{rule['id']}-{kind[:3]}", text)
for rel, data in fixtures():
    put(d, str(rel), data)
# Long runs that once made scans slow (issue #20, P4 and P11), for the time check.
for name, unit in [("run-A", "A"), ("run-password", 'password="'), ("run-password-value", 'password="abcdefgh1234" '),
                   ("run-token-json", '"token":"'), ("run-begin", "-----BEGIN PRIVATE KEY-----\n"),
                   ("run-url", "https://user:pass@host/ "), ("run-eyj", "eyJ"), ("run-equals", "=")]:
    put(d, name, unit * (MAX_SEED // len(unit)))
structure = ["password=", "PASSWORD = \"", "secret:", "token: ", "api_key=", "-----BEGIN ", "PRIVATE KEY-----",
             "eyJ", "ghp_", "AKIA", "xoxb-", "sk_live_", "://", "@", "leakhound:allow", "gitleaks:allow",
             "\\n", "\"", "'", "=", ":", "\n", "\r\n", "base64,", "==", "\xff\xfe", "\t"]
write_dict("engine", structure + sorted(set(keywords)))

# engine_path: the fixtures with their path as the first line.
d = reset("engine_path")
for rel, data in fixtures():
    put(d, str(rel), str(rel).encode() + b"\n" + data)
for path, text in [(".env", "DB_PASSWORD=hunter2x\n"), ("Dockerfile", "FROM alpine\nENV API_TOKEN=abcd1234efgh\n"),
                   ("k8s/deploy.yaml", "kind: Pod\nspec:\n  containers:\n  - env:\n    - name: DB_PASS\n      value: s3cr3tvalue\n"),
                   ("certs/server.p12", "")]:
    put(d, "path-" + path, path + "\n" + text)
write_dict("engine_path", [".env", ".env.production", "Dockerfile", "main.tf", ".tf.json", "x.tfvars", "deploy.yaml",
                           ".yml", ".json", "fly.toml", "main.bicep", "serverless.yml", ".github/workflows/",
                           "docker-compose.yml", "local.settings.json", ".p12", "id_rsa", "/"] + structure)

# structured: the first byte picks the format (see fuzz_targets/structured.rs).
FORMATS = ["dotenv", "yaml", "json", "terraform", "toml", "bicep", "dockerfile"]
def format_of(rel):
    n = rel.name.lower()
    if n.startswith(".env") or n.endswith(".env"):
        return 0
    if n.endswith((".yaml", ".yml", ".config")):
        return 1
    if n.endswith(".json"):
        return 2
    if n.endswith((".tf", ".tfvars")):
        return 3
    if n.endswith(".toml"):
        return 4
    if n.endswith(".bicep"):
        return 5
    if n.startswith("dockerfile") or n.endswith(".sh"):
        return 6
    return None
d = reset("structured")
for rel, data in fixtures():
    f = format_of(rel)
    if f is not None:
        put(d, f"{FORMATS[f]}-{rel}", str(f).encode() + data)
write_dict("structured", ["---\n", "- ", ": ", "&a ", "*a", "!Ref ", "!Sub ", "|\n", ">-\n", "{", "}", "[", "]", ",",
                          "\"", "'", "\\u00e9", "\\\"", "null", "true", "1e5", "resource \"", "\" {\n", "data \"",
                          "variable \"", "locals {", "jsonencode(", "<<-EOF\n", "<<EOF\n", "EOF\n", "${", "%{", "for ",
                          " : ", "=>", "[env]", "[[services]]", "= '''", "resource ", "'Microsoft.Web/sites@2022-09-01'",
                          " = {", "if (", "[for ", "ENV ", "ARG ", "RUN ", "docker run -e ", " \\\n", "export ",
                          "environment:", "env:", "name: ", "value: ", "valueFrom:", "secretKeyRef:", "containerDefinitions",
                          "\"environment\"", "\"name\"", "\"value\"", "apiVersion: v1\n", "kind: Secret\n", "data:\n",
                          "stringData:\n", "services:\n", "Resources:\n", "Type: AWS::", "Properties:\n", "Statement",
                          "Principal", "\"*\"", "password", "DB_PASSWORD", "API_KEY", "SECRET", "#", "//", "/*", "*/"])

# baseline and from_report: the JSON report snapshots, unwrapped from their insta header.
def snapshot(name):
    text = (ROOT / "src/report/snapshots" / f"leakhound__report__snapshot_tests__{name}_snapshot.snap").read_text()
    return text.split("---\n", 2)[2]
leak_json = snapshot("json")
gitleaks_json = snapshot("gitleaks")
d = reset("baseline")
put(d, "leakhound.json", leak_json)
put(d, "gitleaks.json", gitleaks_json)
put(d, "small.json", '{"findings": [{"fingerprint": "0123456789abcdef0123"}]}')
put(d, "gitleaks-fields.json", '[{"File": "a.txt", "RuleID": "r", "StartLine": 3, "Commit": ""}]')
report = json.loads(leak_json)
for f in report["findings"]:
    f["redacted"] = False
    f["secret"] = f["secret"].replace("*****", "abcdefghijkl")
    f["match"] = f["match"].replace("*****", "abcdefghijkl")
d = reset("from_report")
put(d, "report.json", json.dumps(report, indent=1))
put(d, "one.json", json.dumps({"findings": [report["findings"][1]]}))
write_dict("from_report", ["\"findings\"", "\"rule_id\"", "\"path\"", "\"secret\"", "\"match\"", "\"redacted\"",
                           "\"kind\"", "\"file\"", "\"content\"", "\"posture\"", "\"line\"", "\"column\"", "\"commit\"",
                           "\"occurrences\"", "\"places\"", "\"tags\"", "\"severity\"", "\"confidence\"",
                           "\"fingerprint\"", "\"date\"", "\"id\"", "dotenv-committed", "private-key", "id_rsa", ".pem",
                           "true", "false", "null", "\\u0000", "\\n"])
write_dict("baseline", ["\"findings\"", "\"fingerprint\"", "\"Fingerprint\"", "\"File\"", "\"RuleID\"",
                        "\"StartLine\"", "\"Commit\"", "0123456789abcdef0123", ":", "[", "]", "{", "}"])

# ignore_file: even first byte -> .leakhoundignore, odd -> .gitleaksignore.
d = reset("ignore_file")
put(d, "leakhoundignore", "0123456789abcdef0123 # reviewed\n# comment\n\nfedcba9876543210fedc\n")
put(d, "gitleaksignore", "#\n8d3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b:old/creds.txt:aws-access-key-id:2\n"
                         "config/ci.yml:github-pat-classic:3\n")
put(d, "positional-in-ours", "2" + "a/b:c:d:10\n")

# ignore_rules: .gitignore syntax.
d = reset("ignore_rules")
put(d, "gitignore", "target/\n*.log\n!keep.log\n/build\n**/node_modules\n# c\n\\#x\nsub/*.txt\n[a-z]?.env\n")
put(d, "negations", "*\n!*/\n!.env\n")
write_dict("ignore_rules", ["*", "**", "/", "!", "#", "\\", "[", "]", "?", "[!a]", "{a,b}", ".env", "sub/", "\n"])

# pre_push: git's pre-push hook input.
d = reset("pre_push")
z = "0" * 40
a = "8d3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b"
put(d, "update", f"refs/heads/main {a} refs/heads/main {z}\n")
put(d, "delete", f"(delete) {z} refs/heads/old {a}\n\n")
put(d, "sha256", "refs/heads/x " + "a" * 64 + " refs/heads/x " + "0" * 64 + "\n")

total = sum(f.stat().st_size for f in CORPUS.rglob("seed-*"))
print(f"seeds: {sum(1 for _ in CORPUS.rglob('seed-*'))} files, {total} bytes")
