//! `leakhound scrub-plan`: the plan's files, their modes and contents, and that nothing on
//! the terminal or in the readable files gives a secret away. The rewrite itself, with the
//! real git-filter-repo, is checked by `.ci/scrub_ecosystem.sh`.

mod common;

use std::path::Path;

use common::{TestRepo, fake};

/// A history with secrets in several commits and on two branches, and a committed .env.
struct Leaky {
    repo: TestRepo,
    token: String,
    key_id: String,
    pem: String,
}

fn leaky_repo() -> Leaky {
    let token = fake::github_pat();
    let key_id = fake::aws_access_key_id();
    let pem = fake::private_key_pem();
    let repo = TestRepo::new();
    repo.commit("README.md", "# demo\n")
        .commit("src/settings.py", format!("AWS_KEY = \"{key_id}\"\n"))
        .commit(
            ".env",
            format!("DB_PASSWORD={}\nPORT=8080\n", fake::password()),
        )
        .commit("config/tls.txt", format!("key:\n{pem}port: 443\n"));
    repo.git(["checkout", "-q", "-b", "feature"]);
    repo.commit("ci.yml", format!("token: {token}\n"));
    repo.git(["checkout", "-q", "main"]);
    repo.commit("deploy.yml", format!("deploy:\n  token: {token}\n"));
    Leaky {
        repo,
        token,
        key_id,
        pem,
    }
}

fn secrets_of(leaky: &Leaky) -> Vec<String> {
    vec![
        leaky.token.clone(),
        leaky.key_id.clone(),
        fake::password(),
        leaky.pem.lines().nth(1).unwrap().to_string(),
    ]
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn plan_files_are_private_and_nothing_shown_holds_a_secret() {
    let leaky = leaky_repo();
    let out = tempfile::tempdir().unwrap();
    let plan = out.path().join("plan");
    let output = leaky
        .repo
        .cmd(["scrub-plan", ".", "-o"])
        .arg(&plan)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("planned 4 secret(s)"), "{stderr}");
    for secret in secrets_of(&leaky) {
        assert!(!stdout.contains(&secret) && !stderr.contains(&secret));
        for name in [
            "PLAN.md",
            "PLAN.html",
            "plan.json",
            "paths-to-remove.txt",
            "scrub.sh",
        ] {
            assert!(!read(&plan, name).contains(&secret), "a secret in {name}");
        }
    }
    #[cfg(unix)]
    {
        assert_eq!(mode(&plan), 0o700);
        for name in [
            "PLAN.md",
            "PLAN.html",
            "plan.json",
            "replacements.txt",
            "paths-to-remove.txt",
        ] {
            assert_eq!(mode(&plan.join(name)), 0o600, "{name}");
        }
        assert_eq!(mode(&plan.join("scrub.sh")), 0o700);
    }
}

#[test]
fn replacements_are_literal_unless_a_secret_spans_lines() {
    let leaky = leaky_repo();
    let out = tempfile::tempdir().unwrap();
    leaky
        .repo
        .cmd(["scrub-plan", ".", "-o"])
        .arg(out.path())
        .assert()
        .code(0);
    let replacements = read(out.path(), "replacements.txt");
    let lines: Vec<&str> = replacements.lines().collect();
    assert!(lines.contains(&format!("literal:{}==>***REMOVED***", leaky.token).as_str()));
    assert!(lines.contains(&format!("literal:{}==>***REMOVED***", leaky.key_id).as_str()));
    assert!(lines.contains(&format!("literal:{}==>***REMOVED***", fake::password()).as_str()));
    let pem_line = lines
        .iter()
        .find(|line| line.starts_with("regex:"))
        .expect("a regex line for the PEM key");
    assert!(pem_line.contains("BEGIN\\ RSA\\ PRIVATE\\ KEY") && pem_line.contains("\\n"));
    assert!(pem_line.ends_with("==>***REMOVED***"));
    let paths = read(out.path(), "paths-to-remove.txt");
    assert!(paths.lines().any(|line| line == "literal:.env"), "{paths}");
    assert!(
        !paths.contains("tls.txt"),
        "a key inside a config file is replaced, not removed"
    );
}

#[test]
fn plan_says_where_each_secret_came_from_and_how_to_rotate_it() {
    let leaky = leaky_repo();
    let out = tempfile::tempdir().unwrap();
    leaky
        .repo
        .cmd(["scrub-plan", ".", "-o"])
        .arg(out.path())
        .assert()
        .code(0);
    let markdown = read(out.path(), "PLAN.md");
    assert!(markdown.contains("CloudTrail"), "AWS steps");
    assert!(markdown.contains("aws iam update-access-key"), "AWS steps");
    assert!(markdown.contains("Personal access tokens"), "GitHub steps");
    assert!(markdown.contains("Test Author <author@example.com>"));

    let plan: serde_json::Value = serde_json::from_str(&read(out.path(), "plan.json")).unwrap();
    let secrets = plan["secrets"].as_array().unwrap();
    let github = secrets
        .iter()
        .find(|secret| secret["family"] == "github")
        .unwrap();
    // ci.yml on feature, deploy.yml on main: both branches carry it.
    assert_eq!(github["refs"], 2);
    assert_eq!(github["in_head"], true);
    assert_eq!(github["paths"], serde_json::json!(["ci.yml", "deploy.yml"]));
    assert_eq!(github["first_seen"]["path"], "ci.yml");
    let aws = secrets
        .iter()
        .find(|secret| secret["family"] == "aws")
        .unwrap();
    assert_eq!(aws["first_seen"]["path"], "src/settings.py");
    assert!(!aws["rotation"].as_array().unwrap().is_empty());
    let script = read(out.path(), "scrub.sh");
    assert!(script.contains("git clone --quiet --mirror"));
    assert!(script.contains("--sensitive-data-removal"));
}

#[test]
fn a_secret_gone_from_head_is_marked_so() {
    let key_id = fake::aws_access_key_id();
    let repo = TestRepo::new();
    repo.commit("settings.py", format!("KEY = \"{key_id}\"\n"))
        .commit("settings.py", "KEY = os.environ['KEY']\n");
    let out = tempfile::tempdir().unwrap();
    repo.cmd(["scrub-plan", ".", "-o"])
        .arg(out.path())
        .assert()
        .code(0);
    let plan: serde_json::Value = serde_json::from_str(&read(out.path(), "plan.json")).unwrap();
    assert_eq!(plan["secrets"][0]["in_head"], false);
    assert_eq!(plan["secrets"][0]["commits"], 1);
}

#[test]
fn a_redacted_report_is_refused_with_a_hint() {
    let leaky = leaky_repo();
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report.json");
    leaky
        .repo
        .cmd(["history", "--format", "json", "-o"])
        .arg(&report)
        .assert()
        .code(1);
    let plan = out.path().join("plan");
    let output = leaky
        .repo
        .cmd(["scrub-plan", ".", "--from-report"])
        .arg(&report)
        .arg("-o")
        .arg(&plan)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("redacted"), "{stderr}");
    assert!(
        stderr.contains("leakhound history --format json --show-secrets -o FILE"),
        "{stderr}"
    );
    assert!(!plan.exists());
}

#[test]
fn a_report_with_secrets_gives_the_same_replacements_as_a_scan() {
    let leaky = leaky_repo();
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report.json");
    leaky
        .repo
        .cmd(["history", "--format", "json", "--show-secrets", "-o"])
        .arg(&report)
        .assert()
        .code(1);
    let scanned = out.path().join("scanned");
    let from_report = out.path().join("from-report");
    leaky
        .repo
        .cmd(["scrub-plan", ".", "-o"])
        .arg(&scanned)
        .assert()
        .code(0);
    leaky
        .repo
        .cmd(["scrub-plan", ".", "--from-report"])
        .arg(&report)
        .arg("-o")
        .arg(&from_report)
        .assert()
        .code(0);
    for name in ["replacements.txt", "paths-to-remove.txt", "plan.json"] {
        assert_eq!(read(&scanned, name), read(&from_report, name), "{name}");
    }
}

#[test]
fn a_plan_directory_inside_the_working_tree_is_refused() {
    let leaky = leaky_repo();
    let output = leaky
        .repo
        .cmd(["scrub-plan", ".", "-o", "scrub-plan"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&output.stderr).contains("inside the repository"));
    assert!(!leaky.repo.path().join("scrub-plan").exists());
}

#[test]
fn a_clean_history_plans_nothing() {
    let repo = TestRepo::new();
    repo.commit("README.md", "# nothing to see\n");
    let out = tempfile::tempdir().unwrap();
    let plan = out.path().join("plan");
    repo.cmd(["scrub-plan", ".", "-o"])
        .arg(&plan)
        .assert()
        .code(0)
        .stderr(predicates::str::contains("nothing to plan"));
    assert!(!plan.exists());
}

#[test]
fn key_files_leave_history_and_encoded_secrets_go_with_their_encoding() {
    use base64::Engine as _;
    let token = fake::github_pat_seeded(9);
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(format!("token: {token}\n").as_bytes());
    let repo = TestRepo::new();
    repo.commit("deploy/id_rsa", fake::private_key_pem())
        .commit("certs/client.p12", "not really a key store\n")
        .commit("config/blob.txt", format!("payload = \"{encoded}\"\n"));
    let out = tempfile::tempdir().unwrap();
    repo.cmd(["scrub-plan", ".", "-o"])
        .arg(out.path())
        .assert()
        .code(0);
    let paths = read(out.path(), "paths-to-remove.txt");
    assert!(
        paths.lines().any(|line| line == "literal:deploy/id_rsa"),
        "{paths}"
    );
    assert!(
        paths.lines().any(|line| line == "literal:certs/client.p12"),
        "{paths}"
    );
    let replacements = read(out.path(), "replacements.txt");
    // A path rule's finding is the path itself: it is removed, never "replaced".
    assert!(!replacements.contains("client.p12"), "{replacements}");
    assert!(
        replacements.contains(&format!("literal:{token}==>")),
        "{replacements}"
    );
    assert!(replacements.contains(&encoded), "the encoded form goes too");
    let plan: serde_json::Value = serde_json::from_str(&read(out.path(), "plan.json")).unwrap();
    let families: Vec<&str> = plan["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|secret| secret["family"].as_str().unwrap())
        .collect();
    assert!(
        families.contains(&"key-store") && families.contains(&"private-key"),
        "{families:?}"
    );
}

#[test]
fn commits_made_in_the_same_second_are_ordered_by_ancestry() {
    // TestRepo dates every commit alike: only the graph can tell which came first.
    let token = fake::github_pat_seeded(5);
    let repo = TestRepo::new();
    // Different blobs, so the history scan reports two findings, sorted by path.
    repo.commit("z.yml", format!("token: {token}\n"))
        .commit("a.yml", format!("# a\ntoken: {token}\n"));
    let out = tempfile::tempdir().unwrap();
    repo.cmd(["scrub-plan", ".", "-o"])
        .arg(out.path())
        .assert()
        .code(0);
    let plan: serde_json::Value = serde_json::from_str(&read(out.path(), "plan.json")).unwrap();
    assert_eq!(plan["secrets"][0]["first_seen"]["path"], "z.yml");
    assert_eq!(plan["secrets"][0]["first_seen"]["summary"], "add z.yml");
}

#[test]
fn a_report_from_another_repository_leaves_head_unknown() {
    let leaky = leaky_repo();
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report.json");
    leaky
        .repo
        .cmd(["history", "--format", "json", "--show-secrets", "-o"])
        .arg(&report)
        .assert()
        .code(1);
    let other = TestRepo::new();
    other.commit("README.md", "# other\n");
    other
        .cmd(["scrub-plan", ".", "--from-report"])
        .arg(&report)
        .arg("-o")
        .arg(out.path().join("plan"))
        .assert()
        .code(0);
    let plan: serde_json::Value =
        serde_json::from_str(&read(&out.path().join("plan"), "plan.json")).unwrap();
    let github = plan["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|secret| secret["family"] == "github")
        .unwrap();
    assert_eq!(github["in_head"], serde_json::Value::Null);
    assert_eq!(
        github["refs"], 1,
        "the report's own count, the most one finding saw"
    );
}

#[test]
fn a_plan_directory_that_is_a_dangling_link_says_so() {
    let leaky = leaky_repo();
    let out = tempfile::tempdir().unwrap();
    let link = out.path().join("plan");
    std::os::unix::fs::symlink(out.path().join("nowhere"), &link).unwrap();
    let output = leaky
        .repo
        .cmd(["scrub-plan", "-o", link.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(!stderr.contains("File exists"), "{stderr}");
}
