//! Remote repositories: tells a URL from a local path, names a URL without its
//! credentials, and clones a bare mirror of it with the git CLI into a directory that is
//! removed when the clone is dropped (unless the user asked to keep it).
//!
//! The git CLI, not gix, so that the user's credential helpers, `~/.ssh/config`, proxies
//! and `url.<base>.insteadOf` rules apply exactly as for their own `git clone`; no
//! credential ever passes through leakhound's command line. The one place leakhound runs
//! `git`. Knows nothing about scanning.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

/// Why a repository could not be cloned. Every message is one line, without credentials.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("cannot run `git` to clone {url}: {message}")]
    GitMissing { url: String, message: String },
    #[error("cloning {url} failed: {message}")]
    CloneFailed { url: String, message: String },
    #[error("cannot create the clone directory {}: {message}", path.display())]
    Directory { path: PathBuf, message: String },
}

/// Whether a repository list entry or a `history` argument names a remote repository
/// (`https://`, `http://`, `ssh://`, `git://`, `file://` URLs, and scp-like
/// `[user@]host:path`) rather than a local path. As git does, a colon before the first
/// slash makes an scp-like address; a one-letter "host" is a Windows drive.
pub fn is_remote(entry: &str) -> bool {
    let entry = entry.trim();
    if let Some((scheme, _)) = entry.split_once("://") {
        return matches!(
            scheme.to_ascii_lowercase().as_str(),
            "https" | "http" | "ssh" | "git" | "file" | "git+ssh" | "ssh+git"
        );
    }
    match entry.split_once(':') {
        Some((host, _)) => host.len() > 1 && !host.contains('/') && !host.contains('\\'),
        None => false,
    }
}

/// The URL as reports may show it: without the user name and password (often a token)
/// an `https://` URL can carry before its host. scp-like addresses and paths are kept.
pub fn strip_credentials(url: &str) -> String {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(end) => rest.split_at(end),
        None => (rest, ""),
    };
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    format!("{scheme}://{host}{path}")
}

/// Where a clone goes.
#[derive(Debug, Clone)]
pub enum CloneInto {
    /// A new directory under the system's temporary directory, removed afterwards.
    Temporary,
    /// This directory (it must not exist, or be empty), kept afterwards.
    Kept(PathBuf),
}

/// A bare mirror on disk. Dropping it removes a temporary one.
#[derive(Debug)]
pub struct MirrorClone {
    path: PathBuf,
    temporary: bool,
}

impl MirrorClone {
    /// The bare repository's directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for MirrorClone {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

impl RemoteError {
    /// The reason alone, for a line that already names the repository.
    pub fn reason(&self) -> String {
        match self {
            RemoteError::GitMissing { message, .. } => format!("cannot run `git`: {message}"),
            RemoteError::CloneFailed { message, .. } => format!("clone failed: {message}"),
            RemoteError::Directory { .. } => self.to_string(),
        }
    }
}

/// Clones a bare mirror of `url` (every ref: branches, tags, pull-request heads) with
/// `git clone --mirror`. Never prompts: a repository that needs credentials the user's
/// git configuration does not supply fails with git's own message.
pub fn clone_mirror(url: &str, into: &CloneInto) -> Result<MirrorClone, RemoteError> {
    let shown = strip_credentials(url);
    let clone = match into {
        CloneInto::Temporary => MirrorClone {
            path: new_temporary_dir()?,
            temporary: true,
        },
        CloneInto::Kept(path) => MirrorClone {
            path: path.clone(),
            temporary: false,
        },
    };
    let output = Command::new("git")
        // Transports that run commands stay off, whatever the user's configuration says.
        .args(["-c", "protocol.ext.allow=never"])
        .args(["clone", "--mirror", "--quiet", "--"])
        .arg(url)
        .arg(&clone.path)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GCM_INTERACTIVE", "never")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|error| RemoteError::GitMissing {
            url: shown.clone(),
            message: error.to_string(),
        })?;
    if !output.status.success() {
        let message = one_line(&String::from_utf8_lossy(&output.stderr), url, &shown);
        return Err(RemoteError::CloneFailed {
            url: shown,
            message: if message.is_empty() {
                format!("git exited with {}", output.status)
            } else {
                message
            },
        });
    }
    Ok(clone)
}

/// git's error output as one line: `fatal: `/`error: ` prefixes dropped, lines joined,
/// the URL as given replaced by its shown form (git may echo credentials).
fn one_line(stderr: &str, url: &str, shown: &str) -> String {
    let text = stderr.replace(url, shown);
    let lines: Vec<&str> = text
        .lines()
        .map(|line| {
            let line = line.trim();
            line.strip_prefix("fatal: ")
                .or_else(|| line.strip_prefix("error: "))
                .unwrap_or(line)
        })
        .filter(|line| !line.is_empty())
        .collect();
    crate::finding::escape_control(&lines.join("; "))
}

/// A fresh directory, readable by this user only (a mirror may hold private code).
fn new_temporary_dir() -> Result<PathBuf, RemoteError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let base = std::env::temp_dir();
    let mut last_error = None;
    for _ in 0..16 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.subsec_nanos());
        let path = base.join(format!(
            "leakhound-clone-{}-{}-{nanos:x}.git",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        match builder.create(&path) {
            Ok(()) => return Ok(path),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                last_error = Some(error)
            }
            Err(error) => {
                return Err(RemoteError::Directory {
                    path,
                    message: error.to_string(),
                });
            }
        }
    }
    Err(RemoteError::Directory {
        path: base,
        message: last_error.map_or_else(String::new, |error| error.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_scp_addresses_are_remote_and_paths_are_not() {
        for remote in [
            "https://github.com/acme/widgets.git",
            "ssh://git@example.com:2222/acme/widgets",
            "git://127.0.0.1:9418/x",
            "file:///srv/git/x.git",
            "git@github.com:acme/widgets.git",
            "example.com:acme/widgets",
        ] {
            assert!(is_remote(remote), "{remote}");
        }
        for local in [
            ".",
            "/srv/git/x.git",
            "relative/dir",
            "./odd:name",
            "C:\\repos\\x",
            "ftp://example.com/x",
        ] {
            assert!(!is_remote(local), "{local}");
        }
    }

    #[test]
    fn credentials_are_stripped_and_the_rest_kept() {
        let with_token = ["https://user:", "tok", "en123@", "github.com/acme/x.git"].concat();
        assert_eq!(
            strip_credentials(&with_token),
            "https://github.com/acme/x.git"
        );
        assert_eq!(
            strip_credentials("ssh://git@example.com:22/acme/x"),
            "ssh://example.com:22/acme/x"
        );
        assert_eq!(
            strip_credentials("git@github.com:acme/x.git"),
            "git@github.com:acme/x.git"
        );
        assert_eq!(strip_credentials("https://h/a?u=x@y"), "https://h/a?u=x@y");
    }

    #[test]
    fn git_errors_become_one_line_without_the_credentials() {
        let url = ["https://u:", "p4ss", "@h/x"].concat();
        let stderr = format!("fatal: unable to access '{url}/': Could not resolve host: h\n");
        let line = one_line(&stderr, &url, &strip_credentials(&url));
        assert_eq!(
            line,
            "unable to access 'https://h/x/': Could not resolve host: h"
        );
    }

    #[test]
    fn a_failed_clone_leaves_no_temporary_directory() {
        let error = clone_mirror("file:///no/such/repository", &CloneInto::Temporary);
        assert!(
            matches!(error, Err(RemoteError::CloneFailed { .. })),
            "{error:?}"
        );
    }
}
