//! Helpers for end-to-end tests: throwaway git repositories built with the git CLI, the
//! `leakhound` binary to run in them, and fake secrets built at run time (so this
//! repository itself holds no realistic secrets for scanners or push protection to trip on).

#![allow(dead_code)] // each test binary uses a different part of this module

use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary directory with a git repository in it (or a plain directory).
pub struct TestRepo {
    dir: tempfile::TempDir,
}

impl TestRepo {
    /// An empty repository on branch `main` with a fixed identity.
    pub fn new() -> TestRepo {
        let repo = TestRepo::plain_dir();
        repo.git(["init", "-q", "-b", "main"]);
        repo.git(["config", "user.name", "Test Author"]);
        repo.git(["config", "user.email", "author@example.com"]);
        repo.git(["config", "commit.gpgsign", "false"]);
        repo
    }

    /// A temporary directory without git.
    pub fn plain_dir() -> TestRepo {
        TestRepo {
            dir: tempfile::tempdir().expect("creating a temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating parent directories) without staging it.
    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) -> &TestRepo {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
        self
    }

    /// Writes and stages a file.
    pub fn stage(&self, path: &str, content: impl AsRef<[u8]>) -> &TestRepo {
        self.write(path, content);
        self.git(["add", "--", path]);
        self
    }

    /// Writes, stages and commits a file, with `path` as the commit message.
    pub fn commit(&self, path: &str, content: impl AsRef<[u8]>) -> &TestRepo {
        self.stage(path, content);
        self.git(["commit", "-q", "-m", &format!("add {path}")]);
        self
    }

    /// Runs git in the repository and returns its stdout; panics with stderr on failure.
    pub fn git<I, S>(&self, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let args: Vec<std::ffi::OsString> = args
            .into_iter()
            .map(|arg| arg.as_ref().to_owned())
            .collect();
        let output = Command::new("git")
            .args(&args)
            .current_dir(self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_DATE", "2024-01-02T03:04:05Z")
            .env("GIT_COMMITTER_DATE", "2024-01-02T03:04:05Z")
            .output()
            .expect("running git");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// The id of HEAD.
    pub fn head(&self) -> String {
        self.git(["rev-parse", "HEAD"]).trim().to_string()
    }

    /// The `leakhound` binary with `args`, run in the repository.
    pub fn cmd<I, S>(&self, args: I) -> assert_cmd::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut command = leakhound();
        command.args(args).current_dir(self.path());
        command
    }
}

/// The `leakhound` binary built for this test run, with colour and git's global
/// configuration out of the way.
pub fn leakhound() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(env!("CARGO_BIN_EXE_leakhound"));
    command
        .env_remove("NO_COLOR")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    command
}

/// The repository's own directory (for fixtures).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fake secrets in the providers' formats, assembled at run time.
pub mod fake {
    /// Deterministic filler from an alphabet, so each call site gets a distinct value.
    fn filler(alphabet: &str, len: usize, seed: u64) -> String {
        let bytes = alphabet.as_bytes();
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..len)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                bytes[((state >> 33) % bytes.len() as u64) as usize] as char
            })
            .collect()
    }

    const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const BASE32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// A classic GitHub personal access token (`ghp_` + 36).
    pub fn github_pat() -> String {
        github_pat_seeded(1)
    }

    pub fn github_pat_seeded(seed: u64) -> String {
        format!("{}{}", "gh".to_owned() + "p_", filler(ALNUM, 36, seed))
    }

    /// An AWS access key id (`AKIA` + 16 base32).
    pub fn aws_access_key_id() -> String {
        aws_access_key_id_seeded(2)
    }

    pub fn aws_access_key_id_seeded(seed: u64) -> String {
        format!("{}{}", "AK".to_owned() + "IA", filler(BASE32, 16, seed))
    }

    /// An AWS secret access key (40 base64 characters).
    pub fn aws_secret_access_key() -> String {
        filler(BASE64, 40, 3)
    }

    /// A PEM private key block with random-looking body lines.
    pub fn private_key_pem() -> String {
        let body: Vec<String> = (0..6).map(|line| filler(BASE64, 64, 10 + line)).collect();
        let kind = "RSA PRIV".to_owned() + "ATE KEY";
        format!(
            "-----BEGIN {kind}-----\n{}\n-----END {kind}-----\n",
            body.join("\n")
        )
    }

    /// A human-chosen password of the kind people hardcode.
    pub fn password() -> String {
        "Tr0ub4dor&".to_owned() + "3horse"
    }
}
