//! End-to-end runs of `leakhound staged` (pre-commit and pre-push) and
//! `leakhound install-hook`, in git repositories built with the git CLI, including
//! commits made by git itself through a real hook.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::{TestRepo, fake};
use predicates::prelude::*;

/// A path-only rule, so path findings (a committed key file) can be tested.
const KEY_FILE_CONFIG: &str = "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"key-file\"\ndescription = \"Private key file\"\npath = '''\\.pem$'''\n";

fn secret_line() -> String {
    format!("aws_key = \"{}\"\n", fake::aws_access_key_id())
}

/// Runs `leakhound staged --format json` and returns the findings as (path, line, rule).
fn staged_findings(repo: &TestRepo, extra: &[&str]) -> (Option<i32>, Vec<(String, u64, String)>) {
    let mut args = vec!["staged", "--format", "json"];
    args.extend_from_slice(extra);
    let output = repo.cmd(args).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["path"].as_str().unwrap().to_string(),
                finding["line"].as_u64().unwrap_or(0),
                finding["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (output.status.code(), findings)
}

fn finding(path: &str, line: u64, rule: &str) -> (String, u64, String) {
    (path.to_string(), line, rule.to_string())
}

/// Commits whatever is staged without running hooks (to plant history).
fn commit_no_verify(repo: &TestRepo, message: &str) {
    repo.git(["commit", "-q", "--no-verify", "-m", message]);
}

/// `PATH` with the directory of the `leakhound` binary under test first.
fn path_with_leakhound() -> std::ffi::OsString {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_leakhound"));
    let mut paths = vec![binary.parent().unwrap().to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

/// Runs git with hooks able to find `leakhound`, without asserting success.
fn git_with_hooks(repo: &TestRepo, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(repo.path())
        .env("PATH", path_with_leakhound())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("NO_COLOR")
        .output()
        .expect("running git")
}

/// A repository with `files` committed and the hook from `install-hook` installed.
fn with_hook(files: &[(&str, &str)]) -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("README.md", "# project\n");
    for (path, content) in files {
        repo.commit(path, content);
    }
    repo.cmd(["install-hook"]).assert().code(0);
    repo
}

#[test]
fn clean_staged_change_passes() {
    let repo = TestRepo::new();
    repo.commit("app.py", "print('hello')\n");
    repo.stage("app.py", "print('hello')\nprint('world')\n");
    repo.cmd(["staged"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no secrets found; scanned 1 file"));
}

#[test]
fn nothing_staged_passes_and_scans_nothing() {
    let repo = TestRepo::new();
    repo.commit("app.py", "print('hello')\n");
    repo.write("app.py", secret_line());
    repo.cmd(["staged"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("scanned 0 files"));
}

#[test]
fn first_commit_with_a_secret_is_blocked_with_a_clear_message() {
    let repo = TestRepo::new();
    let key = fake::aws_access_key_id();
    repo.stage("config.py", format!("import os\n\nKEY = \"{key}\"\n"));
    let output = repo.cmd(["staged", "--color", "never"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stdout.contains("config.py\n  3:8"), "{stdout}");
    assert!(
        !stdout.contains(&key) && !stderr.contains(&key),
        "secret leaked"
    );
    assert!(
        stderr.contains(
            "commit blocked: 1 secret in config.py:3 (aws-access-key-id). Remove it, or mark a false positive with `leakhound:allow`."
        ),
        "{stderr}"
    );
}

#[test]
fn only_added_lines_count_in_a_modified_file() {
    let repo = TestRepo::new();
    repo.stage("settings.py", format!("A = 1\n{}B = 2\n", secret_line()));
    commit_no_verify(&repo, "old secret");
    repo.stage(
        "settings.py",
        format!("A = 1\n{}B = 3\nC = 4\n", secret_line()),
    );
    assert_eq!(staged_findings(&repo, &[]), (Some(0), vec![]));

    let token = fake::github_pat();
    repo.stage(
        "settings.py",
        format!("A = 1\n{}B = 3\nTOKEN = \"{token}\"\n", secret_line()),
    );
    assert_eq!(
        staged_findings(&repo, &[]),
        (
            Some(1),
            vec![finding("settings.py", 4, "github-pat-classic")]
        )
    );
}

#[test]
fn a_second_copy_of_an_existing_secret_line_is_added() {
    let repo = TestRepo::new();
    repo.stage("keys.py", format!("{}x = 1\n", secret_line()));
    commit_no_verify(&repo, "old secret");
    repo.stage(
        "keys.py",
        format!("{}x = 1\n{}", secret_line(), secret_line()),
    );
    assert_eq!(
        staged_findings(&repo, &[]),
        (Some(1), vec![finding("keys.py", 3, "aws-access-key-id")])
    );
}

#[test]
fn a_changed_line_that_keeps_its_secret_is_reported() {
    // The line changed, so the commit writes the secret again; git diff shows it as added.
    let repo = TestRepo::new();
    repo.stage("keys.py", secret_line());
    commit_no_verify(&repo, "old secret");
    repo.stage("keys.py", secret_line().replace("aws_key =", "aws_key  ="));
    assert_eq!(
        staged_findings(&repo, &[]),
        (Some(1), vec![finding("keys.py", 1, "aws-access-key-id")])
    );
}

#[test]
fn renames_without_new_secrets_pass() {
    let repo = TestRepo::new();
    let body: String = (0..10).map(|n| format!("line {n}\n")).collect();
    repo.stage("old/keys.py", format!("{}{body}", secret_line()));
    commit_no_verify(&repo, "old secret");

    std::fs::create_dir(repo.path().join("new")).unwrap();
    repo.git(["mv", "old/keys.py", "new/keys.py"]);
    assert_eq!(staged_findings(&repo, &[]), (Some(0), vec![]));

    // A rename with a small clean edit is still a rename.
    repo.stage("new/keys.py", format!("{}{body}line 10\n", secret_line()));
    assert_eq!(staged_findings(&repo, &[]), (Some(0), vec![]));

    // A rename that adds a secret is blocked for the added line only.
    let token = fake::github_pat();
    repo.stage(
        "new/keys.py",
        format!("{}{body}TOKEN = \"{token}\"\n", secret_line()),
    );
    assert_eq!(
        staged_findings(&repo, &[]),
        (
            Some(1),
            vec![finding("new/keys.py", 12, "github-pat-classic")]
        )
    );
}

#[test]
fn deleting_a_file_with_a_secret_passes() {
    let repo = TestRepo::new();
    repo.stage("keys.py", secret_line());
    commit_no_verify(&repo, "old secret");
    repo.git(["rm", "-q", "keys.py"]);
    repo.cmd(["staged"]).assert().code(0);
}

#[test]
fn binary_files_are_skipped_with_a_note_under_verbose() {
    let repo = TestRepo::new();
    let mut data = b"\x00\x01binary ".to_vec();
    data.extend_from_slice(secret_line().as_bytes());
    repo.stage("blob.bin", data);
    repo.cmd(["staged", "-v"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("blob.bin: binary file, skipped"));
}

#[test]
fn the_staged_version_is_scanned_not_the_working_tree() {
    let repo = TestRepo::new();
    repo.commit("app.py", "x = 1\n");
    repo.stage("app.py", format!("x = 1\n{}", secret_line()));
    repo.write("app.py", "x = 1\ny = 2\n");
    assert_eq!(
        staged_findings(&repo, &[]),
        (Some(1), vec![finding("app.py", 2, "aws-access-key-id")])
    );

    repo.stage("app.py", "x = 1\ny = 2\n");
    repo.write("app.py", format!("x = 1\n{}", secret_line()));
    assert_eq!(staged_findings(&repo, &[]), (Some(0), vec![]));
}

/// main and `feature` both change `shared.txt`; `feature` also commits a secret.
fn repo_in_conflicted_merge() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("shared.txt", "base\n");
    repo.git(["checkout", "-q", "-b", "feature"]);
    repo.stage("feature.py", secret_line());
    repo.stage("shared.txt", "feature side\n");
    commit_no_verify(&repo, "feature with a secret");
    repo.git(["checkout", "-q", "main"]);
    repo.commit("shared.txt", "main side\n");
    let merge = Command::new("git")
        .args(["merge", "-q", "--no-edit", "feature"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert!(!merge.status.success(), "the merge should conflict");
    repo
}

#[test]
fn merge_in_progress_reports_only_what_the_resolution_adds() {
    let repo = repo_in_conflicted_merge();
    // Unresolved: the conflicted path is named, and nothing passes silently.
    repo.cmd(["staged"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "shared.txt: unmerged (conflicted) path, not scanned",
        ));

    // The secret came from the other parent, already committed: not the merge's doing.
    repo.stage("shared.txt", "resolved\n");
    assert_eq!(staged_findings(&repo, &[]), (Some(0), vec![]));

    let token = fake::github_pat();
    repo.stage("shared.txt", format!("resolved\nTOKEN = \"{token}\"\n"));
    assert_eq!(
        staged_findings(&repo, &[]),
        (
            Some(1),
            vec![finding("shared.txt", 2, "github-pat-classic")]
        )
    );
}

#[test]
fn submodule_entries_are_ignored() {
    let repo = TestRepo::new();
    repo.commit("README.md", "# project\n");
    let head = repo.head();
    repo.git([
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{head},vendor/lib"),
    ]);
    repo.stage("app.py", "x = 1\n");
    repo.cmd(["staged"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("scanned 1 file"));
}

#[test]
fn intent_to_add_entries_have_no_staged_content() {
    let repo = TestRepo::new();
    repo.commit("README.md", "# project\n");
    repo.write("later.py", secret_line());
    repo.git(["add", "-N", "later.py"]);
    repo.cmd(["staged", "-v"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("later.py: intent-to-add entry"));
}

#[test]
fn path_findings_are_for_files_new_at_their_path() {
    let repo = TestRepo::new();
    repo.write(".leakhound.toml", KEY_FILE_CONFIG);
    repo.stage("certs/server.pem", "not really a key\n");
    assert_eq!(
        staged_findings(&repo, &[]),
        (Some(1), vec![finding("certs/server.pem", 1, "key-file")])
    );
    commit_no_verify(&repo, "key file");

    repo.stage("certs/server.pem", "still not a key\n");
    assert_eq!(staged_findings(&repo, &[]), (Some(0), vec![]));
    commit_no_verify(&repo, "changed key file");

    repo.git(["mv", "certs/server.pem", "certs/other.pem"]);
    assert_eq!(staged_findings(&repo, &[]), (Some(0), vec![]));
    commit_no_verify(&repo, "renamed");

    // A rename into a key-file name is new for that rule.
    repo.stage("notes.txt", "some text\nmore text\n");
    commit_no_verify(&repo, "notes");
    repo.git(["mv", "notes.txt", "notes.pem"]);
    assert_eq!(
        staged_findings(&repo, &[]),
        (Some(1), vec![finding("notes.pem", 1, "key-file")])
    );
}

#[test]
fn every_format_works_and_exit_code_is_configurable() {
    let repo = TestRepo::new();
    repo.stage("a.py", secret_line());
    let (code, findings) = staged_findings(&repo, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(findings, [finding("a.py", 1, "aws-access-key-id")]);
    repo.cmd(["staged", "--exit-code", "0"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("blocked").not());
}

#[test]
fn git_dir_and_repo_flag_select_the_repository() {
    let repo = TestRepo::new();
    repo.stage("a.py", secret_line());
    let elsewhere = TestRepo::plain_dir();
    elsewhere
        .cmd(["staged"])
        .env("GIT_DIR", repo.path().join(".git"))
        .env("GIT_WORK_TREE", repo.path())
        .assert()
        .code(1);
    let repo_dir = repo.path().to_str().unwrap();
    elsewhere
        .cmd(["staged", "--repo", repo_dir])
        .assert()
        .code(1);
    elsewhere
        .cmd(["staged"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no git repository at"));
}

#[test]
fn git_index_file_is_honoured() {
    let repo = TestRepo::new();
    repo.commit("a.py", "x = 1\n");
    repo.stage("a.py", format!("x = 1\n{}", secret_line()));
    let other_index = repo.path().join(".git/other-index");
    let status = Command::new("git")
        .args(["read-tree", "HEAD"])
        .current_dir(repo.path())
        .env("GIT_INDEX_FILE", &other_index)
        .status()
        .unwrap();
    assert!(status.success());
    repo.cmd(["staged"]).assert().code(1);
    repo.cmd(["staged"])
        .env("GIT_INDEX_FILE", &other_index)
        .assert()
        .code(0);
}

#[test]
fn hook_blocks_a_commit_that_adds_a_secret_and_allows_a_clean_one() {
    let repo = with_hook(&[]);
    repo.stage("app.py", secret_line());
    let head = repo.head();
    let output = git_with_hooks(&repo, &["commit", "-q", "-m", "leak"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("commit blocked: 1 secret in app.py:1"),
        "{stderr}"
    );
    assert_eq!(repo.head(), head, "the commit went through");

    repo.stage("app.py", "x = 1\n");
    let output = git_with_hooks(&repo, &["commit", "-q", "-m", "clean"]);
    assert!(output.status.success(), "{output:?}");
    assert_ne!(repo.head(), head);
}

#[test]
fn hook_sees_commit_all_changes_through_index_lock() {
    let repo = with_hook(&[("app.py", "x = 1\n")]);
    // Not staged: only `git commit -a` picks it up, in `.git/index.lock`.
    repo.write("app.py", format!("x = 1\n{}", secret_line()));
    repo.cmd(["staged"]).assert().code(0);
    let head = repo.head();
    let output = git_with_hooks(&repo, &["commit", "-a", "-q", "-m", "leak"]);
    assert!(!output.status.success(), "{output:?}");
    assert_eq!(repo.head(), head);

    repo.write("app.py", "x = 2\n");
    let output = git_with_hooks(&repo, &["commit", "-a", "-q", "-m", "clean"]);
    assert!(output.status.success(), "{output:?}");
}

#[test]
fn hook_sees_only_the_paths_of_commit_path() {
    let repo = with_hook(&[("app.py", "x = 1\n"), ("lib.py", "y = 1\n")]);

    // A secret staged in app.py is not part of `git commit lib.py`.
    repo.stage("app.py", format!("x = 1\n{}", secret_line()));
    repo.write("lib.py", "y = 2\n");
    let output = git_with_hooks(&repo, &["commit", "-q", "-m", "lib only", "lib.py"]);
    assert!(output.status.success(), "{output:?}");

    // An unstaged secret in the named path is: git builds a temporary index for it.
    repo.write("lib.py", format!("y = 2\n{}", secret_line()));
    let head = repo.head();
    let output = git_with_hooks(&repo, &["commit", "-q", "-m", "leak", "lib.py"]);
    assert!(!output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("lib.py:2"));
    assert_eq!(repo.head(), head);
}

#[test]
fn install_hook_refuses_to_overwrite_without_force() {
    let repo = TestRepo::new();
    std::fs::create_dir_all(repo.path().join(".git/hooks")).unwrap();
    let hook = repo.path().join(".git/hooks/pre-commit");
    std::fs::write(&hook, "#!/bin/sh\necho mine\n").unwrap();
    repo.cmd(["install-hook"]).assert().code(2).stderr(
        predicate::str::contains("already exists").and(predicate::str::contains("--force")),
    );
    assert_eq!(
        std::fs::read_to_string(&hook).unwrap(),
        "#!/bin/sh\necho mine\n"
    );
    repo.cmd(["install-hook", "--force"]).assert().code(0);
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(script.contains("exec leakhound staged"), "{script}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&hook).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111);
    }
}

#[test]
fn install_hook_respects_core_hooks_path() {
    let repo = TestRepo::new();
    repo.git(["config", "core.hooksPath", "githooks"]);
    repo.cmd(["install-hook"]).assert().code(0);
    assert!(repo.path().join("githooks/pre-commit").is_file());
    assert!(!repo.path().join(".git/hooks/pre-commit").exists());
}

#[test]
fn hook_without_leakhound_on_path_blocks_with_a_clear_message() {
    let repo = with_hook(&[]);
    repo.stage("app.py", "x = 1\n");
    let output = Command::new("git")
        .args(["commit", "-q", "-m", "x"])
        .current_dir(repo.path())
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("`leakhound` is not on PATH"),
        "{output:?}"
    );
}

/// A repository with a bare `origin` that has the first commit.
fn repo_with_remote() -> (TestRepo, TestRepo) {
    let remote = TestRepo::plain_dir();
    remote.git(["init", "-q", "--bare", "-b", "main"]);
    let repo = TestRepo::new();
    repo.commit("README.md", "# project\n");
    repo.git(["remote", "add", "origin", remote.path().to_str().unwrap()]);
    repo.git(["push", "-q", "origin", "main"]);
    (repo, remote)
}

#[test]
fn pre_push_scans_only_the_commits_being_pushed() {
    let (repo, _remote) = repo_with_remote();
    let pushed = repo.head();
    repo.stage("old.py", secret_line());
    commit_no_verify(&repo, "secret");
    let with_secret = repo.head();
    repo.git(["push", "-q", "--no-verify", "origin", "main"]);
    repo.stage("old.py", format!("{}x = 1\n", secret_line()));
    commit_no_verify(&repo, "clean change");
    let local = repo.head();

    let line = |remote: &str| format!("refs/heads/main {local} refs/heads/main {remote}\n");
    repo.cmd(["staged", "--pre-push"])
        .write_stdin(line(&with_secret))
        .assert()
        .code(0);
    let output = repo
        .cmd(["staged", "--pre-push", "--format", "json"])
        .write_stdin(line(&pushed))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["findings"][0]["path"], "old.py");
    assert_eq!(report["findings"][0]["commit"]["id"], with_secret.as_str());

    // A new branch: what no remote-tracking branch has.
    let zeros = "0".repeat(40);
    repo.cmd(["staged", "--pre-push"])
        .write_stdin(format!(
            "refs/heads/topic {local} refs/heads/topic {zeros}\n"
        ))
        .assert()
        .code(0);
    // Deleting a remote branch pushes nothing.
    repo.cmd(["staged", "--pre-push"])
        .write_stdin(format!("(delete) {zeros} refs/heads/old {with_secret}\n"))
        .assert()
        .code(0);

    repo.cmd(["staged"])
        .env("PRE_COMMIT_FROM_REF", &pushed)
        .env("PRE_COMMIT_TO_REF", &local)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "push blocked: 1 secret in old.py:1",
        ));
}

#[test]
fn pre_commit_framework_push_of_a_root_commit_scans_every_new_commit() {
    // pre-commit sets no FROM/TO refs when the push includes a root commit.
    let repo = TestRepo::new();
    repo.stage("a.py", secret_line());
    commit_no_verify(&repo, "secret in the root commit");
    repo.commit("b.py", "x = 1\n");
    repo.cmd(["staged"])
        .env("PRE_COMMIT_REMOTE_NAME", "origin")
        .env("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/main")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("push blocked: 1 secret in a.py:1"));
}

#[test]
fn pre_push_hook_blocks_a_push_with_a_secret() {
    let (repo, remote) = repo_with_remote();
    let hook = repo.path().join(".git/hooks/pre-push");
    std::fs::create_dir_all(hook.parent().unwrap()).unwrap();
    std::fs::write(&hook, "#!/bin/sh\nexec leakhound staged --pre-push\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    repo.stage("a.py", secret_line());
    commit_no_verify(&repo, "secret");
    let output = git_with_hooks(&repo, &["push", "-q", "origin", "main"]);
    assert!(!output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("push blocked"));
    let remote_head = remote.git(["rev-parse", "main"]);
    assert_ne!(remote_head.trim(), repo.head());

    repo.git(["reset", "-q", "--hard", "HEAD~1"]);
    repo.commit("b.py", "x = 1\n");
    let output = git_with_hooks(&repo, &["push", "-q", "origin", "main"]);
    assert!(output.status.success(), "{output:?}");
}

#[test]
fn malformed_pre_push_input_exits_two() {
    let repo = TestRepo::new();
    repo.commit("a.py", "x = 1\n");
    repo.cmd(["staged", "--pre-push"])
        .write_stdin("garbage\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pre-push input line 1"));
}

#[test]
fn many_changed_files_are_scanned_in_parallel_with_the_same_result() {
    let repo = TestRepo::new();
    for n in 0..12 {
        repo.stage(&format!("src/mod{n:02}.py"), format!("x = {n}\n"));
    }
    repo.stage("src/mod07.py", format!("x = 7\n{}", secret_line()));
    for threads in ["1", "2"] {
        assert_eq!(
            staged_findings(&repo, &["-j", threads]),
            (
                Some(1),
                vec![finding("src/mod07.py", 2, "aws-access-key-id")]
            )
        );
    }
    repo.cmd(["staged", "-j", "2"])
        .assert()
        .stdout(predicate::str::contains("scanned 12 files"));
}

#[test]
fn linked_worktrees_share_the_hook_and_scan_their_own_index() {
    let repo = TestRepo::new();
    repo.commit("README.md", "# project\n");
    let linked = TestRepo::plain_dir();
    let linked_dir = linked.path().join("linked");
    repo.git([
        "worktree",
        "add",
        "-q",
        "-b",
        "topic",
        linked_dir.to_str().unwrap(),
    ]);
    std::fs::write(linked_dir.join("app.py"), secret_line()).unwrap();
    let git_in_linked = |args: &[&str]| {
        let status = Command::new("git")
            .args(args)
            .current_dir(&linked_dir)
            .status()
            .unwrap();
        assert!(status.success());
    };
    git_in_linked(&["add", "app.py"]);
    let in_linked = |args: &[&str]| {
        let mut command = common::leakhound();
        command.args(args).current_dir(&linked_dir);
        command
    };
    in_linked(&["staged"]).assert().code(1);
    // The main work tree's index has nothing staged.
    repo.cmd(["staged"]).assert().code(0);
    in_linked(&["install-hook"]).assert().code(0);
    assert!(repo.path().join(".git/hooks/pre-commit").is_file());
}

#[test]
fn allow_comment_and_ignore_file_let_a_judged_secret_through() {
    let repo = TestRepo::new();
    repo.commit("README.md", "hello\n");
    repo.stage(
        "a.py",
        format!(
            "aws_key = \"{}\"  # leakhound:allow\n",
            fake::aws_access_key_id()
        ),
    );
    assert_eq!(staged_findings(&repo, &[]), (Some(0), vec![]));
    assert_eq!(
        staged_findings(&repo, &["--no-inline-allow"]).1,
        [finding("a.py", 1, "aws-access-key-id")]
    );

    repo.stage("b.py", secret_line());
    let output = repo.cmd(["staged", "--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let fingerprint = report["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    repo.cmd(["ignore", &fingerprint]).assert().code(0);
    assert_eq!(staged_findings(&repo, &[]), (Some(0), vec![]));
}
