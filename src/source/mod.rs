//! Produces the buffers to scan, with their provenance: files of a directory tree
//! ([`files`]), standard input ([`stdin`]), the git object database ([`git`], for history
//! scans) and what the next commit adds ([`staged`]).
//!
//! Knows nothing about rules: it yields bytes and names, plus [`Note`]s about what it
//! could not or would not read.

pub mod files;
pub mod git;
pub mod ignore_rules;
pub mod staged;
pub mod stdin;

use std::fmt;

/// How much a note matters to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteLevel {
    /// Expected skips (binary, too large): shown with `--verbose`.
    Info,
    /// Something the user asked for could not be read: always shown.
    Warning,
}

/// Why content was skipped on purpose, for the summary a run prints without `-v`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    Binary,
    TooLarge,
}

/// A one-line remark about an input that was skipped or only partly read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub level: NoteLevel,
    /// The path (or other name) of the input.
    pub subject: String,
    pub message: String,
    /// Set for notes about content skipped on purpose (binary, too large).
    pub skipped: Option<SkipReason>,
}

impl Note {
    pub fn info(subject: impl Into<String>, message: impl Into<String>) -> Note {
        Note {
            level: NoteLevel::Info,
            subject: subject.into(),
            message: message.into(),
            skipped: None,
        }
    }

    pub fn warning(subject: impl Into<String>, message: impl Into<String>) -> Note {
        Note {
            level: NoteLevel::Warning,
            subject: subject.into(),
            message: message.into(),
            skipped: None,
        }
    }

    /// An expected skip (shown with `--verbose`, counted in the summary without it).
    pub fn skipped(
        subject: impl Into<String>,
        reason: SkipReason,
        message: impl Into<String>,
    ) -> Note {
        Note {
            skipped: Some(reason),
            ..Note::info(subject, message)
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)
    }
}

/// Bytes checked for a NUL to call a buffer binary, as git does.
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// Whether a buffer looks binary: a NUL byte near its start.
pub fn looks_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_SNIFF_LEN)]).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_in_the_first_8_kib_means_binary() {
        assert!(looks_binary(b"PK\x03\x04\x00\x01"));
        assert!(!looks_binary("plain text, é".as_bytes()));
    }

    #[test]
    fn nul_after_the_first_8_kib_is_not_looked_at() {
        let mut data = vec![b'a'; BINARY_SNIFF_LEN];
        data.push(0);
        assert!(!looks_binary(&data));
    }
}
