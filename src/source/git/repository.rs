//! Opening a repository and the one error type of the git side: git's environment
//! (`GIT_DIR`, `GIT_INDEX_FILE`, `GIT_WORK_TREE`) as hooks see it, the hooks directory,
//! revisions, and single blobs (their size checked before they are inflated).
//!
//! Nothing outside `source/` sees gix: callers get [`Repository`], ids and plain values.

use std::path::{Path, PathBuf};

use gix::ObjectId;

use crate::source::{decode_utf16, looks_binary};

use super::push::non_null_id;

/// Why the git side of a scan could not be done.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("no git repository at {path} (or any parent)")]
    NotARepository {
        path: String,
        #[source]
        source: gix::Error,
    },
    #[error("{context}")]
    Git {
        context: String,
        #[source]
        source: gix::Error,
    },
    #[error("cannot resolve revision `{spec}` in {path}")]
    BadRevision { spec: String, path: String },
    #[error("cannot resolve `{revision}` to a commit")]
    UnknownRevision {
        revision: String,
        #[source]
        source: gix::Error,
    },
    #[error(
        "pre-push input line {line}: expected `<local ref> <local sha> <remote ref> <remote sha>`, got `{text}`"
    )]
    PrePushLine { line: usize, text: String },
    /// The index cannot be read: the commit's content is unknown, which must not pass.
    #[error("cannot read the index {path}: {reason}")]
    Index { path: String, reason: String },
    #[error(
        "GIT_INDEX_FILE is set but empty; it must name an index file (unset it to use the repository's own)"
    )]
    EmptyIndexFile,
}

pub(super) trait GitContext<T> {
    fn git_context(self, context: impl FnOnce() -> String) -> Result<T, GitError>;
}

impl<T, E: Into<gix::Error>> GitContext<T> for Result<T, E> {
    fn git_context(self, context: impl FnOnce() -> String) -> Result<T, GitError> {
        self.map_err(|source| GitError::Git {
            context: context(),
            source: source.into(),
        })
    }
}

/// A repository opened for a scan, a hook or a plan.
pub struct Repository {
    inner: gix::Repository,
}

impl Repository {
    /// The repository containing `directory` (any directory inside it, a bare repository
    /// or a worktree).
    pub fn discover(directory: &Path) -> Result<Repository, GitError> {
        gix::discover(directory)
            .map(|inner| Repository { inner })
            .map_err(|source| GitError::NotARepository {
                path: directory.display().to_string(),
                source,
            })
    }

    /// The repository containing `directory`, unless git's environment (`GIT_DIR`) names
    /// another; honours `GIT_INDEX_FILE` and `GIT_WORK_TREE` as git does for hooks.
    pub fn open_for_hook(directory: &Path) -> Result<Repository, GitError> {
        if std::env::var_os("GIT_INDEX_FILE").is_some_and(|value| value.is_empty()) {
            return Err(GitError::EmptyIndexFile);
        }
        gix::discover_with_environment_overrides(directory)
            .map(|inner| Repository { inner })
            .map_err(|source| GitError::NotARepository {
                path: std::env::var_os("GIT_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| directory.to_path_buf())
                    .display()
                    .to_string(),
                source,
            })
    }

    pub fn work_dir(&self) -> Option<&Path> {
        self.inner.workdir()
    }

    pub fn git_dir(&self) -> &Path {
        self.inner.git_dir()
    }

    /// The working tree, or the git directory of a bare repository: where its config
    /// files live.
    pub fn root(&self) -> &Path {
        self.work_dir().unwrap_or_else(|| self.git_dir())
    }

    /// How to name the repository in notes.
    pub fn place(&self) -> String {
        self.root().display().to_string()
    }

    pub fn is_bare(&self) -> bool {
        self.inner.is_bare()
    }

    /// Where git looks for hooks: `core.hooksPath` if set (relative to the work tree),
    /// else `hooks` in the common git directory (shared by linked work trees).
    pub fn hooks_dir(&self) -> Result<PathBuf, GitError> {
        let configured = self
            .inner
            .config_snapshot()
            .trusted_path("core.hooksPath")
            .git_context(|| "reading core.hooksPath".to_string())?;
        Ok(match configured {
            Some(path) if path.is_absolute() => path,
            Some(path) => self
                .inner
                .workdir()
                .unwrap_or(self.inner.git_dir())
                .join(path),
            None => self.inner.common_dir().join("hooks"),
        })
    }

    /// Resolves a revision the pre-commit framework passes (`PRE_COMMIT_FROM_REF`,
    /// `PRE_COMMIT_TO_REF`, `PRE_COMMIT_LOCAL_BRANCH`): `None` for the all-zero id.
    pub fn resolve_revision(&self, revision: &str) -> Result<Option<ObjectId>, GitError> {
        if let Some(id) = non_null_id(revision) {
            return Ok(id);
        }
        self.inner
            .rev_parse_single(revision)
            .map_err(|source| GitError::UnknownRevision {
                revision: revision.to_string(),
                source,
            })
            .map(|id| Some(id.detach()))
    }

    pub(super) fn gix(&self) -> &gix::Repository {
        &self.inner
    }

    pub(super) fn into_gix(self) -> gix::Repository {
        self.inner
    }
}

/// A blob's content, or why it is not scanned.
#[derive(Debug, PartialEq, Eq)]
pub enum BlobContent {
    Text(Vec<u8>),
    Binary,
    TooLarge { size: u64 },
}

/// Reads a blob unless it is over `max_size` bytes or binary; UTF-16 text is decoded.
pub(super) fn read_blob(
    repo: &gix::Repository,
    id: ObjectId,
    max_size: u64,
) -> Result<BlobContent, GitError> {
    let context = || format!("reading blob {id}");
    let size = repo.find_header(id).git_context(context)?.size();
    if size > max_size {
        return Ok(BlobContent::TooLarge { size });
    }
    let data = repo.find_blob(id).git_context(context)?.take_data();
    if looks_binary(&data) {
        return Ok(BlobContent::Binary);
    }
    Ok(BlobContent::Text(decode_utf16(&data).unwrap_or(data)))
}
