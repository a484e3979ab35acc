//! End-to-end runs of `leakhound scan` and `leakhound rules`.

mod common;

use common::{TestRepo, fake, leakhound};
use predicates::prelude::*;

#[test]
fn clean_tree_exits_zero() {
    let repo = TestRepo::plain_dir();
    repo.write("src/main.py", "print('hello')\n");
    repo.cmd(["scan", "."])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no secrets found; scanned 1 file"));
}

#[test]
fn secret_exits_one_with_redacted_secret_and_location() {
    let repo = TestRepo::plain_dir();
    let token = fake::github_pat();
    repo.write("config/ci.yml", format!("steps:\n  token: {token}\n"));
    let output = repo
        .cmd(["scan", ".", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("config/ci.yml\n"), "{stdout}");
    assert!(stdout.contains("2:10"), "{stdout}");
    assert!(stdout.contains("github-pat"), "{stdout}");
    assert!(!stdout.contains(&token), "secret leaked: {stdout}");
}

#[test]
fn show_secrets_prints_the_secret() {
    let repo = TestRepo::plain_dir();
    let token = fake::github_pat();
    repo.write("a.txt", &token);
    repo.cmd(["scan", ".", "--show-secrets"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(token));
}

#[test]
fn exit_code_flag_changes_the_findings_code() {
    let repo = TestRepo::plain_dir();
    repo.write("a.txt", fake::aws_access_key_id());
    repo.cmd(["scan", ".", "--exit-code", "0"]).assert().code(0);
    repo.cmd(["scan", ".", "--exit-code", "42"])
        .assert()
        .code(42);
}

#[test]
fn json_report_follows_the_documented_schema() {
    let repo = TestRepo::plain_dir();
    repo.write(
        "keys.py",
        format!("\n\nKEY = \"{}\"\n", fake::aws_access_key_id()),
    );
    let output = repo
        .cmd(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["schema"], "leakhound/report/v1");
    assert_eq!(report["summary"]["findings"], 1);
    assert_eq!(report["summary"]["files_scanned"], 1);
    let finding = &report["findings"][0];
    assert_eq!(finding["rule_id"], "aws-access-key-id");
    assert_eq!(finding["path"], "keys.py");
    assert_eq!(finding["line"], 3);
    assert_eq!(finding["column"], 8);
    assert_eq!(finding["end_column"], 27);
    assert_eq!(finding["secret"], "AKIA*****");
    assert_eq!(finding["redacted"], true);
    assert_eq!(finding["fingerprint"].as_str().unwrap().len(), 20);
    for field in [
        "description",
        "severity",
        "remediation",
        "match",
        "entropy",
        "tags",
        "kind",
    ] {
        assert!(!finding[field].is_null(), "missing {field}");
    }
}

#[test]
fn report_path_writes_the_report_to_a_file() {
    let repo = TestRepo::plain_dir();
    repo.write("a.txt", fake::github_pat());
    repo.cmd([
        "scan",
        "a.txt",
        "--format",
        "json",
        "--report-path",
        "out.json",
    ])
    .assert()
    .code(1)
    .stdout(predicate::str::is_empty());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("out.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["findings"], 1);
}

#[test]
fn stdin_is_scanned_with_a_dash() {
    leakhound()
        .args(["scan", "-"])
        .write_stdin(format!("token = {}\n", fake::github_pat()))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("<stdin>"));
}

#[test]
fn gitignored_files_are_skipped_unless_no_ignore() {
    let repo = TestRepo::new();
    repo.write(".gitignore", "secrets.txt\n");
    repo.write("secrets.txt", fake::github_pat());
    repo.cmd(["scan", "."]).assert().code(0);
    repo.cmd(["scan", ".", "--no-ignore"]).assert().code(1);
}

#[test]
fn hidden_files_are_scanned_and_git_dir_is_not() {
    let repo = TestRepo::new();
    repo.write(".hidden/config", fake::github_pat());
    std::fs::write(repo.path().join(".git/leak"), fake::aws_access_key_id()).unwrap();
    let output = repo
        .cmd(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, [".hidden/config"]);
}

#[test]
fn binary_and_large_files_are_skipped_with_a_note_under_verbose() {
    let repo = TestRepo::plain_dir();
    repo.write(
        "blob.bin",
        [b"\x00\x01".as_slice(), fake::github_pat().as_bytes()].concat(),
    );
    repo.write(
        "big.txt",
        format!("{}\n{}", "x".repeat(2000), fake::github_pat()),
    );
    repo.cmd(["scan", ".", "--max-file-size", "1K", "-v"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "note: blob.bin: binary file, skipped",
        ))
        .stderr(predicate::str::contains(
            "big.txt: 2041 bytes is over --max-file-size (1024 bytes), skipped",
        ));
    // Without -v, one line says how many were skipped and why.
    repo.cmd(["scan", "."])
        .assert()
        .code(1)
        .stderr("note: skipped 1 file (binary); -v lists them\n");
}

#[test]
fn missing_path_is_named_and_the_rest_is_scanned() {
    let repo = TestRepo::plain_dir();
    repo.write("a.txt", fake::github_pat());
    repo.cmd(["scan", "missing", "a.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "warning: missing: no such file or directory",
        ));
    repo.cmd(["scan", "missing"]).assert().code(2);
}

#[test]
fn unreadable_file_is_noted_and_the_scan_goes_on() {
    let repo = TestRepo::plain_dir();
    repo.write("locked.txt", "x");
    repo.write("open.txt", fake::github_pat());
    let locked = repo.path().join("locked.txt");
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        return; // running as root: permissions do not stop reads
    }
    repo.cmd(["scan", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "locked.txt: cannot read: permission denied",
        ));
}

#[test]
fn invalid_utf8_is_scanned_as_bytes() {
    let repo = TestRepo::plain_dir();
    repo.write(
        "latin1.txt",
        [b"caf\xe9 = ".as_slice(), fake::github_pat().as_bytes()].concat(),
    );
    repo.cmd(["scan", ".", "--format", "json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"column\": 8"));
}

#[test]
fn symlink_loop_is_noted_and_the_scan_finishes() {
    let repo = TestRepo::plain_dir();
    repo.write("dir/a.txt", fake::github_pat());
    std::os::unix::fs::symlink("..", repo.path().join("dir/up")).unwrap();
    repo.cmd(["scan", ".", "--follow-symlinks"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("symlink loop"));
}

#[test]
fn control_characters_in_matches_do_not_reach_the_terminal() {
    let repo = TestRepo::plain_dir();
    repo.write("a.txt", format!("\x1b]0;pwned\x07{}", fake::github_pat()));
    let output = repo
        .cmd(["scan", ".", "--color", "never"])
        .output()
        .unwrap();
    assert!(!output.stdout.contains(&0x1b));
}

#[test]
fn color_always_colours_and_no_color_env_is_honoured_by_auto() {
    let repo = TestRepo::plain_dir();
    repo.write("a.txt", fake::github_pat());
    let colored = repo
        .cmd(["scan", ".", "--color", "always"])
        .output()
        .unwrap();
    assert!(colored.stdout.contains(&0x1b));
    let auto = repo
        .cmd(["scan", "."])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!auto.stdout.contains(&0x1b));
}

#[test]
fn broken_config_exits_two_naming_file_rule_and_hint() {
    let repo = TestRepo::plain_dir();
    repo.write(
        ".leakhound.toml",
        "[[rules]]\nid = \"broken\"\nregex = '''(open'''\n",
    );
    repo.cmd(["scan", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rule `broken` in ./.leakhound.toml: regex does not compile",
        ))
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn config_flag_and_root_config_are_used() {
    let repo = TestRepo::plain_dir();
    repo.write(
        "custom.toml",
        "[[rules]]\nid = \"acme\"\nregex = '''acme_[0-9]{8}'''\nkeywords = [\"acme_\"]\n",
    );
    repo.write("a.txt", "acme_12345678");
    repo.cmd(["scan", "a.txt", "--config", "custom.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("acme"));
    repo.write(
        ".leakhound.toml",
        "[[allowlists]]\npaths = ['''^skip/''']\n",
    );
    repo.write("skip/b.txt", fake::github_pat());
    repo.cmd(["scan", "."]).assert().code(0);
}

#[test]
fn rules_check_passes_on_builtin_rules_and_fails_on_a_bad_example() {
    leakhound()
        .args(["rules", "check"])
        .current_dir(TestRepo::plain_dir().path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 failed"));
    let repo = TestRepo::plain_dir();
    repo.write(
        "bad.toml",
        "[[rules]]\nid = \"acme\"\nregex = '''acme_[0-9]{8}'''\nexamples = [\"acme_123\"]\nnegative_examples = [\"acme_12345678\"]\n",
    );
    repo.cmd(["rules", "check", "--config", "bad.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL acme"))
        .stdout(predicate::str::contains("2 failed"))
        .stderr(predicate::str::contains("has no keywords"));
}

#[test]
fn rules_list_names_every_rule() {
    leakhound()
        .args(["rules", "list"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("aws-access-key-id"));
}

#[test]
fn usage_error_exits_two() {
    leakhound()
        .args(["scan", "--format", "xml"])
        .assert()
        .code(2);
    leakhound().args(["frobnicate"]).assert().code(2);
}

#[test]
fn every_finding_has_a_confidence_and_test_paths_wait_for_confidence_low() {
    let repo = TestRepo::plain_dir();
    repo.write("app.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    repo.write(
        "tests/settings.py",
        format!("DB_PASSWORD = \"{}\"\n", fake::password()),
    );
    let scan = |level: &str| -> Vec<(String, String)> {
        let output = repo
            .cmd(["scan", ".", "--format", "json", "--confidence", level])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|finding| {
                (
                    finding["path"].as_str().unwrap().to_string(),
                    finding["confidence"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // The fake token's last six characters are no CRC32 of the rest: medium, not high.
    let medium = [("app.env".to_string(), "medium".to_string())];
    assert_eq!(scan("medium"), medium);
    assert_eq!(scan("high"), []);
    let low = scan("low");
    assert!(low.contains(&medium[0]), "{low:?}");
    assert!(
        low.contains(&("tests/settings.py".to_string(), "low".to_string())),
        "{low:?}"
    );
    repo.cmd(["scan", ".", "--confidence", "sure"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("high, medium, low"));
}

#[test]
fn file_over_max_file_size_named_on_the_command_line_is_a_warning() {
    let dir = TestRepo::plain_dir();
    dir.write(
        "big.yml",
        format!("token: {}\n{}", fake::github_pat(), "x".repeat(2048)),
    );
    dir.cmd(["scan", "big.yml", "--max-file-size", "1K"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("big.yml"))
        .stderr(predicate::str::contains("--max-file-size"));
}

#[test]
fn skipped_files_show_in_the_summary_with_why() {
    let dir = TestRepo::plain_dir();
    dir.write(
        "big.yml",
        format!("token: {}\n{}", fake::github_pat(), "x".repeat(2048)),
    );
    dir.write("image.bin", b"\x89PNG\x00\x00\x00secret");
    dir.write("small.txt", "hello\n");
    dir.cmd(["scan", ".", "--max-file-size", "1K", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("scanned 1 file"))
        .stdout(predicate::str::contains("skipped 2 files"))
        .stderr(predicate::str::contains("binary"))
        .stderr(predicate::str::contains("over --max-file-size"))
        .stderr(predicate::str::contains("-v"));
}

#[test]
fn base64_blob_with_a_token_and_a_password_reports_both() {
    use base64::Engine;
    let inner = format!(
        "token: {}\ndb_password = \"{}\"\n",
        fake::github_pat(),
        fake::password()
    );
    let blob = base64::engine::general_purpose::STANDARD.encode(inner);
    let dir = TestRepo::plain_dir();
    dir.write("config.yml", format!("payload: {blob}\n"));
    let output = dir.cmd(["scan", ".", "--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["rule_id"].as_str().unwrap())
        .collect();
    assert!(
        rules.iter().any(|id| id.starts_with("github-pat")),
        "{rules:?}"
    );
    assert!(rules.iter().any(|id| id.contains("password")), "{rules:?}");
}

#[test]
fn a_linked_worktree_is_scanned_without_a_warning_about_its_git_file() {
    let repo = TestRepo::new();
    repo.commit("README.md", "# demo\n");
    repo.write(".git/info/exclude", "local.txt\n");
    let worktree = repo.path().join("linked");
    repo.git(["worktree", "add", "-q", worktree.to_str().unwrap()]);
    std::fs::write(
        worktree.join("local.txt"),
        format!("token = \"{}\"\n", fake::github_pat()),
    )
    .unwrap();
    let output = leakhound()
        .args(["scan", "."])
        .current_dir(&worktree)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("not a directory"), "{stderr}");
}
