//! `.leakhoundignore` (one value fingerprint per line, `#` comments) and gitleaks'
//! `.gitleaksignore` (positional `commit:path:rule:line` entries).
//!
//! Value fingerprints survive edits above the secret and do not cover a different secret
//! written on the same line later; positional entries do neither, so they are read only
//! for compatibility.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

use super::{Filters, PositionalEntry};
use crate::aux_file::{self, AuxError};

pub const IGNORE_FILE: &str = ".leakhoundignore";
const GITLEAKS_IGNORE_FILE: &str = ".gitleaksignore";

/// A leakhound fingerprint: 20 lower-case hex digits.
pub fn is_fingerprint(text: &str) -> bool {
    text.len() == 20
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

pub(super) fn read_ignore_files(root: &Path, filters: &mut Filters) -> anyhow::Result<()> {
    let ours = root.join(IGNORE_FILE);
    if let Some(text) = read_if_present(&ours)? {
        for (number, line) in text.lines().enumerate() {
            let entry = line.split('#').next().unwrap_or_default().trim();
            if entry.is_empty() {
                continue;
            }
            if is_fingerprint(entry) {
                filters.fingerprints.insert(entry.to_string());
            } else if let Some(positional) = PositionalEntry::parse(entry) {
                filters.positional.push(positional);
            } else {
                bail!(
                    "{}:{}: `{entry}` is not a fingerprint\nhint: each line holds one fingerprint (the `id` of a finding, 20 hex digits), optionally followed by a # comment",
                    ours.display(),
                    number + 1
                );
            }
        }
    }
    let theirs = root.join(GITLEAKS_IGNORE_FILE);
    if let Some(text) = read_if_present(&theirs)? {
        for line in text.lines() {
            let entry = line.split('#').next().unwrap_or_default().trim();
            if let Some(positional) = PositionalEntry::parse(entry) {
                filters.positional.push(positional);
            }
        }
    }
    Ok(())
}

/// The text of an ignore file, `None` when there is none; anything else at its name (a
/// directory, a FIFO, a device, a huge file) is an error rather than silently no filter.
fn read_if_present(path: &Path) -> anyhow::Result<Option<String>> {
    match aux_file::read_to_string(path, aux_file::SMALL_FILE_LIMIT) {
        Ok(text) => Ok(Some(text)),
        Err(AuxError::NotFound) => Ok(None),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

/// Appends fingerprints to the ignore file in `root`, skipping ones it already has.
/// Returns how many were added.
pub fn append_fingerprints(
    root: &Path,
    fingerprints: &[String],
    comment: Option<&str>,
) -> anyhow::Result<usize> {
    for fingerprint in fingerprints {
        if !is_fingerprint(fingerprint) {
            bail!(
                "`{fingerprint}` is not a fingerprint\nhint: copy the `id` of a finding from the text report, or `fingerprint` from the JSON report (20 hex digits)"
            );
        }
    }
    let path = root.join(IGNORE_FILE);
    let existing = read_if_present(&path)?.unwrap_or_default();
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    if !existing.is_empty() && !existing.ends_with('\n') {
        writeln!(file)?;
    }
    let mut added = 0;
    for fingerprint in fingerprints {
        if existing
            .lines()
            .any(|line| line.split('#').next().unwrap_or_default().trim() == fingerprint)
        {
            continue;
        }
        match comment {
            Some(comment) => writeln!(file, "{fingerprint}  # {}", comment.replace('\n', " "))?,
            None => writeln!(file, "{fingerprint}")?,
        }
        added += 1;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appending_twice_keeps_one_entry() {
        let dir = tempfile::tempdir().unwrap();
        let fingerprint = "0123456789abcdef0123".to_string();
        assert_eq!(
            append_fingerprints(
                dir.path(),
                std::slice::from_ref(&fingerprint),
                Some("test key")
            )
            .unwrap(),
            1
        );
        assert_eq!(
            append_fingerprints(dir.path(), &[fingerprint], None).unwrap(),
            0
        );
        let text = std::fs::read_to_string(dir.path().join(IGNORE_FILE)).unwrap();
        assert_eq!(text, "0123456789abcdef0123  # test key\n");
    }

    #[test]
    fn malformed_line_is_an_error_naming_the_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(IGNORE_FILE),
            "# comment\nnot-a-fingerprint\n",
        )
        .unwrap();
        let error = read_ignore_files(dir.path(), &mut Filters::default())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(".leakhoundignore:2: `not-a-fingerprint` is not a fingerprint"),
            "{error}"
        );
    }

    #[test]
    fn invalid_fingerprint_is_not_appended() {
        let dir = tempfile::tempdir().unwrap();
        assert!(append_fingerprints(dir.path(), &["xyz".to_string()], None).is_err());
        assert!(!dir.path().join(IGNORE_FILE).exists());
    }
}
