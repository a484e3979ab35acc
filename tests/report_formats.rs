//! End-to-end runs of every `--format`: no planted secret reaches any output unless
//! `--show-secrets`, and the CI formats have the shape their consumers expect.

mod common;

use base64::Engine as _;
use common::{TestRepo, fake};

const FORMATS: [&str; 7] = [
    "text", "json", "jsonl", "sarif", "github", "gitleaks", "html",
];

/// `secret` as `format` writes it when it shows it: HTML escapes markup characters.
fn as_written(format: &str, secret: &str) -> String {
    if format != "html" {
        return secret.to_string();
    }
    secret
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A tree with planted secrets of several kinds.
struct Planted {
    repo: TestRepo,
    /// Raw secrets that must never be shown, and must be under `--show-secrets` (for the
    /// PEM key, its body lines, each a secret on its own).
    secrets: Vec<String>,
    /// Text that reveals a secret without being it (a base64 blob): never shown without
    /// `--show-secrets`; only some formats print it with.
    revealing: Vec<String>,
}

impl Planted {
    fn everything(&self) -> impl Iterator<Item = &String> {
        self.secrets.iter().chain(&self.revealing)
    }
}

fn planted_tree() -> Planted {
    let repo = TestRepo::plain_dir();
    let token = fake::github_pat();
    let key_id = fake::aws_access_key_id();
    let secret_key = fake::aws_secret_access_key();
    let password = fake::password();
    let pem = fake::private_key_pem();
    // A token hidden in base64.
    let hidden_token = fake::github_pat_seeded(31);
    let blob = base64::engine::general_purpose::STANDARD.encode(format!("token: {hidden_token}"));
    repo.write("config/ci.yml", format!("steps:\n  token: {token}\n"));
    repo.write(
        "deploy/aws settings, old.py",
        format!("AWS_ACCESS_KEY_ID = \"{key_id}\"\naws_secret_access_key = \"{secret_key}\"\n"),
    );
    repo.write("app/db.py", format!("DB_PASSWORD = \"{password}\"\n"));
    repo.write("keys/server.key", &pem);
    repo.write("deploy/blob.yml", format!("auth: \"{blob}\"\n"));
    let mut secrets = vec![token, key_id, secret_key, password, hidden_token];
    secrets.extend(
        pem.lines()
            .filter(|line| !line.starts_with("-----"))
            .map(str::to_string),
    );
    Planted {
        repo,
        secrets,
        revealing: vec![blob],
    }
}

fn run(repo: &TestRepo, args: &[&str]) -> (i32, String, String) {
    let output = repo.cmd(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn no_format_shows_a_planted_secret_unless_show_secrets() {
    let planted = planted_tree();
    for format in FORMATS {
        let (code, stdout, stderr) = run(&planted.repo, &["scan", ".", "--format", format]);
        assert_eq!(code, 1, "--format {format}: {stderr}");
        for secret in planted.everything() {
            assert!(
                !stdout.contains(secret.as_str()) && !stdout.contains(&as_written(format, secret)),
                "--format {format} printed the secret {secret}:\n{stdout}"
            );
            assert!(
                !stderr.contains(secret.as_str()),
                "--format {format} printed the secret {secret} to stderr:\n{stderr}"
            );
        }

        let (code, shown, _) = run(
            &planted.repo,
            &["scan", ".", "--format", format, "--show-secrets"],
        );
        assert_eq!(code, 1);
        for secret in &planted.secrets {
            assert!(
                shown.contains(&as_written(format, secret)),
                "--format {format} --show-secrets did not show {secret}:\n{shown}"
            );
        }
    }
}

#[test]
fn report_files_hold_no_secret_either() {
    let planted = planted_tree();
    let out_dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        let report_path = out_dir.path().join(format!("report.{format}"));
        let (code, stdout, _) = run(
            &planted.repo,
            &[
                "scan",
                ".",
                "--format",
                format,
                "--report-path",
                report_path.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 1);
        assert!(stdout.is_empty());
        let written = std::fs::read_to_string(&report_path).unwrap();
        assert!(!written.is_empty(), "--format {format} wrote nothing");
        for secret in planted.everything() {
            assert!(
                !written.contains(secret.as_str())
                    && !written.contains(&as_written(format, secret)),
                "--format {format}"
            );
        }
    }
}

fn sarif_of(repo: &TestRepo, args: &[&str]) -> serde_json::Value {
    let (_, stdout, stderr) = run(repo, args);
    serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("{error}: {stdout}{stderr}"))
}

#[test]
fn sarif_lists_every_loaded_rule_and_points_results_at_them() {
    let repo = planted_tree().repo;
    // `rules list` ends with a summary line: "N rules from ...".
    let rule_count: usize = {
        let (_, listing, _) = run(&repo, &["rules", "list"]);
        let summary = listing.lines().last().unwrap();
        summary.split_whitespace().next().unwrap().parse().unwrap()
    };
    let log = sarif_of(&repo, &["scan", ".", "--format", "sarif"]);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "leakhound");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), rule_count);
    for rule in rules {
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(tags.iter().any(|tag| tag == "security"), "{rule}");
        let score: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.1..=10.0).contains(&score));
        for text in [
            &rule["shortDescription"]["text"],
            &rule["fullDescription"]["text"],
            &rule["help"]["text"],
            &rule["help"]["markdown"],
        ] {
            assert!(!text.as_str().unwrap().is_empty(), "{rule}");
        }
    }

    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 5, "{results:?}");
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let locations = result["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        let physical = &locations[0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &physical["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{key} in {result}");
        }
        let line_hash = result["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(line_hash.len() > 20, "{line_hash}");
        let message = result["message"]["text"].as_str().unwrap();
        assert!(
            message.contains(result["ruleId"].as_str().unwrap()),
            "{message}"
        );
    }
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"config/ci.yml"), "{uris:?}");
    assert!(
        uris.contains(&"deploy/aws%20settings,%20old.py"),
        "{uris:?}"
    );
}

#[test]
fn sarif_includes_custom_rules() {
    let repo = TestRepo::plain_dir();
    repo.write(
        ".leakhound.toml",
        "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"acme-key\"\n\
         description = \"ACME internal key\"\nregex = '''acme_[0-9]{8}'''\n\
         keywords = [\"acme_\"]\n",
    );
    repo.write("a.txt", "key = acme_12345678\n");
    let log = sarif_of(&repo, &["scan", ".", "--format", "sarif"]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let custom = rules.iter().find(|rule| rule["id"] == "acme-key").unwrap();
    assert_eq!(custom["shortDescription"]["text"], "ACME internal key");
    assert!(!custom["help"]["text"].as_str().unwrap().is_empty());
    assert!(rules.len() > 1, "the default rules are listed too");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "acme-key");
}

#[test]
fn absolute_scan_paths_inside_the_working_directory_become_relative_uris() {
    let repo = planted_tree().repo;
    let root = repo.path().canonicalize().unwrap();
    let mut command = repo.cmd(["scan", root.to_str().unwrap(), "--format", "sarif"]);
    command.current_dir(&root);
    let output = command.output().unwrap();
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        let uri = artifact["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains(':'), "{uri}");
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    }
}

#[test]
fn jsonl_prints_one_finding_per_line() {
    let repo = planted_tree().repo;
    let (_, json, _) = run(&repo, &["scan", ".", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let (_, jsonl, _) = run(&repo, &["scan", ".", "--format", "jsonl"]);
    let lines: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.as_slice(), report["findings"].as_array().unwrap());
}

#[test]
fn github_annotations_escape_the_path_and_name_the_place() {
    let repo = planted_tree().repo;
    let (_, stdout, _) = run(&repo, &["scan", ".", "--format", "github"]);
    let annotation = stdout
        .lines()
        .find(|line| line.contains("github-pat"))
        .unwrap();
    assert!(
        annotation
            .starts_with("::error file=config/ci.yml,line=2,endLine=2,col=10,endColumn=49,title="),
        "{annotation}"
    );
    assert!(
        stdout.contains("file=deploy/aws settings%2C old.py,line=1,"),
        "{stdout}"
    );
    assert!(
        stdout.lines().all(|line| line.starts_with("::")),
        "{stdout}"
    );
}

#[test]
fn gitleaks_report_has_the_gitleaks_keys() {
    let repo = planted_tree().repo;
    let (_, stdout, _) = run(&repo, &["scan", ".", "--format", "gitleaks"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let findings = report.as_array().unwrap();
    assert!(findings.len() >= 5);
    let mut keys: Vec<&str> = findings[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = [
        "Description",
        "StartLine",
        "EndLine",
        "StartColumn",
        "EndColumn",
        "Match",
        "Secret",
        "File",
        "SymlinkFile",
        "Commit",
        "Entropy",
        "Author",
        "Email",
        "Date",
        "Message",
        "Tags",
        "RuleID",
        "Fingerprint",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    let token = findings
        .iter()
        .find(|finding| finding["File"] == "config/ci.yml")
        .unwrap();
    assert_eq!(token["Fingerprint"], "config/ci.yml:github-pat-classic:2");
    assert_eq!(token["Commit"], "");
    assert_eq!(token["StartLine"], 2);
}

#[test]
fn unknown_formats_are_refused_with_the_list_of_names() {
    let repo = TestRepo::plain_dir();
    let (code, _, stderr) = run(&repo, &["scan", ".", "--format", "xml"]);
    assert_eq!(code, 2);
    for name in FORMATS {
        assert!(stderr.contains(name), "{stderr}");
    }
}

/// A repository with two secrets committed and one staged.
fn planted_repo() -> (TestRepo, Vec<String>, Vec<String>) {
    let repo = TestRepo::new();
    let token = fake::github_pat_seeded(21);
    let key_id = fake::aws_access_key_id_seeded(22);
    let password = fake::password();
    repo.commit("config/ci.yml", format!("steps:\n  token: {token}\n"));
    repo.commit("deploy/keys, old.py", format!("KEY = \"{key_id}\"\n"));
    repo.stage("app/db.py", format!("DB_PASSWORD = \"{password}\"\n"));
    (repo, vec![token, key_id], vec![password])
}

#[test]
fn staged_and_history_reports_show_no_secret_unless_show_secrets() {
    let (repo, committed, staged) = planted_repo();
    let every_secret: Vec<&String> = committed.iter().chain(&staged).collect();
    for (mode, expected) in [("staged", &staged), ("history", &committed)] {
        for format in FORMATS {
            let (code, stdout, stderr) = run(&repo, &[mode, "--format", format]);
            assert_eq!(code, 1, "{mode} --format {format}: {stderr}");
            for secret in &every_secret {
                assert!(
                    !stdout.contains(secret.as_str())
                        && !stdout.contains(&as_written(format, secret))
                        && !stderr.contains(secret.as_str()),
                    "{mode} --format {format} printed {secret}"
                );
            }
            let (_, shown, _) = run(&repo, &[mode, "--format", format, "--show-secrets"]);
            for secret in expected {
                assert!(
                    shown.contains(&as_written(format, secret)),
                    "{mode} --format {format} --show-secrets did not show {secret}"
                );
            }
        }
    }
}

#[test]
fn sarif_history_results_carry_the_commit() {
    let (repo, _, _) = planted_repo();
    let log = sarif_of(&repo, &["history", "--format", "sarif"]);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let commits = repo.git(["rev-list", "HEAD"]);
    for result in results {
        let properties = &result["properties"];
        let commit = properties["commit"].as_str().unwrap();
        assert!(
            commits.contains(commit),
            "{commit} is not a commit of the repository"
        );
        assert_eq!(properties["author"], "Test Author");
        assert!(!properties["date"].as_str().unwrap().is_empty());
        let line_hash = &result["partialFingerprints"]["primaryLocationLineHash"];
        assert!(line_hash.as_str().is_some_and(|hash| !hash.is_empty()));
        let uri = &result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert!(!uri.as_str().unwrap().starts_with('/'));
    }
}

#[test]
fn html_reports_of_a_history_link_to_the_host_and_show_hostile_names_as_text() {
    let repo = TestRepo::new();
    repo.git([
        "remote",
        "add",
        "origin",
        // Assembled here, so this file holds no URL with a password for scanners to report.
        &[
            "https://ci-bot:",
            "not-a-token",
            "@github.com/acme/widgets.git",
        ]
        .concat(),
    ]);
    let hostile = "<img src=x onerror=alert(1)>.env";
    repo.stage(
        hostile,
        format!("AWS_ACCESS_KEY_ID={}\n", fake::aws_access_key_id()),
    );
    repo.git([
        "commit",
        "-q",
        "-m",
        "oops </script><script>alert(2)</script>",
    ]);
    repo.commit("ci.yml", format!("token: {}\n", fake::github_pat()));
    let commit = repo.head();
    let (code, page, stderr) = run(&repo, &["history", ".", "--format", "html"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!page.contains("<img"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;.env"));
    assert!(page.contains("oops &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(!page.contains("not-a-token"), "the remote's credentials");
    assert!(page.contains(&format!(
        "href=\"https://github.com/acme/widgets/blob/{commit}/ci.yml#L1\""
    )));
    assert!(page.contains(&format!(
        "href=\"https://github.com/acme/widgets/commit/{commit}\""
    )));
    // Both secrets are in HEAD, and the page knows it.
    assert!(
        page.contains("<span data-count=\"in-head\">2</span>"),
        "{page}"
    );
    assert!(page.contains("data-count=\"commits-scanned\">2<"));
    assert!(!page.contains(&fake::github_pat()));
}

#[test]
fn html_reports_of_staged_changes_have_no_history_sections() {
    let repo = TestRepo::new();
    repo.commit("README.md", "hello\n");
    repo.stage("ci.yml", format!("token: {}\n", fake::github_pat()));
    let (code, page, stderr) = run(&repo, &["staged", "--format", "html"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(page.contains("data-count=\"findings\">1<"), "{page}");
    assert!(!page.contains("id=\"timeline\""));
    assert!(!page.contains("id=\"by-author\""));
    assert!(page.trim_end().ends_with("</html>"));
}
