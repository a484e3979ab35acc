//! End-to-end runs of `leakhound history` on repositories built with the git CLI.

mod common;

use common::{TestRepo, fake, leakhound};
use predicates::prelude::*;
use serde_json::Value;

/// Runs `leakhound history` with JSON output in `dir` and returns (exit code, report, stderr).
fn history_json(repo: &TestRepo, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["history", "--format", "json"];
    all.extend_from_slice(args);
    let output = repo.cmd(all).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {stdout}\nstderr: {stderr}"));
    (output.status.code().unwrap(), report, stderr)
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap()
}

fn commit_of(finding: &Value) -> &str {
    finding["commit"]["id"].as_str().unwrap()
}

#[test]
fn secret_added_then_removed_is_found_with_the_commit_that_added_it() {
    let repo = TestRepo::new();
    repo.commit("README.md", "hello\n");
    repo.commit("deploy/ci.yml", format!("token: {}\n", fake::github_pat()));
    let added = repo.head();
    repo.git(["rm", "-q", "deploy/ci.yml"]);
    repo.git(["commit", "-q", "-m", "remove the token"]);

    let (code, report, _) = history_json(&repo, &[]);
    assert_eq!(code, 1);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    let finding = &found[0];
    assert_eq!(finding["path"], "deploy/ci.yml");
    assert_eq!(finding["line"], 1);
    assert_eq!(commit_of(finding), added);
    assert_eq!(finding["commit"]["author_name"], "Test Author");
    assert_eq!(finding["commit"]["author_email"], "author@example.com");
    assert_eq!(finding["commit"]["date"], "2024-01-02T03:04:05Z");
    assert_eq!(finding["commit"]["summary"], "add deploy/ci.yml");
    assert_eq!(finding["occurrences"]["commits"], 1);
    assert_eq!(finding["occurrences"]["refs"], 1);
    assert!(!report.to_string().contains(&fake::github_pat()));
}

#[test]
fn text_report_shows_the_commit_and_how_often_the_secret_was_seen() {
    let repo = TestRepo::new();
    repo.commit("app.yml", format!("token: {}\n", fake::github_pat()));
    let added = repo.head();
    repo.commit("other.txt", "x\n");
    repo.cmd(["history", "--color", "never"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("commit {}", &added[..12])))
        .stdout(predicate::str::contains("seen   in 2 commits on 1 ref"));
}

#[test]
fn secret_only_on_a_branch_or_a_tag_is_found() {
    let repo = TestRepo::new();
    repo.commit("README.md", "hello\n");
    repo.git(["checkout", "-q", "-b", "feature"]);
    repo.commit(
        "feature.env.yml",
        format!("key: {}\n", fake::aws_access_key_id()),
    );
    let on_branch = repo.head();
    repo.git(["checkout", "-q", "main"]);
    repo.git(["checkout", "-q", "--detach"]);
    repo.commit(
        "tagged.yml",
        format!("token: {}\n", fake::github_pat_seeded(7)),
    );
    let on_tag = repo.head();
    repo.git(["tag", "-a", "v1", "-m", "release"]);
    repo.git(["checkout", "-q", "main"]);

    let (code, report, _) = history_json(&repo, &[]);
    assert_eq!(code, 1);
    let found = findings(&report);
    let by_path = |path: &str| {
        found
            .iter()
            .find(|finding| finding["path"] == path)
            .unwrap_or_else(|| panic!("no finding in {path}: {report:#}"))
    };
    assert_eq!(commit_of(by_path("feature.env.yml")), on_branch);
    assert_eq!(commit_of(by_path("tagged.yml")), on_tag);

    // --branch limits the scan to what one branch reaches.
    let (code, report, _) = history_json(&repo, &["--branch", "main"]);
    assert_eq!(code, 0, "{report:#}");
    let (_, report, _) = history_json(&repo, &["--branch", "feature"]);
    assert_eq!(findings(&report).len(), 1);
}

#[test]
fn range_and_since_commit_limit_the_commits() {
    let repo = TestRepo::new();
    repo.commit(
        "old.yml",
        format!("token: {}\n", fake::github_pat_seeded(3)),
    );
    let base = repo.head();
    repo.commit(
        "new.yml",
        format!("token: {}\n", fake::github_pat_seeded(4)),
    );

    let (_, report, _) = history_json(&repo, &["--since-commit", &base]);
    let paths: Vec<&str> = findings(&report)
        .iter()
        .map(|finding| finding["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["new.yml"]);
    let (_, report, _) = history_json(&repo, &["--range", &format!("{base}..main")]);
    assert_eq!(findings(&report).len(), 1);
    repo.cmd(["history", "--range", "main"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("A..B"));
    repo.cmd(["history", "--branch", "no-such-branch"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-branch"));
}

#[test]
fn secret_introduced_by_a_merge_resolution_names_the_merge() {
    let repo = TestRepo::new();
    repo.commit("config.yml", "mode: base\n");
    repo.git(["checkout", "-q", "-b", "side"]);
    repo.commit("config.yml", "mode: side\n");
    repo.git(["checkout", "-q", "main"]);
    repo.commit("config.yml", "mode: main\n");
    let merge = std::process::Command::new("git")
        .args(["merge", "-q", "side"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert!(!merge.status.success(), "the merge must conflict");
    repo.stage(
        "config.yml",
        format!("mode: merged\ntoken: {}\n", fake::github_pat_seeded(9)),
    );
    repo.git(["commit", "-q", "--no-edit"]);
    let merge_commit = repo.head();

    let (code, report, _) = history_json(&repo, &[]);
    assert_eq!(code, 1);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(commit_of(&found[0]), merge_commit);
}

#[test]
fn renamed_file_is_reported_once_with_both_paths() {
    let repo = TestRepo::new();
    repo.commit("keys.yml", format!("token: {}\n", fake::github_pat()));
    let added = repo.head();
    repo.git(["mv", "keys.yml", "secrets.yml"]);
    repo.git(["commit", "-q", "-m", "rename"]);
    let renamed = repo.head();

    let (_, report, _) = history_json(&repo, &[]);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    let finding = &found[0];
    assert_eq!(finding["path"], "keys.yml");
    assert_eq!(commit_of(finding), added);
    let places = finding["occurrences"]["places"].as_array().unwrap();
    let pairs: Vec<(&str, &str)> = places
        .iter()
        .map(|place| {
            (
                place["commit"].as_str().unwrap(),
                place["path"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            (added.as_str(), "keys.yml"),
            (renamed.as_str(), "secrets.yml")
        ]
    );
    assert_eq!(finding["occurrences"]["commits"], 2);
}

#[test]
fn same_secret_kept_through_edits_is_one_finding() {
    let repo = TestRepo::new();
    let token = fake::github_pat();
    repo.commit("app.yml", format!("token: {token}\n"));
    let added = repo.head();
    repo.commit("app.yml", format!("name: app\ntoken: {token}\n"));
    let (_, report, _) = history_json(&repo, &[]);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(commit_of(&found[0]), added);
    assert_eq!(found[0]["line"], 1);
    assert_eq!(found[0]["occurrences"]["commits"], 2);
}

#[test]
fn commit_allowlist_drops_the_finding() {
    let repo = TestRepo::new();
    repo.commit("app.yml", format!("token: {}\n", fake::github_pat()));
    let added = repo.head();
    repo.write(
        ".leakhound.toml",
        format!("[extend]\nuseDefault = true\n\n[allowlist]\ncommits = [\"{added}\"]\n"),
    );
    let (code, report, stderr) = history_json(&repo, &[]);
    assert_eq!(code, 0, "{report:#} {stderr}");
}

#[test]
fn not_a_repository_exits_two_with_a_hint() {
    let dir = TestRepo::plain_dir();
    dir.cmd(["history"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no git repository"))
        .stderr(predicate::str::contains("hint"));
}

#[test]
fn empty_repository_has_no_findings() {
    let repo = TestRepo::new();
    repo.cmd(["history"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no secrets found"));
}

#[test]
fn bare_repository_and_linked_worktree_work() {
    let repo = TestRepo::new();
    repo.commit("app.yml", format!("token: {}\n", fake::github_pat()));
    let bare = tempfile::tempdir().unwrap();
    let bare_path = bare.path().join("bare.git");
    repo.git(["clone", "-q", "--bare", ".", bare_path.to_str().unwrap()]);
    leakhound()
        .args(["history", bare_path.to_str().unwrap()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("app.yml"));

    let worktree = tempfile::tempdir().unwrap();
    let worktree_path = worktree.path().join("wt");
    repo.git([
        "worktree",
        "add",
        "-q",
        "-b",
        "wt",
        worktree_path.to_str().unwrap(),
    ]);
    leakhound()
        .args(["history"])
        .current_dir(&worktree_path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("app.yml"));
}

#[test]
fn shallow_clone_is_scanned_and_said_to_be_shallow() {
    let repo = TestRepo::new();
    repo.commit(
        "old.yml",
        format!("token: {}\n", fake::github_pat_seeded(5)),
    );
    repo.commit(
        "new.yml",
        format!("token: {}\n", fake::github_pat_seeded(6)),
    );
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    let target = clone.path().join("shallow");
    repo.git([
        "clone",
        "-q",
        "--depth",
        "1",
        &url,
        target.to_str().unwrap(),
    ]);
    let output = leakhound()
        .args(["history", "--format", "json", target.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("shallow"), "{stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    // Both files are in the one commit the clone holds.
    assert_eq!(findings(&report).len(), 2, "{report:#}");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn blobless_clone_notes_the_missing_blobs_and_goes_on() {
    let repo = TestRepo::new();
    repo.git(["config", "uploadpack.allowFilter", "true"]);
    repo.commit(
        "old.yml",
        format!("token: {}\n", fake::github_pat_seeded(5)),
    );
    repo.commit("new.yml", "nothing here\n");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    let target = clone.path().join("blobless");
    repo.git([
        "clone",
        "-q",
        "--no-checkout",
        "--filter=blob:none",
        &url,
        target.to_str().unwrap(),
    ]);
    let output = leakhound()
        .args(["history", target.to_str().unwrap()])
        .env("GIT_NO_LAZY_FETCH", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("missing"), "{stderr}");
    assert_eq!(output.status.code(), Some(2), "{stderr}");
}

#[test]
fn corrupt_pack_is_named_in_an_error() {
    let repo = TestRepo::new();
    repo.commit("a.txt", "hello\n");
    repo.commit("b.txt", "world\n");
    repo.git(["gc", "-q"]);
    let pack_dir = repo.path().join(".git/objects/pack");
    let pack = std::fs::read_dir(&pack_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "pack"))
        .unwrap();
    let mut bytes = std::fs::read(&pack).unwrap();
    for byte in &mut bytes[12..40] {
        *byte ^= 0xff;
    }
    std::fs::write(&pack, bytes).unwrap();
    let name = pack.file_name().unwrap().to_str().unwrap().to_string();
    repo.cmd(["history"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(name));
}

#[test]
fn blob_over_max_file_size_is_skipped_with_a_note() {
    let repo = TestRepo::new();
    repo.commit(
        "big.yml",
        format!("token: {}\n{}", fake::github_pat(), "x".repeat(4096)),
    );
    repo.cmd(["history", "--max-file-size", "1K"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("big.yml"))
        .stderr(predicate::str::contains("--max-file-size"));
}

#[test]
fn submodules_are_not_followed_and_noted() {
    let repo = TestRepo::new();
    repo.commit("README.md", "hello\n");
    let fake_commit = repo.head();
    repo.git([
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{fake_commit},vendor/lib"),
    ]);
    repo.git(["commit", "-q", "-m", "add submodule"]);
    repo.cmd(["history"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("vendor/lib"))
        .stderr(predicate::str::contains("submodule"));
}

#[test]
fn quiet_runs_print_nothing_on_stderr() {
    let repo = TestRepo::new();
    repo.commit("a.yml", format!("token: {}\n", fake::github_pat()));
    repo.cmd(["history", "--quiet"])
        .assert()
        .code(1)
        .stderr(predicate::str::is_empty());
}

#[test]
fn packed_and_loose_objects_give_the_same_findings() {
    let repo = TestRepo::new();
    let body: String = (0..200).map(|line| format!("line {line}\n")).collect();
    repo.commit("README.md", &body);
    repo.commit("app.yml", format!("token: {}\n", fake::github_pat()));
    repo.commit("README.md", format!("{body}more\n"));
    repo.commit(
        "deploy/keys.yml",
        format!("key: {}\n", fake::aws_access_key_id()),
    );
    repo.git(["rm", "-q", "app.yml"]);
    repo.git(["commit", "-q", "-m", "remove app.yml"]);
    let summary = |report: &Value| {
        let mut found: Vec<String> = findings(report)
            .iter()
            .map(|finding| {
                format!(
                    "{} {} {} {}",
                    finding["path"],
                    finding["line"],
                    finding["commit"]["id"],
                    finding["occurrences"]["commits"]
                )
            })
            .collect();
        found.sort();
        found
    };
    let (_, loose, _) = history_json(&repo, &[]);
    assert_eq!(findings(&loose).len(), 2, "{loose:#}");
    repo.git(["gc", "-q", "--aggressive"]);
    let (code, packed, stderr) = history_json(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(summary(&loose), summary(&packed));
}

#[test]
fn identical_files_at_two_paths_are_two_findings_in_every_format() {
    let repo = TestRepo::new();
    let content = format!("token: {}\n", fake::github_pat());
    repo.stage("a.yml", &content);
    repo.stage("deploy/b.yml", &content);
    repo.git(["commit", "-q", "-m", "two copies"]);

    let (code, report, _) = history_json(&repo, &[]);
    assert_eq!(code, 1);
    let mut paths: Vec<&str> = findings(&report)
        .iter()
        .map(|finding| finding["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, ["a.yml", "deploy/b.yml"], "{report:#}");
    for format in ["text", "sarif", "github", "gitleaks"] {
        let output = repo
            .cmd(["history", "--color", "never", "--format", format])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("a.yml") && stdout.contains("deploy/b.yml"),
            "{format} hides a path: {stdout}"
        );
    }
}
