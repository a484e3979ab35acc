//! `leakhound history URL`: remote repositories cloned with the git CLI, over `file://`
//! and over a real `git daemon` on 127.0.0.1 started by the test; an unreachable URL;
//! the temporary clone removed, or kept with `--keep-clone`.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{TestRepo, fake, leakhound};

/// A repository with one secret in its history.
fn repo_with_a_secret() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("ci.yml", format!("token: {}\n", fake::github_pat()));
    repo.commit("README.md", "nothing here\n");
    repo
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn json(output: &[u8]) -> serde_json::Value {
    serde_json::from_slice(output).expect("a JSON report")
}

fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// A `git daemon` serving `base` on a free port of 127.0.0.1, stopped when dropped.
struct GitDaemon {
    child: Child,
    port: u16,
}

impl GitDaemon {
    fn serve(base: &Path) -> GitDaemon {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("git")
            .args([
                "daemon",
                "--export-all",
                "--reuseaddr",
                "--listen=127.0.0.1",
                "--informative-errors",
            ])
            .arg(format!("--port={port}"))
            .arg(format!("--base-path={}", base.display()))
            .arg(base)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting git daemon");
        let daemon = GitDaemon { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "git daemon did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        daemon
    }
}

impl Drop for GitDaemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_file_url_is_cloned_scanned_and_removed() {
    let repo = repo_with_a_secret();
    let temp = TestRepo::plain_dir();
    let url = file_url(repo.path());
    let output = leakhound()
        .env("TMPDIR", temp.path())
        .args(["history", &url, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report = json(&output.stdout);
    assert_eq!(report["repository"]["name"], url.as_str());
    assert_eq!(report["repository"]["commits_scanned"], 2);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report:#}");
    assert_eq!(findings[0]["path"], "ci.yml");
    assert_eq!(findings[0]["commit"]["summary"], "add ci.yml");
    assert!(
        entries(temp.path()).is_empty(),
        "{:?}",
        entries(temp.path())
    );
}

#[test]
fn a_repository_served_by_git_daemon_is_scanned_over_git_protocol() {
    let repo = repo_with_a_secret();
    let base = TestRepo::plain_dir();
    let status = Command::new("git")
        .args(["clone", "--bare", "--quiet"])
        .arg(repo.path())
        .arg(base.path().join("x.git"))
        .status()
        .unwrap();
    assert!(status.success());
    let daemon = GitDaemon::serve(base.path());
    let url = format!("git://127.0.0.1:{}/x", daemon.port);
    let output = leakhound()
        .args(["history", &url, "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let log = json(&output.stdout);
    let run = &log["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), 1, "{log:#}");
    assert_eq!(
        run["versionControlProvenance"][0]["repositoryUri"],
        url.as_str()
    );
    assert_eq!(
        run["versionControlProvenance"][0]["revisionId"],
        repo.head().as_str()
    );
}

#[test]
fn an_unreachable_url_fails_with_one_clear_line() {
    let temp = TestRepo::plain_dir();
    let output = leakhound()
        .env("TMPDIR", temp.path())
        .args(["history", "git://127.0.0.1:1/none"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error: cloning git://127.0.0.1:1/none failed: "),
        "{stderr}"
    );
    assert!(stderr.contains("hint: "), "{stderr}");
    assert!(
        entries(temp.path()).is_empty(),
        "{:?}",
        entries(temp.path())
    );
}

#[test]
fn keep_clone_leaves_the_bare_mirror_where_asked() {
    let repo = repo_with_a_secret();
    let kept = TestRepo::plain_dir();
    let mirror = kept.path().join("mirror.git");
    leakhound()
        .args(["history", &file_url(repo.path()), "--keep-clone"])
        .arg(&mirror)
        .assert()
        .code(1);
    assert!(mirror.join("HEAD").is_file());
    let branches = Command::new("git")
        .arg("--git-dir")
        .arg(&mirror)
        .args(["for-each-ref", "--format=%(refname)"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&branches.stdout),
        "refs/heads/main\n"
    );
}

#[test]
fn a_list_skips_a_failed_repository_and_names_every_finding_repository() {
    let first = repo_with_a_secret();
    let second = TestRepo::new();
    second.commit(
        "deploy/.env",
        format!("AWS_SECRET_ACCESS_KEY={}\n", fake::aws_secret_access_key()),
    );
    let list = TestRepo::plain_dir();
    let not_a_repository = TestRepo::plain_dir();
    let second_url = file_url(second.path());
    list.write(
        "repos.txt",
        format!(
            "# two good, two bad\n{}\n\n{second_url}\ngit://127.0.0.1:1/none\n{}\n",
            first.path().display(),
            not_a_repository.path().display()
        ),
    );
    let output = leakhound()
        .current_dir(list.path())
        .args(["history", "--repos", "repos.txt", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report = json(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: git://127.0.0.1:1/none: clone failed: "),
        "{stderr}"
    );
    let summaries = report["repositories"].as_array().unwrap();
    assert_eq!(summaries.len(), 4, "{report:#}");
    let failed: Vec<&str> = summaries
        .iter()
        .filter(|summary| !summary["error"].is_null())
        .map(|summary| summary["name"].as_str().unwrap())
        .collect();
    assert_eq!(failed.len(), 2, "{summaries:?}");
    assert!(failed.contains(&"git://127.0.0.1:1/none"));
    let repositories: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["repository"].as_str().unwrap())
        .collect();
    assert!(
        repositories.contains(&second_url.as_str()),
        "{repositories:?}"
    );
    assert!(
        repositories.contains(&first.path().display().to_string().as_str()),
        "{repositories:?}"
    );
}

#[test]
fn a_list_where_every_repository_failed_exits_2() {
    let list = TestRepo::plain_dir();
    list.write("repos.txt", "git://127.0.0.1:1/none\n");
    leakhound()
        .current_dir(list.path())
        .args(["history", "--repos", "repos.txt"])
        .assert()
        .code(2);
}

#[test]
fn the_list_can_come_from_standard_input_and_kept_clones_go_under_one_directory() {
    let repo = repo_with_a_secret();
    let kept = TestRepo::plain_dir();
    let output = leakhound()
        .args([
            "history",
            "--repos",
            "-",
            "--format",
            "jsonl",
            "--keep-clone",
        ])
        .arg(kept.path())
        .write_stdin(format!("{}\n", file_url(repo.path())))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let line: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(line["repository"], file_url(repo.path()).as_str());
    let kept_dirs = entries(kept.path());
    assert_eq!(kept_dirs.len(), 1, "{kept_dirs:?}");
    assert!(kept.path().join(&kept_dirs[0]).join("HEAD").is_file());
}
