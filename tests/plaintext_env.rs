//! End-to-end runs over the env maps of the platforms beyond Kubernetes, ECS, compose and
//! GitHub Actions (`tests/descriptors.rs`): Lambda, Serverless, Elastic Beanstalk, App
//! Runner, Batch, Step Functions, Cloud Run, App Engine, Azure App Service, Container Apps
//! and Functions, Heroku, Fly.io, Render, Netlify, Vercel, Helm values env maps,
//! Dockerfiles and `docker run -e`. The fixtures under `fixtures/descriptors/<platform>/`
//! must produce exactly the expected findings, each at its value and with a remediation
//! that names the platform's own secret reference.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{TestRepo, fake, leakhound, project_root};

const FIXTURES: &str = "fixtures/descriptors";

const FOLDERS: &[&str] = &[
    "lambda",
    "serverless",
    "beanstalk",
    "apprunner",
    "batch",
    "stepfunctions",
    "cloudrun",
    "appengine",
    "azure-app-service",
    "azure-container-apps",
    "azure-functions",
    "heroku",
    "fly",
    "render",
    "netlify",
    "vercel",
    "helm",
    "docker",
];

/// (rule id, path under fixtures/descriptors, line) of every finding. Files with no line
/// here are negative examples: references (`{{resolve:...}}`, `!Ref`, `${ssm:...}`,
/// `valueFrom`, `secretKeyRef`, `value_source`, Key Vault references, `secretRef`,
/// `value-from`, `@secret`), placeholders and empty values, `sync: false`, `generator`,
/// secret mounts and `-e NAME` without a value.
const EXPECTED: &[(&str, &str, usize)] = &[
    ("appengine-plaintext-env", "appengine/app.yaml", 7),
    ("apprunner-plaintext-env", "apprunner/apprunner.tf", 12),
    ("apprunner-plaintext-env", "apprunner/apprunner.yaml", 16),
    (
        "azure-app-settings-plaintext",
        "azure-app-service/app.tf",
        11,
    ),
    // Connection strings with a password: the provider rule reports them.
    ("ado-net-connection-string", "azure-app-service/app.tf", 18),
    (
        "azure-app-settings-plaintext",
        "azure-app-service/azuredeploy.json",
        19,
    ),
    (
        "ado-net-connection-string",
        "azure-app-service/azuredeploy.json",
        23,
    ),
    (
        "azure-app-settings-plaintext",
        "azure-app-service/main.bicep",
        17,
    ),
    (
        "azure-app-settings-plaintext",
        "azure-app-service/main.bicep",
        26,
    ),
    (
        "azure-container-apps-plaintext-env",
        "azure-container-apps/app.tf",
        26,
    ),
    (
        "azure-container-apps-plaintext-env",
        "azure-container-apps/containerapp.bicep",
        12,
    ),
    (
        "azure-container-apps-plaintext-env",
        "azure-container-apps/containerapp.bicep",
        28,
    ),
    (
        "azure-container-apps-plaintext-env",
        "azure-container-apps/containerapp.yaml",
        9,
    ),
    // A Service Bus connection string: its provider rule reports it.
    (
        "azure-shared-access-key",
        "azure-functions/local.settings.json",
        6,
    ),
    (
        "azure-functions-local-settings",
        "azure-functions/local.settings.json",
        7,
    ),
    (
        "ado-net-connection-string",
        "azure-functions/local.settings.json",
        10,
    ),
    ("batch-plaintext-env", "batch/batch.tf", 10),
    ("batch-plaintext-env", "batch/job-definition.json", 14),
    (
        "beanstalk-plaintext-env",
        "beanstalk/.ebextensions/01-environment.config",
        5,
    ),
    (
        "beanstalk-plaintext-env",
        "beanstalk/.ebextensions/02-options.config",
        4,
    ),
    ("beanstalk-plaintext-env", "beanstalk/beanstalk.tf", 15),
    ("beanstalk-plaintext-env", "beanstalk/environment.yaml", 11),
    ("cloudrun-plaintext-env", "cloudrun/run.tf", 15),
    ("cloudrun-plaintext-env", "cloudrun/run.tf", 37),
    ("cloudrun-plaintext-env", "cloudrun/service.yaml", 19),
    ("docker-run-plaintext-env", "docker/.gitlab-ci.yml", 8),
    ("dockerfile-plaintext-env", "docker/Dockerfile", 4),
    ("dockerfile-plaintext-env", "docker/Dockerfile", 14),
    ("docker-run-plaintext-env", "docker/scripts/start-db.sh", 8),
    ("fly-plaintext-env", "fly/fly.toml", 8),
    ("fly-plaintext-env", "fly/fly.toml", 12),
    ("k8s-plaintext-env", "helm/chart/values.yaml", 7),
    ("k8s-plaintext-env", "helm/chart/values.yaml", 10),
    ("heroku-app-json-env", "heroku/app.json", 10),
    ("heroku-app-json-env", "heroku/app.json", 12),
    ("lambda-plaintext-env", "lambda/functions.tf", 12),
    ("lambda-plaintext-env", "lambda/functions.tf", 13),
    ("lambda-plaintext-env", "lambda/stack.json", 14),
    ("lambda-plaintext-env", "lambda/template.yaml", 12),
    ("lambda-plaintext-env", "lambda/template.yaml", 23),
    ("netlify-plaintext-env", "netlify/netlify.toml", 7),
    ("netlify-plaintext-env", "netlify/netlify.toml", 10),
    ("render-plaintext-env", "render/render.yaml", 11),
    ("render-plaintext-env", "render/render.yaml", 20),
    ("serverless-plaintext-env", "serverless/serverless.yml", 10),
    ("serverless-plaintext-env", "serverless/serverless.yml", 20),
    (
        "stepfunctions-plaintext-env",
        "stepfunctions/nightly.asl.json",
        17,
    ),
    ("stepfunctions-plaintext-env", "stepfunctions/sfn.tf", 16),
    ("vercel-plaintext-env", "vercel/vercel.json", 5),
    ("vercel-plaintext-env", "vercel/vercel.json", 9),
];

fn scan_fixtures() -> serde_json::Value {
    let folders: Vec<String> = FOLDERS
        .iter()
        .map(|folder| format!("{FIXTURES}/{folder}"))
        .collect();
    let output = leakhound()
        .current_dir(project_root())
        .arg("scan")
        .args(&folders)
        .args(["--no-ignore", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
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
fn platform_fixtures_produce_exactly_the_expected_findings() {
    let report = scan_fixtures();
    let findings = report["findings"].as_array().unwrap();
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
    assert_eq!(findings.len(), EXPECTED.len(), "a value was reported twice");
}

#[test]
fn every_platform_has_positive_and_negative_fixtures() {
    let report = scan_fixtures();
    let scanned = report["summary"]["files_scanned"].as_u64().unwrap() as usize;
    let mut positives: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (rule, path, _) in EXPECTED {
        if !rule.starts_with("generic-") {
            positives
                .entry(path.split('/').next().unwrap())
                .or_default()
                .insert(path);
        }
    }
    for folder in FOLDERS {
        assert!(
            positives.get(folder).is_some_and(|files| !files.is_empty()),
            "no positive fixture in {folder}"
        );
        let files = walk(&project_root().join(FIXTURES).join(folder));
        let with_findings = positives[folder].len();
        assert!(
            files > with_findings,
            "no negative fixture in {folder} ({files} files, {with_findings} with findings)"
        );
    }
    assert!(scanned >= 50, "only {scanned} fixture files");
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            if path.is_dir() { walk(&path) } else { 1 }
        })
        .sum()
}

#[test]
fn findings_point_at_the_value_and_name_the_platforms_secret_reference() {
    let report = scan_fixtures();
    let findings = report["findings"].as_array().unwrap();
    // (path, line, column of the value's first character, words of the remediation)
    let cases = [
        ("lambda/functions.tf", 13, 26, "Secrets Manager"),
        ("lambda/template.yaml", 23, 24, "{{resolve:secretsmanager:"),
        ("serverless/serverless.yml", 10, 21, "${ssm:"),
        (
            "beanstalk/.ebextensions/01-environment.config",
            5,
            22,
            "environmentsecrets",
        ),
        ("apprunner/apprunner.yaml", 16, 15, "value-from"),
        ("batch/job-definition.json", 14, 48, "valueFrom"),
        (
            "stepfunctions/nightly.asl.json",
            17,
            55,
            "execution history",
        ),
        ("cloudrun/service.yaml", 19, 22, "secretKeyRef"),
        ("appengine/app.yaml", 7, 16, "Secret Manager"),
        (
            "azure-app-service/main.bicep",
            17,
            19,
            "@Microsoft.KeyVault(",
        ),
        (
            "azure-container-apps/containerapp.bicep",
            28,
            23,
            "secretRef",
        ),
        ("azure-functions/local.settings.json", 7, 29, ".gitignore"),
        ("heroku/app.json", 12, 28, "heroku config:set"),
        ("fly/fly.toml", 12, 21, "fly secrets set"),
        ("render/render.yaml", 11, 16, "sync: false"),
        ("netlify/netlify.toml", 7, 24, "netlify env:set"),
        ("vercel/vercel.json", 5, 27, "vercel env add"),
        ("helm/chart/values.yaml", 7, 26, "secretKeyRef"),
        ("docker/Dockerfile", 14, 21, "--mount=type=secret"),
        ("docker/scripts/start-db.sh", 8, 24, "--env-file"),
    ];
    for (path, line, column, remediation) in cases {
        let finding = findings
            .iter()
            .find(|finding| {
                relative(finding["path"].as_str().unwrap()) == path && finding["line"] == line
            })
            .unwrap_or_else(|| panic!("no finding at {path}:{line}"));
        assert_eq!(finding["column"], column, "{path}:{line}");
        assert_eq!(finding["kind"], "content", "{path}:{line}");
        assert_eq!(finding["severity"], "high", "{path}:{line}");
        assert_eq!(finding["confidence"], "medium", "{path}:{line}");
        assert_eq!(finding["redacted"], true, "{path}:{line}");
        assert!(
            finding["remediation"]
                .as_str()
                .unwrap()
                .contains(remediation),
            "{path}:{line}: {}",
            finding["remediation"]
        );
    }
}

#[test]
fn platform_files_that_do_not_parse_are_left_to_the_regex_rules_without_an_error() {
    let repo = TestRepo::plain_dir();
    let token = fake::github_pat();
    // Each file is broken in its own format, and holds a token the regex rules know.
    repo.write(
        "serverless.yml",
        format!("provider:\n  environment:\n    GH_TOKEN: [{token}\n  bad: : :\n"),
    );
    repo.write("fly.toml", format!("[env\n  GH_TOKEN = \"{token}\"\n"));
    repo.write(
        "app.json",
        format!("{{\"env\": {{\"GH_TOKEN\": \"{token}\",\n"),
    );
    repo.write(
        "infra/lambda.tf",
        format!(
            "resource \"aws_lambda_function\" \"f\" {{\n  environment {{\n    variables = {{\n      GH_TOKEN = \"{token}\n"
        ),
    );
    repo.write(
        "main.bicep",
        format!("resource site 'Microsoft.Web/sites@2022-09-01' = {{\n  properties: {{ appSettings: [ {{ name: 'GH_TOKEN' value: '{token}'\n"),
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
    let found: BTreeSet<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["path"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("./")
                    .to_string(),
                finding["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for path in [
        "serverless.yml",
        "fly.toml",
        "app.json",
        "infra/lambda.tf",
        "main.bicep",
    ] {
        assert!(
            found.contains(&(path.to_string(), "github-pat-classic".to_string())),
            "{path}: {found:?}"
        );
    }
}

#[test]
fn a_value_in_a_terraform_env_map_is_reported_once() {
    // The inline-secret rule reads every attribute of a resource; the platform's env map is
    // left to the platform's rule.
    let repo = TestRepo::plain_dir();
    let password = fake::password();
    repo.write(
        "lambda.tf",
        format!(
            "resource \"aws_lambda_function\" \"f\" {{\n  function_name = \"f\"\n  environment {{\n    variables = {{\n      DB_PASSWORD = \"{password}\"\n    }}\n  }}\n}}\n"
        ),
    );
    let output = repo
        .cmd(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["lambda-plaintext-env"]);
}
