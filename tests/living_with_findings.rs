//! End-to-end: allow comments, the ignore file, baselines, and gitleaks config and
//! ignore-file compatibility.

mod common;

use common::{TestRepo, fake, leakhound};
use predicates::prelude::*;
use serde_json::Value;

fn findings(repo: &TestRepo, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["scan", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let output = repo.cmd(args).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&output.stderr)));
    report["findings"].as_array().unwrap().clone()
}

fn lines_of(findings: &[Value]) -> Vec<(String, u64)> {
    findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn allow_comments_drop_findings_unless_no_inline_allow() {
    let repo = TestRepo::plain_dir();
    let content = format!(
        "a = \"{}\"  # leakhound:allow\n# leakhound:allow-next-line\nb = \"{}\"\nc = \"{}\"  // gitleaks:allow\nd = \"{}\"  # pragma: allowlist secret\ne = \"{}\"\n",
        fake::github_pat_seeded(1),
        fake::github_pat_seeded(2),
        fake::github_pat_seeded(3),
        fake::github_pat_seeded(4),
        fake::github_pat_seeded(5),
    );
    repo.write("config.py", content);
    assert_eq!(
        lines_of(&findings(&repo, &[])),
        [("config.py".to_string(), 6)]
    );
    assert_eq!(findings(&repo, &["--no-inline-allow"]).len(), 5);
}

#[test]
fn ignored_fingerprint_survives_line_shifts_but_not_a_new_secret() {
    let repo = TestRepo::new();
    let key = fake::aws_access_key_id();
    repo.write("app.py", format!("KEY = \"{key}\"\n"));
    let found = findings(&repo, &[]);
    assert_eq!(found.len(), 1);
    let fingerprint = found[0]["fingerprint"].as_str().unwrap().to_string();

    repo.cmd(["ignore", &fingerprint, "-m", "test account key"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("1 fingerprint(s) added"));
    let ignore_file = std::fs::read_to_string(repo.path().join(".leakhoundignore")).unwrap();
    assert_eq!(ignore_file, format!("{fingerprint}  # test account key\n"));
    repo.cmd(["scan", "."]).assert().code(0);

    // Lines added above: the value fingerprint still matches.
    repo.write("app.py", format!("import os\n\n\nKEY = \"{key}\"\n"));
    repo.cmd(["scan", "."]).assert().code(0);

    // A different secret on the same line is reported.
    repo.write(
        "app.py",
        format!(
            "import os\n\n\nKEY = \"{}\"\n",
            fake::aws_access_key_id_seeded(9)
        ),
    );
    assert_eq!(lines_of(&findings(&repo, &[])), [("app.py".to_string(), 4)]);
}

#[test]
fn ignore_rejects_something_that_is_not_a_fingerprint() {
    let repo = TestRepo::plain_dir();
    repo.cmd(["ignore", "app.py:12"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a fingerprint"));
}

#[test]
fn baseline_reports_only_new_findings_after_lines_move() {
    let repo = TestRepo::plain_dir();
    repo.write(
        "old.py",
        format!("TOKEN = \"{}\"\n", fake::github_pat_seeded(1)),
    );
    repo.cmd(["baseline", "create", ".", "-o", "baseline.json"])
        .assert()
        .code(0);
    let baseline: Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("baseline.json")).unwrap()).unwrap();
    assert_eq!(baseline["findings"].as_array().unwrap().len(), 1);

    repo.write(
        "old.py",
        format!("\n\nTOKEN = \"{}\"\n", fake::github_pat_seeded(1)),
    );
    repo.write(
        "new.py",
        format!("TOKEN = \"{}\"\n", fake::github_pat_seeded(2)),
    );
    let found = findings(&repo, &["--baseline", "baseline.json"]);
    assert_eq!(lines_of(&found), [("new.py".to_string(), 1)]);
}

#[test]
fn baseline_create_needs_an_output_file() {
    let repo = TestRepo::plain_dir();
    repo.cmd(["baseline", "create", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--report-path <FILE>"));
}

#[test]
fn gitleaks_report_works_as_a_baseline() {
    let repo = TestRepo::plain_dir();
    repo.write("a.py", format!("TOKEN = \"{}\"\n", fake::github_pat()));
    repo.cmd(["scan", ".", "--format", "gitleaks", "-o", "gitleaks.json"])
        .assert()
        .code(1);
    repo.cmd(["scan", ".", "--baseline", "gitleaks.json"])
        .assert()
        .code(0);
}

#[test]
fn gitleaksignore_entries_are_positional() {
    let repo = TestRepo::plain_dir();
    let token = fake::github_pat();
    repo.write("a.py", format!("TOKEN = \"{token}\"\n"));
    let rule = findings(&repo, &[])[0]["rule_id"]
        .as_str()
        .unwrap()
        .to_string();
    repo.write(".gitleaksignore", format!("a.py:{rule}:1\n"));
    repo.cmd(["scan", "."]).assert().code(0);
    // Moved to another line, the entry no longer applies (its meaning in gitleaks).
    repo.write("a.py", format!("\nTOKEN = \"{token}\"\n"));
    repo.cmd(["scan", "."]).assert().code(1);
}

#[test]
fn gitleaks_toml_at_the_root_loads_with_every_field() {
    let repo = TestRepo::plain_dir();
    repo.write(
        ".gitleaks.toml",
        r#"
title = "team config"

[extend]
useDefault = true
disabledRules = ["generic-password"]

[[rules]]
id = "acme-token"
description = "Acme token"
regex = '''\Qacme{\E([a-z0-9]{12})}'''
secretGroup = 1
entropy = 2.0
keywords = ["acme{"]
path = '''\.(cfg|txt)$'''
tags = ["acme"]
  [rules.allowlist]
  regexes = ['''^0+$''']
  [[rules.allowlists]]
  condition = "AND"
  regexTarget = "line"
  regexes = ['''# fixture''']
  paths = ['''^tests/''']

[allowlist]
description = "old-style global allowlist"
paths = ['''^vendor/''']

[[allowlists]]
targetRules = ["acme-token"]
stopwords = ["dummy"]
"#,
    );
    repo.write("app.cfg", "acme{k3y9x8w7v6u5}\n");
    repo.write("zeros.cfg", "acme{000000000000}\n");
    repo.write("stop.cfg", "acme{dummy1234567}\n");
    repo.write("tests/fixture.cfg", "acme{q1w2e3r4t5y6} # fixture\n");
    repo.write("tests/real.cfg", "acme{a1s2d3f4g5h6}\n");
    repo.write("vendor/lib.cfg", "acme{z9x8c7v6b5n4}\n");
    repo.write("app.py", "acme{m1n2b3v4c5x6}\n");
    // tests/ lowers the confidence to low, which the default level hides.
    let mut found = lines_of(&findings(&repo, &["--confidence", "low"]));
    found.sort();
    assert_eq!(
        found,
        [
            ("app.cfg".to_string(), 1),
            ("tests/real.cfg".to_string(), 1)
        ]
    );
}

#[test]
fn go_only_regex_syntax_is_translated_or_named() {
    let repo = TestRepo::plain_dir();
    repo.write(
        ".gitleaks.toml",
        "[[rules]]\nid = \"lookahead\"\nregex = '''secret(?=x)'''\n",
    );
    repo.cmd(["scan", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rule `lookahead`"))
        .stderr(predicate::str::contains("look-around"));
}

#[test]
fn baseline_create_help_lists_only_what_it_uses_and_requires_o() {
    let output = leakhound()
        .args(["baseline", "create", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        help.contains("--report-path <FILE> [PATH]"),
        "-o in usage: {help}"
    );
    for ignored in ["--format", "--show-secrets", "--color", "--exit-code"] {
        assert!(!help.contains(ignored), "{ignored} is listed: {help}");
    }
}

#[test]
fn config_help_names_the_gitleaks_fallback() {
    let output = leakhound().args(["scan", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains(".gitleaks.toml"), "{help}");
}
