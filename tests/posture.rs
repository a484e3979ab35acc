//! End-to-end runs of the secrets checklist in infrastructure code: posture findings
//! (SSM `String` parameters, rotation, default KMS keys, key policies, IAM reads on `*`)
//! and secret values written inline in Terraform and CloudFormation, over the fixtures
//! under `fixtures/descriptors/posture/` and `fixtures/descriptors/iac-inline/`; then how
//! posture findings live with the rest: every report format, `--no-posture`, `staged`,
//! allow comments, the ignore file and baselines.

mod common;

use std::collections::BTreeSet;

use common::{TestRepo, fake, leakhound, project_root};
use predicates::prelude::*;
use serde_json::Value;

const FIXTURES: &str = "fixtures/descriptors";
const FOLDERS: &[&str] = &["posture", "iac-inline"];

/// (rule id, path under fixtures/descriptors, line). Posture findings are at the line of
/// the resource (or data block) to fix. Files and resources not listed are negatives:
/// `SecureString` with a customer-managed key, rotation every 30 days (also through
/// `[0]` and `!Ref`), `KmsKeyId`, conditions on `"*"` principals, separate administrators
/// and users, reads of one secret, `{{resolve:...}}`, `manage_master_user_password`,
/// `GenerateSecretString`, sensitive variables without a default.
const EXPECTED: &[(&str, &str, usize)] = &[
    (
        "cloudformation-inline-secret",
        "iac-inline/database.yaml",
        6,
    ),
    (
        "cloudformation-inline-secret",
        "iac-inline/database.yaml",
        24,
    ),
    ("terraform-inline-secret", "iac-inline/db.tf", 7),
    ("terraform-inline-secret", "iac-inline/db.tf", 22),
    ("terraform-inline-secret", "iac-inline/prod.tfvars", 3),
    ("terraform-inline-secret", "iac-inline/variables.tf", 10),
    ("iam-secret-read-any", "posture/iam/iam.tf", 1),
    ("iam-secret-read-any", "posture/iam/iam.tf", 17),
    ("iam-secret-read-any", "posture/iam/role.yaml", 19),
    ("kms-broad-key-policy", "posture/key-policy/key.yaml", 3),
    ("kms-public-key-policy", "posture/key-policy/key.yaml", 23),
    ("kms-public-key-policy", "posture/key-policy/kms.tf", 3),
    ("kms-broad-key-policy", "posture/key-policy/kms.tf", 26),
    (
        "secret-default-kms-key",
        "posture/kms-default/secrets.tf",
        1,
    ),
    (
        "secret-default-kms-key",
        "posture/kms-default/secrets.tf",
        13,
    ),
    (
        "secret-default-kms-key",
        "posture/kms-default/secrets.tf",
        26,
    ),
    (
        "secret-default-kms-key",
        "posture/kms-default/secrets.yaml",
        3,
    ),
    ("secret-rotation", "posture/rotation/secrets.tf", 16),
    // A rotation every 180 days: the rotation resource is the one to fix.
    ("secret-rotation", "posture/rotation/secrets.tf", 27),
    ("secret-rotation", "posture/rotation/secrets.yaml", 22),
    ("secret-rotation", "posture/rotation/secrets.yaml", 31),
    ("ssm-plaintext-parameter", "posture/ssm/parameters.tf", 6),
    ("ssm-plaintext-parameter", "posture/ssm/parameters.tf", 25),
    ("ssm-plaintext-parameter", "posture/ssm/parameters.yaml", 8),
];

const POSTURE_RULES: &[&str] = &[
    "ssm-plaintext-parameter",
    "secret-rotation",
    "secret-default-kms-key",
    "kms-public-key-policy",
    "kms-broad-key-policy",
    "iam-secret-read-any",
];

fn scan_fixtures(extra: &[&str]) -> (Option<i32>, String) {
    let folders: Vec<String> = FOLDERS
        .iter()
        .map(|folder| format!("{FIXTURES}/{folder}"))
        .collect();
    let output = leakhound()
        .current_dir(project_root())
        .arg("scan")
        .args(&folders)
        .arg("--no-ignore")
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn json_findings(extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let (_, stdout) = scan_fixtures(&args);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    report["findings"].as_array().unwrap().clone()
}

fn relative(path: &str) -> String {
    path.strip_prefix(FIXTURES)
        .unwrap_or(path)
        .trim_start_matches('/')
        .to_string()
}

#[test]
fn checklist_fixtures_produce_exactly_the_expected_findings() {
    let findings = json_findings(&[]);
    let found: BTreeSet<(String, String, usize)> = findings
        .iter()
        .map(|finding| {
            (
                finding["rule_id"].as_str().unwrap().to_string(),
                relative(finding["path"].as_str().unwrap()),
                finding["line"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    let expected: BTreeSet<(String, String, usize)> = EXPECTED
        .iter()
        .map(|(rule, path, line)| (rule.to_string(), path.to_string(), *line))
        .collect();
    let missing: Vec<_> = expected.difference(&found).collect();
    let unexpected: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missing: {missing:#?}\nunexpected: {unexpected:#?}"
    );
    assert_eq!(findings.len(), EXPECTED.len());
    let rules: BTreeSet<&str> = EXPECTED.iter().map(|(rule, _, _)| *rule).collect();
    for rule in POSTURE_RULES {
        assert!(rules.contains(rule), "no fixture finding for {rule}");
    }
}

#[test]
fn posture_findings_name_the_resource_at_lower_severity_and_carry_their_fix() {
    for finding in json_findings(&[]) {
        let rule = finding["rule_id"].as_str().unwrap();
        if !POSTURE_RULES.contains(&rule) {
            continue;
        }
        assert_eq!(finding["kind"], "posture", "{finding}");
        assert!(
            matches!(finding["severity"].as_str(), Some("medium" | "low")),
            "{finding}"
        );
        // The resource's name is shown as written: it is not a secret.
        assert_eq!(finding["redacted"], false, "{finding}");
        assert_eq!(finding["secret"], finding["match"], "{finding}");
        assert!(!finding["secret"].as_str().unwrap().contains('*'));
        assert!(
            finding["tags"]
                .as_array()
                .unwrap()
                .contains(&"posture".into())
        );
        assert!(!finding["remediation"].as_str().unwrap().is_empty());
    }
    let at = |path: &str, line: u64| {
        json_findings(&[])
            .into_iter()
            .find(|finding| {
                relative(finding["path"].as_str().unwrap()) == path && finding["line"] == line
            })
            .unwrap()
    };
    let rotation = at("posture/rotation/secrets.tf", 16);
    assert_eq!(rotation["secret"], "partner_api");
    assert_eq!(rotation["column"], 39);
    assert!(
        rotation["remediation"]
            .as_str()
            .unwrap()
            .contains("automatically_after_days")
    );
    assert_eq!(at("posture/key-policy/key.yaml", 23)["secret"], "PublicKey");
}

#[test]
fn secrets_written_inline_are_leaks_at_full_severity() {
    for finding in json_findings(&[]) {
        let rule = finding["rule_id"].as_str().unwrap();
        if POSTURE_RULES.contains(&rule) {
            continue;
        }
        assert_eq!(finding["kind"], "content", "{finding}");
        assert_eq!(finding["severity"], "high", "{finding}");
        assert_eq!(finding["redacted"], true, "{finding}");
        assert!(finding["secret"].as_str().unwrap().ends_with("*****"));
    }
}

#[test]
fn no_posture_leaves_out_posture_findings_and_keeps_leaks() {
    let findings = json_findings(&["--no-posture"]);
    assert_eq!(findings.len(), 6);
    assert!(findings.iter().all(|finding| finding["kind"] == "content"));
    // The two flags contradict each other.
    leakhound()
        .args(["scan", ".", "--no-posture", "--posture"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

#[test]
fn sarif_gives_posture_rules_their_own_ids_and_a_posture_tag() {
    let (code, stdout) = scan_fixtures(&["--format", "sarif"]);
    assert_eq!(code, Some(1));
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for id in POSTURE_RULES {
        let rule = rules
            .iter()
            .find(|rule| rule["id"] == *id)
            .unwrap_or_else(|| panic!("no rule {id}"));
        let tags: Vec<&str> = rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|tag| tag.as_str().unwrap())
            .collect();
        assert!(
            tags.contains(&"posture") && tags.contains(&"security"),
            "{id}: {tags:?}"
        );
        assert!(!tags.contains(&"external/cwe/cwe-798"), "{id}: {tags:?}");
        assert!(
            matches!(
                rule["properties"]["severity"].as_str(),
                Some("medium" | "low")
            ),
            "{id}"
        );
    }
    let results = run["results"].as_array().unwrap();
    let result = results
        .iter()
        .find(|result| result["ruleId"] == "secret-rotation")
        .unwrap();
    assert_eq!(result["level"], "note");
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .contains("resource ")
    );
    assert!(
        results
            .iter()
            .any(|result| result["ruleId"] == "terraform-inline-secret"
                && result["level"] == "error")
    );
}

#[test]
fn every_report_format_shows_posture_findings() {
    let (_, text) = scan_fixtures(&["--format", "text", "--color", "never"]);
    assert!(text.contains("secret-rotation"), "{text}");
    assert!(text.contains("resource partner_api"), "{text}");
    let (_, github) = scan_fixtures(&["--format", "github"]);
    assert!(
        github
            .lines()
            .any(|line| line.starts_with("::notice ") && line.contains("resource partner_api")),
        "{github}"
    );
    assert!(
        github
            .lines()
            .any(|line| line.starts_with("::warning ") && line.contains("iam-secret-read-any"))
    );
    let (_, jsonl) = scan_fixtures(&["--format", "jsonl"]);
    let kinds: BTreeSet<String> = jsonl
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["content".to_string(), "posture".to_string()])
    );
    let (_, gitleaks) = scan_fixtures(&["--format", "gitleaks"]);
    let gitleaks: Value = serde_json::from_str(&gitleaks).unwrap();
    assert!(
        gitleaks
            .as_array()
            .unwrap()
            .iter()
            .any(|finding| finding["RuleID"] == "kms-public-key-policy"
                && finding["Secret"] == "shared")
    );
}

/// A Terraform file whose secret has neither rotation nor a customer-managed key.
const UNROTATED: &str =
    "resource \"aws_secretsmanager_secret\" \"api\" {\n  name = \"prod/api\"\n}\n";

#[test]
fn staged_runs_posture_checks_only_when_asked() {
    let repo = TestRepo::new();
    repo.commit("README.md", "infra\n");
    repo.stage("secrets.tf", UNROTATED);
    repo.cmd(["staged"]).assert().code(0);
    let output = repo
        .cmd(["staged", "--posture", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        BTreeSet::from(["secret-default-kms-key", "secret-rotation"])
    );
    // A leak in the same file stops the commit whatever the flags.
    let password = fake::password();
    repo.stage(
        "secrets.tf",
        format!(
            "{UNROTATED}resource \"aws_db_instance\" \"db\" {{\n  password = \"{password}\"\n}}\n"
        ),
    );
    repo.cmd(["staged"]).assert().code(1).stderr(
        predicate::str::contains("terraform-inline-secret")
            .or(predicate::str::contains("secrets.tf")),
    );
}

fn rules_found(repo: &TestRepo, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["scan", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let output = repo.cmd(args).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            format!(
                "{}:{}",
                finding["rule_id"].as_str().unwrap(),
                finding["line"]
            )
        })
        .collect()
}

#[test]
fn allow_comments_on_the_resource_silence_its_posture_findings() {
    let repo = TestRepo::plain_dir();
    repo.write(
        "secrets.tf",
        "# Rotated by the vendor's own tooling.\n# leakhound:allow-next-line\nresource \"aws_secretsmanager_secret\" \"vendor\" {\n  name = \"prod/vendor\"\n}\n\nresource \"aws_secretsmanager_secret\" \"api\" { # leakhound:allow\n  name = \"prod/api\"\n}\n\nresource \"aws_secretsmanager_secret\" \"db\" {\n  name = \"prod/db\"\n}\n",
    );
    assert_eq!(
        rules_found(&repo, &[]),
        ["secret-default-kms-key:11", "secret-rotation:11"]
    );
    assert_eq!(rules_found(&repo, &["--no-inline-allow"]).len(), 6);
}

#[test]
fn ignore_files_and_baselines_suppress_posture_findings_by_resource() {
    let repo = TestRepo::new();
    repo.write("secrets.tf", UNROTATED);
    let output = repo
        .cmd(["scan", ".", "--format", "json", "--no-posture"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let output = repo
        .cmd(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let fingerprints: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["fingerprint"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fingerprints.len(), 2);

    // The ignore file: lines moving above the resource keep its fingerprint.
    repo.cmd([
        "ignore",
        &fingerprints[0],
        &fingerprints[1],
        "-m",
        "rotated elsewhere",
    ])
    .assert()
    .code(0);
    repo.write(
        "secrets.tf",
        format!("# Secrets of the API.\n\n{UNROTATED}"),
    );
    repo.cmd(["scan", "."]).assert().code(0);
    std::fs::remove_file(repo.path().join(".leakhoundignore")).unwrap();

    // A baseline: only a new resource is reported.
    repo.cmd(["baseline", "create", ".", "-o", "baseline.json"])
        .assert()
        .code(0);
    repo.write(
        "secrets.tf",
        format!("{UNROTATED}resource \"aws_secretsmanager_secret\" \"db\" {{\n  name = \"prod/db\"\n}}\n"),
    );
    assert_eq!(
        rules_found(&repo, &["--baseline", "baseline.json"]),
        ["secret-default-kms-key:4", "secret-rotation:4"]
    );
}

#[test]
fn infrastructure_files_that_do_not_parse_give_no_error() {
    let repo = TestRepo::plain_dir();
    let token = fake::github_pat();
    repo.write(
        "broken.tf",
        format!("resource \"aws_secretsmanager_secret\" {{{{{{\n  name = \"{token}\n"),
    );
    repo.write(
        "broken.yaml",
        format!("Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties: [{token}\n  : :\n"),
    );
    let output = repo
        .cmd(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["rule_id"].as_str().unwrap())
        .collect();
    assert!(rules.contains("github-pat-classic"), "{rules:?}");
}
