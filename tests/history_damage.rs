//! End-to-end runs of `leakhound history` on damaged repositories: missing objects, packs
//! without their index, damaged pack entries. A history scan that cannot read what it needs
//! must say so (without `-v`) and exit 2 when it found nothing.

mod common;

use std::path::PathBuf;

use common::{TestRepo, fake};

/// Runs `leakhound history` and returns (exit code, stdout, stderr).
fn history(repo: &TestRepo, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["history", "--color", "never"];
    all.extend_from_slice(args);
    let output = repo.cmd(all).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn loose_object_path(repo: &TestRepo, id: &str) -> PathBuf {
    repo.path()
        .join(".git/objects")
        .join(&id[..2])
        .join(&id[2..])
}

fn rev(repo: &TestRepo, spec: &str) -> String {
    repo.git(["rev-parse", spec]).trim().to_string()
}

fn packs(repo: &TestRepo, extension: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(repo.path().join(".git/objects/pack"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    found.sort();
    found
}

#[test]
fn missing_root_tree_is_counted_noted_and_exits_two() {
    let repo = TestRepo::new();
    repo.commit("app.yml", format!("token: {}\n", fake::github_pat()));
    let tree = rev(&repo, "HEAD^{tree}");
    std::fs::remove_file(loose_object_path(&repo, &tree)).unwrap();

    let (code, stdout, stderr) = history(&repo, &[]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(stderr.contains("warning:"), "{stderr}");
    assert!(stderr.contains(&tree), "names the missing tree: {stderr}");
    assert!(stderr.contains("1 tree"), "counts it: {stderr}");
}

#[test]
fn missing_parent_commit_is_counted_noted_and_exits_two() {
    let repo = TestRepo::new();
    repo.commit("app.yml", format!("token: {}\n", fake::github_pat()));
    let first = repo.head();
    repo.commit("README.md", "hello\n");
    std::fs::remove_file(loose_object_path(&repo, &first)).unwrap();
    // The secret's blob is still there, but only the missing commit carried it first;
    // the second commit carries it too, so it is still found: the exit code says findings.
    let (code, _, stderr) = history(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&first),
        "names the missing commit: {stderr}"
    );
    assert!(stderr.contains("1 commit"), "counts it: {stderr}");
}

#[test]
fn missing_commit_of_a_ref_is_counted_noted_and_exits_two() {
    let repo = TestRepo::new();
    repo.commit("app.yml", format!("token: {}\n", fake::github_pat()));
    let head = repo.head();
    std::fs::remove_file(loose_object_path(&repo, &head)).unwrap();

    let (code, stdout, stderr) = history(&repo, &[]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(stderr.contains(&head), "{stderr}");
    assert!(
        stderr.contains("refs/heads/main"),
        "names the ref: {stderr}"
    );
}

#[test]
fn pack_without_index_is_reported_and_exits_two() {
    let repo = TestRepo::new();
    repo.commit("app.yml", format!("token: {}\n", fake::github_pat()));
    repo.git(["gc", "-q"]);
    let index = packs(&repo, "idx").remove(0);
    std::fs::remove_file(&index).unwrap();
    let pack = index.with_extension("pack");

    let (code, stdout, stderr) = history(&repo, &[]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    let name = pack.file_name().unwrap().to_str().unwrap();
    assert!(stderr.contains(name), "names the pack: {stderr}");
    assert!(stderr.contains("index"), "{stderr}");
}

#[test]
fn missing_blob_note_does_not_say_and_0_more() {
    let repo = TestRepo::new();
    repo.commit("app.yml", "nothing here\n");
    let blob = rev(&repo, "HEAD:app.yml");
    std::fs::remove_file(loose_object_path(&repo, &blob)).unwrap();

    let (code, _, stderr) = history(&repo, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(&blob), "{stderr}");
    assert!(!stderr.contains("and 0 more"), "{stderr}");
    assert!(
        !stderr.contains("blobless"),
        "not a partial clone: {stderr}"
    );
}

#[test]
fn garbage_and_dangling_refs_are_noted() {
    let repo = TestRepo::new();
    repo.commit("README.md", "hello\n");
    std::fs::write(repo.path().join(".git/refs/heads/garbage"), "not a ref\n").unwrap();
    repo.git(["symbolic-ref", "refs/heads/dangling", "refs/heads/nowhere"]);

    let (code, _, stderr) = history(&repo, &[]);
    assert!(
        stderr.contains("refs/heads/garbage") && stderr.contains("cannot be read"),
        "{stderr}"
    );
    assert!(!stderr.contains("not a ref"), "no ref content: {stderr}");
    assert!(stderr.contains("refs/heads/dangling"), "{stderr}");
    // A ref that cannot be read may hide commits: the audit is incomplete.
    assert_eq!(code, 2, "{stderr}");
}
