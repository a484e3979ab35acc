//! Every format rendered from one fixed set of findings, checked against the snapshots
//! in `snapshots/`. A changed snapshot is a changed output contract: review it, and add a
//! CHANGELOG line.

use crate::finding::{
    CommitInfo, Finding, FindingKind, Occurrence, Occurrences, Position, Redaction, ScanStats,
};
use crate::rules::{Rule, Severity};

use super::{Color, Format, ReportInput, RunInfo, write_report};

/// Secrets are assembled at run time so this file holds none in a scannable form.
fn fake_github_token() -> String {
    ["gh", "p_", "FAKE0fake1FAKE2fake3FAKE4fake5FAKE6f"].concat()
}

fn fake_aws_key_id() -> String {
    ["AK", "IA", "FAKEFAKEFAKE2345"].concat()
}

fn fake_password() -> String {
    ["not-a-real", "-Passw0rd!"].concat()
}

fn rule(id: &str, description: &str, severity: Severity, tags: &[&str]) -> Rule {
    Rule {
        id: id.to_string(),
        description: description.to_string(),
        regex: Some("unused".to_string()),
        detector: None,
        secret_group: None,
        entropy: None,
        keywords: Vec::new(),
        path: None,
        tags: tags.iter().map(|tag| tag.to_string()).collect(),
        allowlists: Vec::new(),
        severity,
        confidence: None,
        context: None,
        remediation: format!("Revoke the {description} and load its replacement from a vault."),
        examples: Vec::new(),
        negative_examples: Vec::new(),
        validate: None,
        origin: "snapshot".to_string(),
    }
}

/// The rules the sample findings come from, plus one that found nothing.
pub fn sample_rules() -> Vec<Rule> {
    let mut generic = rule(
        "generic-password",
        "Hardcoded password",
        Severity::Medium,
        &["generic", "password"],
    );
    generic.remediation = String::new();
    vec![
        rule(
            "github-pat-classic",
            "GitHub personal access token (classic)",
            Severity::Critical,
            &["github", "token"],
        ),
        rule(
            "aws-access-key-id",
            "AWS access key id",
            Severity::High,
            &["aws", "key"],
        ),
        generic,
        rule(
            "pkcs12-file",
            "PKCS #12 key store",
            Severity::Low,
            &["key-store"],
        ),
        rule(
            "slack-bot-token",
            "Slack bot token",
            Severity::High,
            &["slack"],
        ),
    ]
}

fn content(
    rule: &Rule,
    path: &str,
    start: (usize, usize),
    secret: &str,
    matched: &str,
    fingerprint: &str,
) -> Finding {
    Finding {
        rule_id: rule.id.clone(),
        description: rule.description.clone(),
        severity: rule.severity,
        confidence: Default::default(),
        confidence_reason: None,
        remediation: rule.remediation.clone(),
        tags: rule.tags.clone(),
        kind: FindingKind::Content,
        path: path.to_string(),
        start: Position {
            line: start.0,
            column: start.1,
        },
        end: Position {
            line: start.0,
            column: start.1 + secret.chars().count() - 1,
        },
        secret: secret.to_string(),
        matched: matched.to_string(),
        entropy: 4.3219,
        fingerprint: fingerprint.to_string(),
        commit: None,
        occurrences: None,
        repository: None,
        validation: None,
    }
}

/// One finding of each shape: provider token, generic password in a path that needs
/// escaping, a file finding, and a history finding with commit and occurrences.
pub fn sample_findings() -> Vec<Finding> {
    let rules = sample_rules();
    let token = fake_github_token();
    let key_id = fake_aws_key_id();
    let password = fake_password();
    let key_store = Finding {
        kind: FindingKind::File,
        start: Position { line: 1, column: 1 },
        end: Position { line: 1, column: 1 },
        secret: "certs/server.p12".to_string(),
        matched: "certs/server.p12".to_string(),
        entropy: 0.0,
        ..content(
            &rules[3],
            "certs/server.p12",
            (1, 1),
            "x",
            "x",
            "3c2b1a0f9e8d7c6b5a49",
        )
    };
    let mut history = content(
        &rules[1],
        "old/creds.txt",
        (2, 19),
        &key_id,
        &format!("aws_access_key_id = {key_id}"),
        "0f1e2d3c4b5a69788796",
    );
    history.commit = Some(CommitInfo {
        id: "8d3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b".to_string(),
        author_name: "Jane Doe".to_string(),
        author_email: "jane@example.com".to_string(),
        date: "2024-01-02T03:04:05Z".to_string(),
        summary: "add deploy credentials".to_string(),
    });
    history.occurrences = Some(Occurrences {
        commits: 2,
        refs: 3,
        places: vec![
            Occurrence {
                commit: "8d3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b".into(),
                path: "old/creds.txt".into(),
            },
            Occurrence {
                commit: "9e4a3b2c5d6e7f8091a2b3c4d5e6f708192a3b4c".into(),
                path: "archive/creds.txt".into(),
            },
        ],
    });
    vec![
        key_store,
        content(
            &rules[0],
            "config/ci.yml",
            (3, 12),
            &token,
            &format!("    token: {token}"),
            "a1b2c3d4e5f60718293a",
        ),
        content(
            &rules[2],
            "docs/setup, notes: 100%.md",
            (7, 15),
            &password,
            &format!("DB_PASSWORD = \"{password}\""),
            "5f4e3d2c1b0a99887766",
        ),
        history,
    ]
}

fn stats() -> ScanStats {
    ScanStats {
        files_scanned: 4,
        bytes_scanned: 12_345,
        files_skipped: 1,
        duration_ms: 42,
    }
}

pub fn render(format: Format, findings: &[Finding], redaction: Redaction) -> String {
    render_run(format, findings, redaction, &RunInfo::default())
}

/// Renders with what the run says about itself (the HTML page shows it).
pub fn render_run(
    format: Format,
    findings: &[Finding],
    redaction: Redaction,
    run: &RunInfo,
) -> String {
    let rules = sample_rules();
    let stats = stats();
    let input = ReportInput {
        findings,
        stats: &stats,
        rules: &rules,
        redaction,
        color: Color::Never,
        run,
    };
    let mut out = Vec::new();
    write_report(format, &input, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn render_sample(format: Format) -> String {
    render(format, &sample_findings(), Redaction::Partial)
}

#[test]
fn text_snapshot() {
    insta::assert_snapshot!(render_sample(Format::Text));
}

#[test]
fn json_snapshot() {
    let report: serde_json::Value = serde_json::from_str(&render_sample(Format::Json)).unwrap();
    insta::assert_json_snapshot!(report, { ".tool.version" => "[version]" });
}

#[test]
fn jsonl_snapshot() {
    insta::assert_snapshot!(render_sample(Format::Jsonl));
}

#[test]
fn sarif_snapshot() {
    let log: serde_json::Value = serde_json::from_str(&render_sample(Format::Sarif)).unwrap();
    insta::assert_json_snapshot!(log, {
        ".runs[].tool.driver.semanticVersion" => "[version]",
    });
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!(render_sample(Format::Github));
}

#[test]
fn gitleaks_snapshot() {
    insta::assert_snapshot!(render_sample(Format::Gitleaks));
}

/// A history scan of a repository on GitHub whose HEAD still holds the history finding.
pub fn sample_history_run() -> RunInfo {
    RunInfo {
        command: ["leakhound", "history", ".", "--format", "html"]
            .map(String::from)
            .to_vec(),
        repository: Some(super::Repository {
            name: "/work/acme-widgets".to_string(),
            remote_url: Some("git@github.com:acme/widgets.git".to_string()),
            head: Some("9e4a3b2c5d6e7f8091a2b3c4d5e6f708192a3b4c".to_string()),
            commits_scanned: 17,
        }),
        repositories: None,
    }
}

/// The page with the version redacted and the inline style and script left out: the
/// policy's hashes still change when they do.
fn html_for_snapshot(page: &str) -> String {
    let cut = |page: &str, open: &str, close: &str, with: &str| -> String {
        let start = page.find(open).expect("opening tag") + open.len();
        let end = page[start..].find(close).expect("closing tag") + start;
        format!("{}{with}{}", &page[..start], &page[end..])
    };
    let page = cut(page, "<style>", "</style>", "[report.css]");
    let page = cut(&page, "<script>", "</script>", "[report.js]");
    page.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn html_snapshot() {
    let page = render_run(
        Format::Html,
        &sample_findings(),
        Redaction::Partial,
        &sample_history_run(),
    );
    insta::assert_snapshot!(html_for_snapshot(&page));
}

#[test]
fn html_snapshot_of_a_file_scan() {
    let page = render(Format::Html, &sample_findings()[..3], Redaction::Partial);
    insta::assert_snapshot!(html_for_snapshot(&page));
}

#[test]
fn no_format_shows_a_secret_unless_asked() {
    let findings = sample_findings();
    let secrets = [fake_github_token(), fake_aws_key_id(), fake_password()];
    for &format in <Format as clap::ValueEnum>::value_variants() {
        let redacted = render(format, &findings, Redaction::Partial);
        let shown = render(format, &findings, Redaction::None);
        for secret in &secrets {
            // JSON escapes nothing in these secrets, so a plain search is enough.
            assert!(
                !redacted.contains(secret.as_str()),
                "{format:?} leaks {secret}"
            );
            assert!(
                shown.contains(secret.as_str()),
                "{format:?} hides {secret} under --show-secrets"
            );
        }
    }
}

#[test]
fn empty_reports_are_valid_in_every_format() {
    let empty = render(Format::Gitleaks, &[], Redaction::Partial);
    assert_eq!(empty.trim(), "[]");
    assert_eq!(render(Format::Jsonl, &[], Redaction::Partial), "");
    assert_eq!(render(Format::Github, &[], Redaction::Partial), "");
    let page = render(Format::Html, &[], Redaction::Partial);
    assert!(page.contains("No secrets found."), "{page}");
    assert!(page.trim_end().ends_with("</html>"));
    let log: serde_json::Value =
        serde_json::from_str(&render(Format::Sarif, &[], Redaction::Partial)).unwrap();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn jsonl_has_one_parseable_finding_per_line() {
    let findings = sample_findings();
    let output = render(Format::Jsonl, &findings, Redaction::Partial);
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), findings.len());
    for (line, finding) in lines.iter().zip(&findings) {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["fingerprint"], finding.fingerprint.as_str());
    }
}

#[test]
fn a_crafted_path_cannot_start_a_workflow_command_of_its_own() {
    let mut findings = sample_findings();
    findings[1].path = "evil\n::error file=x::owned,\r%0A.txt".to_string();
    let output = render(Format::Github, &findings[1..2], Redaction::Partial);
    assert_eq!(output.lines().count(), 1, "{output}");
    assert!(
        output.starts_with(
            "::error file=evil\\n%3A%3Aerror file=x%3A%3Aowned%2C\\r%250A.txt,line=3,"
        ),
        "{output}"
    );
}
