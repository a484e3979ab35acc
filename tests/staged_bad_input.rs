//! End-to-end runs of `leakhound staged` when git's state is not what a hook expects: an
//! index that cannot be read must block the commit (exit 2) with a message that says why,
//! never let it through as "no secrets found".

mod common;

use common::{TestRepo, fake};
use predicates::prelude::*;

fn repo_with_a_staged_secret() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("README.md", "hello\n");
    repo.stage("app.yml", format!("token: {}\n", fake::github_pat()));
    repo
}

#[test]
fn index_that_is_a_directory_is_an_error() {
    let repo = repo_with_a_staged_secret();
    let dir = tempfile::tempdir().unwrap();
    repo.cmd(["staged"])
        .env("GIT_INDEX_FILE", dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read the index"))
        .stderr(predicate::str::contains("a directory"));
}

#[test]
fn index_that_is_dev_null_is_an_error() {
    let repo = repo_with_a_staged_secret();
    repo.cmd(["staged"])
        .env("GIT_INDEX_FILE", "/dev/null")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/dev/null"))
        .stderr(predicate::str::contains("character device"));
}

#[test]
fn empty_git_index_file_says_so_not_no_repository() {
    let repo = repo_with_a_staged_secret();
    repo.cmd(["staged"])
        .env("GIT_INDEX_FILE", "")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("GIT_INDEX_FILE is set but empty"))
        .stderr(predicate::str::contains("no git repository").not());
}

#[test]
fn damaged_index_is_not_called_a_shared_index() {
    let repo = repo_with_a_staged_secret();
    let index = repo.path().join(".git/index");
    let mut bytes = std::fs::read(&index).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&index, bytes).unwrap();
    repo.cmd(["staged"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("checksum"))
        .stderr(predicate::str::contains("Shared index").not());
}

#[test]
fn missing_index_still_means_nothing_staged() {
    let repo = TestRepo::new();
    repo.cmd(["staged"]).assert().code(0);
}

#[test]
fn staged_in_a_bare_repository_says_why_nothing_was_checked() {
    let repo = repo_with_a_staged_secret();
    repo.git(["commit", "-q", "-m", "secret"]);
    let bare = tempfile::tempdir().unwrap();
    let bare_path = bare.path().join("bare.git");
    repo.git(["clone", "-q", "--bare", ".", bare_path.to_str().unwrap()]);
    common::leakhound()
        .args(["staged", "--repo", bare_path.to_str().unwrap()])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("bare repository"))
        .stderr(predicate::str::contains("history"));
}
