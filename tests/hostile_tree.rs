//! End-to-end runs on hostile trees: FIFOs, devices and huge files where the scanner
//! expects a small auxiliary file (an ignore file, a config, a baseline). Each run must
//! finish quickly with a clear note or error, never hang or exhaust memory.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{TestRepo, fake};
use predicates::prelude::*;

/// Long enough for a debug build on a busy machine, short enough to catch a hang.
const LIMIT: Duration = Duration::from_secs(20);

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

fn dir_with_a_secret() -> TestRepo {
    let dir = TestRepo::plain_dir();
    dir.write("app.yml", format!("token: {}\n", fake::github_pat()));
    dir
}

#[test]
fn fifo_named_gitignore_does_not_hang_scan() {
    let dir = dir_with_a_secret();
    mkfifo(&dir.path().join(".gitignore"));
    dir.cmd(["scan", "."])
        .timeout(LIMIT)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("app.yml"))
        .stderr(predicate::str::contains(".gitignore"))
        .stderr(predicate::str::contains("FIFO"));
}

#[test]
fn fifo_named_ignore_in_a_subdirectory_does_not_hang_scan() {
    let dir = dir_with_a_secret();
    dir.write("sub/app.yml", format!("token: {}\n", fake::github_pat()));
    mkfifo(&dir.path().join("sub/.ignore"));
    dir.cmd(["scan", "."])
        .timeout(LIMIT)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("sub/app.yml"))
        .stderr(predicate::str::contains("sub/.ignore"));
}

#[test]
fn gitignore_linked_to_dev_zero_does_not_exhaust_memory() {
    let dir = dir_with_a_secret();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join(".gitignore")).unwrap();
    dir.cmd(["scan", "."])
        .timeout(LIMIT)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("app.yml"))
        .stderr(predicate::str::contains(".gitignore"))
        .stderr(predicate::str::contains("character device"));
}

#[test]
fn huge_gitignore_is_not_read() {
    let dir = dir_with_a_secret();
    let file = std::fs::File::create(dir.path().join(".gitignore")).unwrap();
    file.set_len(4 << 30).unwrap();
    dir.cmd(["scan", "."])
        .timeout(LIMIT)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(".gitignore"))
        .stderr(predicate::str::contains("limit"));
}

#[test]
fn gitignore_rules_still_apply() {
    let dir = dir_with_a_secret();
    dir.write(".gitignore", "app.yml\n");
    dir.cmd(["scan", "."])
        .timeout(LIMIT)
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty());
}

#[test]
fn config_that_is_a_fifo_is_an_error_not_a_hang() {
    let dir = dir_with_a_secret();
    mkfifo(&dir.path().join(".leakhound.toml"));
    dir.cmd(["scan", "."])
        .timeout(LIMIT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".leakhound.toml"))
        .stderr(predicate::str::contains("FIFO"));
}

#[test]
fn config_that_is_a_directory_or_a_device_is_an_error_not_ignored() {
    let dir = dir_with_a_secret();
    std::fs::create_dir(dir.path().join(".leakhound.toml")).unwrap();
    dir.cmd(["scan", "."])
        .timeout(LIMIT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".leakhound.toml"))
        .stderr(predicate::str::contains("directory"));

    let dir = dir_with_a_secret();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join(".gitleaks.toml")).unwrap();
    dir.cmd(["scan", "."])
        .timeout(LIMIT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".gitleaks.toml"))
        .stderr(predicate::str::contains("character device"));
}

#[test]
fn config_error_prints_its_cause_once() {
    let dir = dir_with_a_secret();
    let output = dir
        .cmd(["scan", ".", "-c", "no-such-config.toml"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.matches("no such file or directory").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn leakhoundignore_that_is_a_fifo_is_an_error_not_a_hang() {
    let dir = dir_with_a_secret();
    mkfifo(&dir.path().join(".leakhoundignore"));
    dir.cmd(["scan", "."])
        .timeout(LIMIT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".leakhoundignore"))
        .stderr(predicate::str::contains("FIFO"));
}

#[test]
fn baseline_from_dev_zero_is_refused_at_once() {
    let dir = dir_with_a_secret();
    dir.cmd(["scan", ".", "--baseline", "/dev/zero"])
        .timeout(LIMIT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/dev/zero"))
        .stderr(predicate::str::contains("not a regular file"));
}

#[test]
fn baseline_over_the_size_limit_is_refused_without_reading_it() {
    let dir = dir_with_a_secret();
    let file = std::fs::File::create(dir.path().join("baseline.json")).unwrap();
    file.set_len(8 << 30).unwrap();
    dir.cmd(["scan", "app.yml", "--baseline", "baseline.json"])
        .timeout(LIMIT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("baseline.json"))
        .stderr(predicate::str::contains("limit"));
}

#[test]
fn scrub_plan_from_dev_zero_is_refused_at_once() {
    let repo = TestRepo::new();
    repo.commit("README.md", "hello\n");
    let out = tempfile::tempdir().unwrap();
    let plan = out.path().join("plan");
    repo.cmd([
        "scrub-plan",
        "--from-report",
        "/dev/zero",
        "-o",
        plan.to_str().unwrap(),
    ])
    .timeout(LIMIT)
    .assert()
    .code(2)
    .stderr(predicate::str::contains("/dev/zero"))
    .stderr(predicate::str::contains("not a regular file"));
}

#[test]
fn rule_whose_regex_compiles_too_large_is_refused_at_load() {
    let dir = TestRepo::plain_dir();
    dir.write("a.txt", "a".repeat(1 << 20));
    dir.write(
        "rules.toml",
        "[[rules]]\nid = \"huge\"\ndescription = \"huge\"\nregex = '''(a{1000}){1000}'''\nkeywords = [\"a\"]\n",
    );
    dir.cmd(["scan", "a.txt", "-c", "rules.toml"])
        .timeout(LIMIT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rule `huge`"))
        .stderr(predicate::str::contains("rules.toml"))
        .stderr(predicate::str::contains("too large"));
}

#[test]
fn process_substitution_is_read_as_a_stream() {
    let dir = TestRepo::plain_dir();
    let script = format!(
        "exec {} scan --color never <(printf 'token: %s\\n' \"$SECRET\")",
        env!("CARGO_BIN_EXE_leakhound")
    );
    let output = assert_cmd::Command::new("bash")
        .args(["-c", &script])
        .env("SECRET", fake::github_pat())
        .current_dir(dir.path())
        .timeout(LIMIT)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("github-pat"), "{stdout}");
}

#[test]
fn fifo_and_device_arguments_are_read_and_bounded() {
    let dir = dir_with_a_secret();
    // An endless text stream is read up to --max-file-size and skipped with a warning.
    let script = format!(
        "exec {} scan --max-file-size 1M <(yes)",
        env!("CARGO_BIN_EXE_leakhound")
    );
    assert_cmd::Command::new("bash")
        .args(["-c", &script])
        .current_dir(dir.path())
        .timeout(LIMIT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--max-file-size"));
    // /dev/zero never ends either, but its first bytes say it is binary.
    dir.cmd(["scan", "/dev/zero", "-v"])
        .timeout(LIMIT)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("/dev/zero: binary"));
    // /dev/null is an empty stream.
    dir.cmd(["scan", "/dev/null"])
        .timeout(LIMIT)
        .assert()
        .code(0);
}

#[test]
fn special_files_in_a_tree_are_noted_when_skipped() {
    let dir = dir_with_a_secret();
    mkfifo(&dir.path().join("pipe"));
    dir.cmd(["scan", ".", "-v"])
        .timeout(LIMIT)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("pipe"))
        .stderr(predicate::str::contains("FIFO"));
}

#[test]
fn symlink_loop_and_dangling_link_arguments_say_what_they_are() {
    let dir = dir_with_a_secret();
    std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("nowhere", dir.path().join("dangling")).unwrap();
    dir.cmd(["scan", "loop", "dangling", "app.yml"])
        .timeout(LIMIT)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("loop: symbolic link loop"))
        .stderr(predicate::str::contains(
            "dangling: symbolic link to a path that does not exist",
        ));
}

#[test]
fn rule_id_that_is_not_a_string_says_so() {
    let dir = dir_with_a_secret();
    dir.write("rules.toml", "[[rules]]\nid = 42\nregex = 'abc'\n");
    dir.cmd(["scan", ".", "-c", "rules.toml"])
        .timeout(LIMIT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`id = 42` is not a string"))
        .stderr(predicate::str::contains("has no `id`").not());
}
