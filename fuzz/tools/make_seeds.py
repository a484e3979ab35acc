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


def put(d, name, data, limit=MAX_SEED):
    if isinstance(data, str):
        data = data.encode()
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    (d / f"seed-{safe}").write_bytes(data[:limit])


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

# archive: one small archive of each kind the readers open, and archives in archives.
import bz2, gzip, hashlib, io, lzma, tarfile, zipfile


def tar_of(files):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in files:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
        end = tar.offset + 1024
    # Without the zero padding to a 10 KiB record: the end-of-archive blocks remain.
    return out.getvalue()[:end]


def zip_of(files, method=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in files:
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=method)
    return out.getvalue()


members = [("app/.env", b"DB_PASSWORD=Zq8Lm2Vx9Rt4\n"), ("src/main.py", b"print('hi')\n")]
d = reset("archive")
put(d, "stored.zip", zip_of(members, zipfile.ZIP_STORED))
put(d, "deflated.zip", zip_of(members))
put(d, "bzip2.zip", zip_of(members, zipfile.ZIP_BZIP2))
put(d, "plain.tar", tar_of(members), 1 << 16)
put(d, "tar.gz", gzip.compress(tar_of(members), mtime=0))
put(d, "tar.bz2", bz2.compress(tar_of(members)))
put(d, "tar.xz", lzma.compress(tar_of(members)))
put(d, "file.gz", gzip.compress(members[0][1], mtime=0))
put(d, "zip-in-tar.gz", gzip.compress(tar_of([("inner.zip", zip_of(members))]), mtime=0))
put(d, "gz-in-zip-in-zip", zip_of([("a.zip", zip_of([("b.gz", gzip.compress(b"x" * 5000, mtime=0))]))]))
write_dict("archive", ["PK\x03\x04", "PK\x01\x02", "PK\x05\x06", "PK\x06\x06", "PK\x06\x07", "ustar\x00",
                       "ustar  \x00", "\x1f\x8b\x08", "BZh9", "1AY&SY", "\xfd7zXZ\x00", "(\xb5/\xfd", ".zip",
                       ".tar", ".gz", "/", "../", "././@LongLink", "pax_global_header", "path=", "size="])

# image: a docker save tarball and an OCI layout in a tar, two small layers each.
def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


layers = [tar_of(members), tar_of([("app/.wh..env", b""), ("etc/app.conf", b"token = abc\n")])]
config = json.dumps({"architecture": "amd64", "os": "linux",
                     "config": {"Env": ["PATH=/usr/bin", "API_KEY=Zq8Lm2Vx9Rt4Pw7K"], "Labels": {"a": "b"}},
                     "history": [{"created_by": "/bin/sh -c #(nop) ENV X=1"}, {"created_by": "RUN echo hi # buildkit"}],
                     "rootfs": {"type": "layers", "diff_ids": [digest(layer) for layer in layers]}}).encode()
names = [f"l{index}/layer.tar" for index in range(len(layers))]
manifest = json.dumps([{"Config": "config.json", "RepoTags": ["fuzz/app:1"], "Layers": names}]).encode()
d = reset("image")
put(d, "docker-save.tar", tar_of([("config.json", config)] + list(zip(names, layers)) + [("manifest.json", manifest)]), 1 << 16)
gz_layers = [gzip.compress(layer, mtime=0) for layer in layers]
oci_manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": digest(config)},
                           "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest(layer)}
                                      for layer in gz_layers]}).encode()
index = json.dumps({"schemaVersion": 2, "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest(oci_manifest),
     "platform": {"os": "linux", "architecture": "amd64"}, "annotations": {"org.opencontainers.image.ref.name": "1"}}]}).encode()
blobs = [(f"blobs/sha256/{digest(data)[7:]}", data) for data in [config, oci_manifest] + gz_layers]
put(d, "oci.tar", tar_of([("oci-layout", b'{"imageLayoutVersion": "1.0.0"}'), ("index.json", index)] + blobs), 1 << 16)
write_dict("image", ["manifest.json", "index.json", "oci-layout", "blobs/sha256/", "sha256:", "\"Config\"",
                     "\"Layers\"", "\"RepoTags\"", "\"manifests\"", "\"mediaType\"", "\"digest\"", "\"layers\"",
                     "\"config\"", "\"platform\"", "\"rootfs\"", "\"diff_ids\"", "\"history\"", "\"created_by\"",
                     "\"Env\"", "\"Labels\"", "application/vnd.oci.image.index.v1+json",
                     "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
                     "tar+gzip", "tar+zstd", ".wh.", ".wh..wh..opq", "ustar\x00", "\x1f\x8b\x08"])

total = sum(f.stat().st_size for f in CORPUS.rglob("seed-*"))
print(f"seeds: {sum(1 for _ in CORPUS.rglob('seed-*'))} files, {total} bytes")
