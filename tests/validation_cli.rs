//! `--validate` from the command line, end to end: the binary scans a tree, sends each
//! distinct secret once to a local HTTPS server standing in for the provider (through
//! `--validation-endpoint` and the test CA), and every format carries the outcome.
//! Also `leakhound validate REPORT`, `--only-valid`, `--fail-on-valid-only`,
//! `rules list --validators`, and the scrub plan putting live secrets first.

mod common;
mod validation_support;

use common::{TestRepo, fake};
use validation_support::{Reply, TestServer};

/// A GitHub stand-in: one token is live (as `octocat`), every other one is rejected.
fn github(live: String) -> TestServer {
    TestServer::https(move |seen| {
        let bearer = seen
            .headers
            .get("authorization")
            .cloned()
            .unwrap_or_default();
        if seen.target == "/user" && bearer == format!("Bearer {live}") {
            Reply::new(200, r#"{"login":"octocat","id":1,"type":"User"}"#)
        } else {
            Reply::new(401, r#"{"message":"Bad credentials","status":"401"}"#)
        }
    })
}

fn validate_args(server: &TestServer) -> Vec<String> {
    vec![
        "--validate".into(),
        "--validation-endpoint".into(),
        format!("api.github.com={}", server.base_url()),
        "--validation-ca".into(),
        server.ca_file.display().to_string(),
    ]
}

/// Two tokens: `live` in three files, `dead` in one.
fn tree(live: &str, dead: &str) -> TestRepo {
    let repo = TestRepo::plain_dir();
    for name in ["a.py", "b.py", "c.py"] {
        repo.write(name, format!("GITHUB_TOKEN = \"{live}\"\n"));
    }
    repo.write("old.py", format!("GITHUB_TOKEN = \"{dead}\"\n"));
    repo
}

fn run(repo: &TestRepo, args: &[String]) -> (i32, String, String) {
    let output = repo.cmd(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn scan_validate_checks_each_secret_once_and_every_format_says_so() {
    let (live, dead) = (fake::github_pat_seeded(1), fake::github_pat_seeded(2));
    let server = github(live.clone());
    let repo = tree(&live, &dead);
    let mut args: Vec<String> = ["scan", ".", "--format", "json"].map(String::from).to_vec();
    args.extend(validate_args(&server));
    let (code, stdout, stderr) = run(&repo, &args);
    assert_eq!(code, 1, "{stderr}");
    // Two distinct secrets, four findings: two requests.
    assert_eq!(server.requests(), 2, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let outcomes: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["path"].as_str().unwrap().to_string(),
                finding["validation"]["status"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("a.py".to_string(), "valid".to_string()),
            ("b.py".into(), "valid".into()),
            ("c.py".into(), "valid".into()),
            ("old.py".into(), "invalid".into()),
        ]
    );
    assert!(stdout.contains("octocat"), "the identity is reported");
    assert!(
        stderr.contains("validation: 2 secret(s) checked: 1 valid, 1 invalid, 0 unavailable"),
        "{stderr}"
    );
    for format in ["text", "jsonl", "sarif", "github", "gitleaks", "html"] {
        let mut args: Vec<String> = ["scan", ".", "--format", format].map(String::from).to_vec();
        args.extend(validate_args(&server));
        let (_, stdout, stderr) = run(&repo, &args);
        assert!(stdout.contains("valid"), "{format}: no outcome\n{stdout}");
        for text in [&stdout, &stderr] {
            assert!(
                !text.contains(&live) && !text.contains(&dead),
                "{format} leaks"
            );
        }
    }
}

#[test]
fn only_valid_and_fail_on_valid_only() {
    let (live, dead) = (fake::github_pat_seeded(3), fake::github_pat_seeded(4));
    let server = github(live.clone());
    let repo = tree(&live, &dead);
    let mut only: Vec<String> = ["scan", ".", "--format", "jsonl", "--only-valid"]
        .map(String::from)
        .to_vec();
    only.extend(validate_args(&server));
    let (code, stdout, _) = run(&repo, &only);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 3, "only the live token's findings");

    // Only the dead token: reported, but the exit code waits for a live one.
    let dead_only = TestRepo::plain_dir();
    dead_only.write("old.py", format!("GITHUB_TOKEN = \"{dead}\"\n"));
    let mut gate: Vec<String> = ["scan", ".", "--fail-on-valid-only"]
        .map(String::from)
        .to_vec();
    gate.extend(validate_args(&server));
    let (code, stdout, _) = run(&dead_only, &gate);
    assert_eq!(code, 0);
    assert!(stdout.contains("invalid"), "{stdout}");
}

#[test]
fn validation_flags_need_validate() {
    let repo = TestRepo::plain_dir();
    let (code, _, stderr) = run(&repo, &["scan".into(), ".".into(), "--only-valid".into()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("without --validate"), "{stderr}");
}

#[test]
fn an_unmapped_loopback_or_plain_http_endpoint_is_refused() {
    let repo = TestRepo::plain_dir();
    let (code, _, stderr) = run(
        &repo,
        &[
            "scan".into(),
            ".".into(),
            "--validate".into(),
            "--validation-endpoint".into(),
            "api.github.com=http://example.com".into(),
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("api.github.com=http://example.com"),
        "{stderr}"
    );
}

#[test]
fn validate_command_rechecks_a_report_and_the_plan_puts_live_secrets_first() {
    let (live, dead) = (fake::github_pat_seeded(5), fake::github_pat_seeded(6));
    let server = github(live.clone());
    let repo = TestRepo::new();
    repo.commit("old.py", format!("GITHUB_TOKEN = \"{dead}\"\n"));
    repo.commit("new.py", format!("GITHUB_TOKEN = \"{live}\"\n"));
    let work = TestRepo::plain_dir();
    let raw = work.path().join("raw.json");
    let checked = work.path().join("checked.json");
    repo.cmd([
        "history",
        ".",
        "--format",
        "json",
        "--show-secrets",
        "-o",
        raw.to_str().unwrap(),
    ])
    .assert()
    .code(1);
    assert_eq!(
        server.requests(),
        0,
        "history does not validate unless asked"
    );

    let mut args: Vec<String> = vec![
        "validate".into(),
        raw.display().to_string(),
        "--format".into(),
        "json".into(),
        "--show-secrets".into(),
        "-o".into(),
        checked.display().to_string(),
    ];
    args.extend(validate_args(&server).into_iter().skip(1));
    let (code, _, stderr) = run(&work, &args);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(server.requests(), 2);

    let plan = work.path().join("plan");
    repo.cmd([
        "scrub-plan",
        ".",
        "--from-report",
        checked.to_str().unwrap(),
        "-o",
        plan.to_str().unwrap(),
    ])
    .assert()
    .code(0);
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(plan.join("plan.json")).unwrap()).unwrap();
    let secrets = plan["secrets"].as_array().unwrap();
    // The live one leaked last, but is to be rotated first.
    assert_eq!(secrets[0]["validation"], "valid");
    assert_eq!(secrets[0]["paths"][0], "new.py");
    assert_eq!(secrets[1]["validation"], "invalid");
}

#[test]
fn validate_command_refuses_a_redacted_report() {
    let work = TestRepo::plain_dir();
    work.write(
        "a.py",
        format!("GITHUB_TOKEN = \"{}\"\n", fake::github_pat()),
    );
    let report = work.path().join("r.json");
    work.cmd([
        "scan",
        ".",
        "--format",
        "json",
        "-o",
        report.to_str().unwrap(),
    ])
    .assert()
    .code(1);
    let (code, _, stderr) = run(&work, &["validate".into(), report.display().to_string()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("redacted") && stderr.contains("hint:"),
        "{stderr}"
    );
}

#[test]
fn rules_list_validators_names_every_host() {
    let repo = TestRepo::plain_dir();
    let (code, stdout, _) = run(
        &repo,
        &["rules".into(), "list".into(), "--validators".into()],
    );
    assert_eq!(code, 0);
    for host in ["api.github.com", "sts.amazonaws.com", "slack.com"] {
        assert!(stdout.contains(host), "{host} missing:\n{stdout}");
    }
    assert!(
        stdout.contains("only through --validation-endpoint"),
        "{stdout}"
    );
}
