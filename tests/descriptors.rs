//! End-to-end runs over deployment descriptors and `.env` files: the fixtures under
//! `fixtures/descriptors/` must produce exactly the expected findings (rule, path, line),
//! from the structured detectors and from every other rule that fires on them.

mod common;

use std::collections::BTreeSet;

use common::{TestRepo, fake, leakhound, project_root};

/// (rule id, path under fixtures/descriptors, line) of every finding in the fixtures.
/// Files with no line here are negative examples: placeholders, references, templates,
/// `.env.example`-style files, secrets kept in Secrets Manager or `secretKeyRef`, a broken
/// JSON file (falls back to the regex rules, which find nothing in it).
const EXPECTED: &[(&str, &str, usize)] = &[
    // docker-compose: map form, list form (plain and quoted), YAML merge keys.
    ("compose-plaintext-env", "compose/compose.yaml", 6),
    ("compose-plaintext-env", "compose/compose.yaml", 10),
    ("compose-plaintext-env", "compose/docker-compose.yml", 13),
    // DATABASE_URL with an inline password: the provider rule reports it, not compose.
    (
        "postgres-connection-string",
        "compose/docker-compose.yml",
        22,
    ),
    ("compose-plaintext-env", "compose/docker-compose.yml", 23),
    // .env: plain, `export` with single quotes, double quotes with spaces, multi-line value.
    ("dotenv-committed", "dotenv/.env", 11),
    ("dotenv-committed", "dotenv/.env", 12),
    ("dotenv-committed", "dotenv/.env", 13),
    ("dotenv-committed", "dotenv/.env", 16),
    ("dotenv-committed", "dotenv/.env", 19),
    // A URL with a password is a secret even in a template file; only dotenv-committed
    // skips .env.dist.
    ("mysql-connection-string", "dotenv/.env.dist", 2),
    // AWS_SECRET_ACCESS_KEY=abc123: the place, not the shape, makes it a finding.
    ("dotenv-committed", "dotenv/.env.local", 2),
    ("postgres-connection-string", "dotenv/.env.production", 2),
    ("dotenv-committed", "dotenv/.env.production", 4),
    ("dotenv-committed", "dotenv/.env.production", 6),
    ("amqp-connection-string", "dotenv/services/worker.env", 2),
    ("dotenv-committed", "dotenv/services/worker.env", 4),
    // ECS: CloudFormation JSON and YAML, describe-task-definition output, a task
    // definition (value on its own line, two containers), Terraform jsonencode (inline and
    // through a local) and heredoc.
    ("ecs-task-plaintext-env", "ecs/cloudformation.json", 16),
    ("ecs-task-plaintext-env", "ecs/cloudformation.yaml", 19),
    (
        "ecs-task-plaintext-env",
        "ecs/describe-task-definition.json",
        18,
    ),
    ("ecs-task-plaintext-env", "ecs/task-definition.json", 20),
    ("ecs-task-plaintext-env", "ecs/task-definition.json", 22),
    ("ecs-task-plaintext-env", "ecs/task-definition.json", 40),
    ("ecs-task-plaintext-env", "ecs/terraform/heredoc.tf", 12),
    ("ecs-task-plaintext-env", "ecs/terraform/jsonencode.tf", 17),
    ("ecs-task-plaintext-env", "ecs/terraform/locals.tf", 9),
    ("redis-connection-string", "ecs/terraform/jsonencode.tf", 20),
    // GitHub Actions: workflow, job, service container and step level.
    ("gha-plaintext-env", "gha/.github/workflows/deploy.yml", 9),
    ("gha-plaintext-env", "gha/.github/workflows/deploy.yml", 15),
    ("gha-plaintext-env", "gha/.github/workflows/deploy.yml", 21),
    ("gha-plaintext-env", "gha/.github/workflows/deploy.yml", 31),
    // Kubernetes: a literal in an unrendered Helm template (its {{ }} values are not),
    // a folded block value, rendered Helm output, multi-document streams, flow style, JSON.
    (
        "k8s-plaintext-env",
        "k8s/chart/templates/deployment.yaml",
        24,
    ),
    // A chart's values file: env-like lists reach containers.
    ("k8s-plaintext-env", "k8s/chart/values.yaml", 16),
    ("k8s-plaintext-env", "k8s/cronjob.yaml", 24),
    ("postgres-connection-string", "k8s/cronjob.yaml", 26),
    ("k8s-plaintext-env", "k8s/deployment.yaml", 28),
    ("k8s-plaintext-env", "k8s/deployment.yaml", 30),
    ("k8s-plaintext-env", "k8s/helm-rendered.yaml", 30),
    ("k8s-plaintext-env", "k8s/multi-document.yaml", 34),
    ("k8s-plaintext-env", "k8s/multi-document.yaml", 46),
    ("k8s-plaintext-env", "k8s/pod.json", 12),
    // Known false positive of the generic rule, which does not decode Secret data: the
    // value is base64 of `REPLACE_ME`, which k8s-secret-manifest decodes and skips.
    ("generic-secret-config", "k8s/secret-placeholders.yaml", 21),
    // Secret: base64 `data` (decoded to judge), `stringData`, a properties file with a
    // password; the docker config is reported by its provider rule.
    ("k8s-secret-manifest", "k8s/secret.yaml", 10),
    ("k8s-secret-manifest", "k8s/secret.yaml", 13),
    ("k8s-secret-manifest", "k8s/secret.yaml", 18),
    ("docker-config-auth", "k8s/secret.yaml", 27),
];

const FIXTURES: &str = "fixtures/descriptors";

/// The folders this file checks; the other platforms' are `tests/plaintext_env.rs`'s and
/// `tests/posture.rs`'s.
const FOLDERS: &[&str] = &["compose", "dotenv", "ecs", "gha", "k8s"];

/// Scans the fixtures with `--format json` and returns the report.
fn scan_fixtures() -> serde_json::Value {
    let folders: Vec<String> = FOLDERS
        .iter()
        .map(|folder| format!("{FIXTURES}/{folder}"))
        .collect();
    let output = leakhound()
        .current_dir(project_root())
        .arg("scan")
        .args(&folders)
        // The fixtures may be listed in the project's ignore files; scan them anyway.
        .args(["--no-ignore", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn relative(path: &str) -> String {
    path.strip_prefix(FIXTURES)
        .unwrap_or(path)
        .trim_start_matches('/')
        .to_string()
}

#[test]
fn fixtures_produce_exactly_the_expected_findings() {
    let report = scan_fixtures();
    let found: BTreeSet<(String, String, usize)> = report["findings"]
        .as_array()
        .unwrap()
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
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        EXPECTED.len(),
        "a value was reported twice"
    );
}

#[test]
fn fixtures_hold_at_least_thirty_files_with_positives_and_negatives_of_every_rule() {
    let report = scan_fixtures();
    let scanned = report["summary"]["files_scanned"].as_u64().unwrap();
    assert!(scanned >= 30, "only {scanned} fixture files");
    let with_findings: BTreeSet<&str> = EXPECTED.iter().map(|(_, path, _)| *path).collect();
    assert!(
        (scanned as usize) - with_findings.len() >= 12,
        "too few negative fixtures"
    );
}

#[test]
fn detector_findings_point_at_the_value_and_carry_their_remediation() {
    let report = scan_fixtures();
    let findings = report["findings"].as_array().unwrap();
    let at = |path: &str, line: u64| {
        findings
            .iter()
            .find(|finding| {
                relative(finding["path"].as_str().unwrap()) == path && finding["line"] == line
            })
            .unwrap_or_else(|| panic!("no finding at {path}:{line}"))
    };
    // (path, line, column of the value's first character, rule, words of its remediation)
    let cases = [
        (
            "ecs/task-definition.json",
            20,
            21,
            "ecs-task-plaintext-env",
            "valueFrom",
        ),
        (
            "ecs/cloudformation.yaml",
            19,
            23,
            "ecs-task-plaintext-env",
            "Secrets Manager",
        ),
        (
            "ecs/terraform/jsonencode.tf",
            17,
            20,
            "ecs-task-plaintext-env",
            "secrets",
        ),
        (
            "k8s/deployment.yaml",
            28,
            23,
            "k8s-plaintext-env",
            "secretKeyRef",
        ),
        (
            "k8s/multi-document.yaml",
            46,
            44,
            "k8s-plaintext-env",
            "ExternalSecret",
        ),
        (
            "k8s/secret.yaml",
            10,
            13,
            "k8s-secret-manifest",
            "ExternalSecret",
        ),
        ("dotenv/.env", 12, 24, "dotenv-committed", ".gitignore"),
        (
            "compose/compose.yaml",
            10,
            27,
            "compose-plaintext-env",
            "secrets",
        ),
        (
            "gha/.github/workflows/deploy.yml",
            31,
            25,
            "gha-plaintext-env",
            "${{ secrets.",
        ),
    ];
    for (path, line, column, rule, remediation) in cases {
        let finding = at(path, line);
        assert_eq!(finding["rule_id"], rule, "{path}:{line}");
        assert_eq!(finding["column"], column, "{path}:{line}");
        assert_eq!(
            finding["severity"],
            if rule == "compose-plaintext-env" {
                "medium"
            } else {
                "high"
            }
        );
        assert!(
            finding["remediation"]
                .as_str()
                .unwrap()
                .contains(remediation),
            "{path}:{line}: {}",
            finding["remediation"]
        );
        assert_eq!(finding["redacted"], true);
    }
}

#[test]
fn text_report_shows_the_remediation_of_a_detector_finding() {
    leakhound()
        .current_dir(project_root())
        .args([
            "scan",
            "fixtures/descriptors/ecs/describe-task-definition.json",
            "--color",
            "never",
            // A file named under fixtures/ is a test path: low confidence.
            "--confidence",
            "low",
        ])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("ecs-task-plaintext-env"))
        .stdout(predicates::str::contains(
            "\"valueFrom\": \"arn:aws:secretsmanager:",
        ));
}

#[test]
fn a_provider_rule_and_a_detector_never_report_the_same_value_twice() {
    let repo = TestRepo::plain_dir();
    let aws_secret = fake::aws_secret_access_key();
    let password = fake::password();
    repo.write(
        ".env",
        format!("AWS_SECRET_ACCESS_KEY={aws_secret}\nDB_PASSWORD=\"{password}\"\n"),
    );
    let output = repo
        .cmd(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // The AWS rule wins over the detector; the detector wins over the generic rule.
    assert_eq!(
        found,
        [
            ("aws-secret-access-key".to_string(), 1),
            ("dotenv-committed".to_string(), 2)
        ]
    );
}

#[test]
fn detectors_without_a_path_rule_also_read_standard_input() {
    // `helm template ... | leakhound scan -`
    let password = fake::password();
    let manifest = format!(
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      env:\n        - name: DB_PASSWORD\n          value: '{password}'\n"
    );
    let output = leakhound()
        .args(["scan", "-", "--format", "json"])
        .write_stdin(manifest)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let finding = &report["findings"][0];
    assert_eq!(finding["rule_id"], "k8s-plaintext-env");
    assert_eq!(finding["line"], 8);
    assert_eq!(finding["column"], 19);
    assert_eq!(report["summary"]["findings"], 1);
}

#[test]
fn a_descriptor_that_does_not_parse_is_left_to_the_regex_rules_without_an_error() {
    let repo = TestRepo::plain_dir();
    let token = fake::github_pat();
    repo.write(
        "task.json",
        format!("{{\"containerDefinitions\": [{{\"environment\": [\n  {{\"name\": \"GH\", \"value\": \"{token}\"}},\n"),
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
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["findings"][0]["rule_id"], "github-pat-classic");
    assert_eq!(report["findings"][0]["line"], 2);
}
