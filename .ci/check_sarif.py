#!/usr/bin/env python3
"""Checks SARIF logs written by `leakhound --format sarif`.

Each FILE is validated against the SARIF 2.1.0 JSON schema (errata 01, draft-04) and
then against the subset GitHub code scanning needs (see ../shared/schemas/README.md):
rules with descriptions, help, a `security` tag and a security-severity; results with a
rule id, a message, exactly one location with a repository-relative URI and a region
starting at line and column >= 1, and a primaryLocationLineHash; at most 25,000 results
per run; at most 10 MB gzip-compressed.

Exits 0 when every file passes, 1 when any check fails, 2 on a usage error.

Needs `jsonschema` (see .ci/sarif_requirements.txt). Runs offline.
"""

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = REPO_ROOT / ".." / "shared" / "schemas" / "sarif-2.1.0.json"

MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_RUNS = 20
MAX_TAGS_PER_RULE = 20
MAX_GZIP_BYTES = 10 * 1024 * 1024
MAX_SCHEMA_ERRORS_SHOWN = 20
LEVELS = {"none", "note", "warning", "error"}
PRECISIONS = {"very-high", "high", "medium", "low"}
SECURITY_SEVERITY = re.compile(r"^\d{1,2}(\.\d+)?$")
URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def load_schema_validator(schema_path):
    try:
        from jsonschema import validators
    except ImportError:
        sys.exit(
            "error: the python package `jsonschema` is missing\n"
            "hint: python3 -m venv .ci/.venv && .ci/.venv/bin/pip install -r .ci/sarif_requirements.txt"
        )
    try:
        schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    except OSError as error:
        sys.exit(f"error: cannot read the SARIF schema {schema_path}: {error.strerror}\n"
                 "hint: pass its path with --schema")
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def text_of(value, key):
    """value[key]['text'] when it is a non-empty string, else None."""
    inner = value.get(key) if isinstance(value, dict) else None
    text = inner.get("text") if isinstance(inner, dict) else None
    return text if isinstance(text, str) and text.strip() else None


def check_rule(rule, where, problems):
    if not isinstance(rule, dict):
        problems.append(f"{where}: not an object")
        return
    if not isinstance(rule.get("id"), str) or not rule["id"]:
        problems.append(f"{where}: no id")
    for key in ("shortDescription", "fullDescription", "help"):
        if text_of(rule, key) is None:
            problems.append(f"{where}: {key}.text is missing or empty")
    help_ = rule.get("help")
    if not (isinstance(help_, dict) and isinstance(help_.get("markdown"), str) and help_["markdown"].strip()):
        problems.append(f"{where}: help.markdown is missing or empty")
    properties = rule.get("properties")
    if not isinstance(properties, dict):
        problems.append(f"{where}: no properties (tags, security-severity, precision)")
        return
    tags = properties.get("tags")
    if not (isinstance(tags, list) and "security" in tags):
        problems.append(f"{where}: properties.tags does not contain \"security\"")
    elif len(tags) > MAX_TAGS_PER_RULE:
        problems.append(f"{where}: {len(tags)} tags, more than the {MAX_TAGS_PER_RULE} GitHub accepts")
    severity = properties.get("security-severity")
    if not (isinstance(severity, str) and SECURITY_SEVERITY.match(severity)
            and 0.1 <= float(severity) <= 10.0):
        problems.append(
            f"{where}: properties.security-severity must be a string from \"0.1\" to \"10.0\", "
            f"got {json.dumps(severity)}"
        )
    if properties.get("precision") not in PRECISIONS:
        problems.append(
            f"{where}: properties.precision must be one of {sorted(PRECISIONS)}, "
            f"got {json.dumps(properties.get('precision'))}"
        )


def check_location(location, where, problems):
    physical = location.get("physicalLocation") if isinstance(location, dict) else None
    if not isinstance(physical, dict):
        problems.append(f"{where}: no physicalLocation")
        return
    artifact = physical.get("artifactLocation")
    uri = artifact.get("uri") if isinstance(artifact, dict) else None
    if not isinstance(uri, str) or not uri:
        problems.append(f"{where}: no artifactLocation.uri")
    elif (URI_SCHEME.match(uri) or uri.startswith("/") or uri.startswith("\\")
          or ".." in uri.split("/")):
        problems.append(f"{where}: artifactLocation.uri {json.dumps(uri)} is not repository-relative")
    elif artifact.get("uriBaseId") != "%SRCROOT%":
        problems.append(f"{where}: artifactLocation.uriBaseId should be \"%SRCROOT%\", "
                        f"got {json.dumps(artifact.get('uriBaseId'))}")
    region = physical.get("region")
    if not isinstance(region, dict):
        problems.append(f"{where}: no region")
        return
    for key in ("startLine", "startColumn"):
        value = region.get(key)
        if not (isinstance(value, int) and value >= 1):
            problems.append(f"{where}: region.{key} must be an integer >= 1, got {json.dumps(value)}")
    start_line, end_line = region.get("startLine"), region.get("endLine")
    if isinstance(start_line, int) and isinstance(end_line, int) and end_line < start_line:
        problems.append(f"{where}: region.endLine {end_line} is before startLine {start_line}")


def check_result(result, where, rule_ids, problems):
    if not isinstance(result, dict):
        problems.append(f"{where}: not an object")
        return
    rule_id = result.get("ruleId")
    if not isinstance(rule_id, str) or not rule_id:
        problems.append(f"{where}: no ruleId")
    elif rule_id not in rule_ids:
        problems.append(f"{where}: ruleId {json.dumps(rule_id)} is not in tool.driver.rules")
    else:
        index = result.get("ruleIndex")
        if index is not None and (not isinstance(index, int) or index >= len(rule_ids)
                                  or rule_ids[index] != rule_id):
            problems.append(f"{where}: ruleIndex {index} does not point at rule {json.dumps(rule_id)}")
    if text_of(result, "message") is None:
        problems.append(f"{where}: message.text is missing or empty")
    level = result.get("level")
    if level is not None and level not in LEVELS:
        problems.append(f"{where}: level {json.dumps(level)} is not one of {sorted(LEVELS)}")
    locations = result.get("locations")
    if not isinstance(locations, list) or len(locations) != 1:
        count = len(locations) if isinstance(locations, list) else 0
        problems.append(f"{where}: needs exactly one location, has {count}")
    else:
        check_location(locations[0], f"{where}.locations[0]", problems)
    hashes = result.get("partialFingerprints")
    line_hash = hashes.get("primaryLocationLineHash") if isinstance(hashes, dict) else None
    if not isinstance(line_hash, str) or not line_hash:
        problems.append(f"{where}: no partialFingerprints.primaryLocationLineHash")


def check_github_subset(log, problems):
    if log.get("version") != "2.1.0":
        problems.append(f"version must be \"2.1.0\", got {json.dumps(log.get('version'))}")
    runs = log.get("runs")
    if not isinstance(runs, list) or not runs:
        problems.append("no runs")
        return 0
    if len(runs) > MAX_RUNS:
        problems.append(f"{len(runs)} runs, more than the {MAX_RUNS} GitHub accepts")
    total = 0
    for run_number, run in enumerate(runs):
        where = f"runs[{run_number}]"
        driver = run.get("tool", {}).get("driver", {}) if isinstance(run, dict) else {}
        if not isinstance(driver.get("name"), str) or not driver.get("name"):
            problems.append(f"{where}.tool.driver: no name")
        rules = driver.get("rules")
        if not isinstance(rules, list):
            problems.append(f"{where}.tool.driver: no rules")
            rules = []
        if len(rules) > MAX_RULES:
            problems.append(f"{where}.tool.driver: {len(rules)} rules, more than the {MAX_RULES} GitHub accepts")
        rule_ids = []
        for index, rule in enumerate(rules):
            check_rule(rule, f"{where}.tool.driver.rules[{index}]", problems)
            rule_ids.append(rule.get("id") if isinstance(rule, dict) else None)
        duplicates = sorted({rule_id for rule_id in rule_ids if rule_ids.count(rule_id) > 1 and rule_id})
        if duplicates:
            problems.append(f"{where}.tool.driver.rules: duplicate ids {duplicates}")
        results = run.get("results")
        if not isinstance(results, list):
            problems.append(f"{where}: no results array")
            continue
        if len(results) > MAX_RESULTS:
            problems.append(f"{where}: {len(results)} results, more than the {MAX_RESULTS} GitHub accepts")
        for index, result in enumerate(results):
            check_result(result, f"{where}.results[{index}]", rule_ids, problems)
        total += len(results)
    return total


def check_file(path, validator, forbidden):
    """Problems found in one file, and the number of results it holds."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        return [f"cannot read: {error.strerror}"], 0
    try:
        log = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return [f"not JSON: {error}"], 0
    problems = []
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.absolute_path))
    for error in errors[:MAX_SCHEMA_ERRORS_SHOWN]:
        location = "/".join(str(part) for part in error.absolute_path) or "(root)"
        problems.append(f"schema: at {location}: {error.message}")
    if len(errors) > MAX_SCHEMA_ERRORS_SHOWN:
        problems.append(f"schema: ... and {len(errors) - MAX_SCHEMA_ERRORS_SHOWN} more errors")
    if not isinstance(log, dict):
        problems.append("the log is not a JSON object")
        return problems, 0
    results = check_github_subset(log, problems)
    compressed = len(gzip.compress(raw))
    if compressed > MAX_GZIP_BYTES:
        problems.append(f"{compressed} bytes gzip-compressed, more than the 10 MB GitHub accepts")
    text = raw.decode("utf-8", errors="replace")
    for secret in forbidden:
        if secret and secret in text:
            problems.append(f"contains a forbidden string (a raw secret) of {len(secret)} characters")
    return problems, results


def main():
    parser = argparse.ArgumentParser(
        description="Validate SARIF logs against the SARIF 2.1.0 schema and GitHub code scanning's rules."
    )
    parser.add_argument("files", metavar="FILE", nargs="+", help="SARIF log to check")
    parser.add_argument(
        "--schema",
        default=str(DEFAULT_SCHEMA),
        help="SARIF 2.1.0 JSON schema (default: ../shared/schemas/sarif-2.1.0.json from the repository root)",
    )
    parser.add_argument(
        "--forbid",
        metavar="TEXT",
        action="append",
        default=[],
        help="fail if TEXT (e.g. a planted raw secret) appears anywhere in a file; repeatable",
    )
    arguments = parser.parse_args()
    validator = load_schema_validator(arguments.schema)
    failed = False
    for path in arguments.files:
        problems, results = check_file(path, validator, arguments.forbid)
        if problems:
            failed = True
            for problem in problems:
                print(f"{path}: {problem}", file=sys.stderr)
            print(f"{path}: FAILED ({len(problems)} problems)", file=sys.stderr)
        else:
            print(f"{path}: ok ({results} results)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
