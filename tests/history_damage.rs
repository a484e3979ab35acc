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
    // A loose commit and tree on top, which name the packed blob.
    repo.commit("README.md", "hello\n");
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

/// (id, type, offset, size in pack) of every entry of the repository's one pack.
fn pack_layout(repo: &TestRepo) -> Vec<(String, String, u64, u64)> {
    let index = packs(repo, "idx").remove(0);
    let listing = repo.git(["verify-pack", "-v", index.to_str().unwrap()]);
    listing
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (fields.len() >= 5 && fields[0].len() == 40).then(|| {
                (
                    fields[0].to_string(),
                    fields[1].to_string(),
                    fields[4].parse().unwrap(),
                    fields[3].parse().unwrap(),
                )
            })
        })
        .collect()
}

/// XORs `len` bytes of the repository's one pack from `at` on.
fn damage_pack(repo: &TestRepo, at: u64, len: u64) {
    let pack = packs(repo, "pack").remove(0);
    let mut bytes = std::fs::read(&pack).unwrap();
    for byte in &mut bytes[at as usize..(at + len) as usize] {
        *byte ^= 0xff;
    }
    let mut permissions = std::fs::metadata(&pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&pack, permissions).unwrap();
    std::fs::write(&pack, bytes).unwrap();
}

/// Filler text that does not compress into a delta of another file.
fn filler(seed: u64) -> String {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..3000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            b"abcdefghij klmnop\n"[(state % 18) as usize] as char
        })
        .collect()
}

/// A packed repository with three filler files and a secret; returns the ids of the
/// filler blobs.
fn packed_repo_with_fillers() -> (TestRepo, Vec<String>) {
    let repo = TestRepo::new();
    for seed in 1..=3 {
        repo.stage(&format!("f{seed}.txt"), filler(seed));
    }
    repo.stage("secret.yml", format!("token: {}\n", fake::github_pat()));
    repo.git(["commit", "-q", "-m", "files"]);
    repo.git(["gc", "-q"]);
    let ids = (1..=3)
        .map(|seed| rev(&repo, &format!("HEAD:f{seed}.txt")))
        .collect();
    (repo, ids)
}

#[test]
fn damaged_pack_entry_does_not_hide_later_objects() {
    let (repo, fillers) = packed_repo_with_fillers();
    let secret_blob = rev(&repo, "HEAD:secret.yml");
    let layout = pack_layout(&repo);
    let offset_of = |id: &str| layout.iter().find(|entry| entry.0 == id).unwrap().2;
    // Damage the compressed data of the first filler blob stored before the secret.
    let victim = fillers
        .iter()
        .filter(|id| offset_of(id) < offset_of(&secret_blob))
        .min_by_key(|id| offset_of(id))
        .expect("a filler blob before the secret");
    damage_pack(&repo, offset_of(victim) + 100, 10);

    let (code, stdout, stderr) = history(&repo, &[]);
    assert_eq!(code, 1, "the secret is still found: {stdout}\n{stderr}");
    assert!(stdout.contains("secret.yml"), "{stdout}");
    assert!(
        stderr.contains(victim.as_str()),
        "names the damaged blob: {stderr}"
    );
}

#[test]
fn damaged_pack_entry_header_does_not_hide_the_pack() {
    let (repo, fillers) = packed_repo_with_fillers();
    let layout = pack_layout(&repo);
    let offset_of = |id: &str| layout.iter().find(|entry| entry.0 == id).unwrap().2;
    let victim = &fillers[1];
    // Type 5 is reserved: the entry's header no longer parses.
    let pack = packs(&repo, "pack").remove(0);
    let at = offset_of(victim) as usize;
    let mut bytes = std::fs::read(&pack).unwrap();
    bytes[at] = (bytes[at] & 0x8f) | (5 << 4);
    std::fs::remove_file(&pack).unwrap();
    std::fs::write(&pack, bytes).unwrap();

    let (code, stdout, stderr) = history(&repo, &[]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stdout.contains("secret.yml"), "{stdout}");
    assert!(stderr.contains(victim.as_str()), "{stderr}");
}

#[test]
fn damaged_first_pack_entry_still_lets_the_rest_be_read() {
    let repo = TestRepo::new();
    // Unrelated commit messages, so that git does not store one commit as a delta of the
    // other (which would leave nothing to read through `old`, for git too).
    repo.stage("secret.yml", format!("token: {}\n", fake::github_pat()));
    repo.git(["commit", "-q", "-m", &filler(5)]);
    repo.git(["branch", "old"]);
    repo.stage("README.md", filler(7));
    repo.git(["commit", "-q", "-m", &filler(6)]);
    let head = repo.head();
    repo.git(["gc", "-q"]);
    let layout = pack_layout(&repo);
    let first = layout.iter().min_by_key(|entry| entry.2).unwrap();
    assert_eq!(first.0, head, "git packs the newest commit first");
    damage_pack(&repo, first.2 + 6, 8);

    let (code, stdout, stderr) = history(&repo, &[]);
    assert_eq!(code, 1, "found through `old`: {stdout}\n{stderr}");
    assert!(stdout.contains("secret.yml"), "{stdout}");
    assert!(stderr.contains(&head), "names the damaged commit: {stderr}");
}

#[test]
fn history_with_an_unborn_head_says_there_are_no_commits() {
    let repo = TestRepo::new();
    repo.write("app.yml", format!("token: {}\n", fake::github_pat()));
    let (code, stdout, stderr) = history(&repo, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stderr.contains("no commits"), "{stderr}");
    assert!(stderr.contains("main"), "names the branch: {stderr}");
}

#[test]
fn corrupt_pack_index_is_named_and_not_blamed_on_a_partial_clone() {
    let repo = TestRepo::new();
    repo.commit("app.yml", format!("token: {}\n", fake::github_pat()));
    repo.git(["gc", "-q"]);
    // A loose commit and tree on top, which name the packed blob.
    repo.commit("README.md", "hello\n");
    let index = packs(&repo, "idx").remove(0);
    let bytes = std::fs::read(&index).unwrap();
    std::fs::remove_file(&index).unwrap();
    std::fs::write(&index, &bytes[..bytes.len() / 2]).unwrap();

    let (code, stdout, stderr) = history(&repo, &[]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    let name = index.file_name().unwrap().to_str().unwrap();
    assert!(stderr.contains(name), "names the index: {stderr}");
    assert!(
        !stderr.contains("blobless") && !stderr.contains("partial"),
        "{stderr}"
    );
}
