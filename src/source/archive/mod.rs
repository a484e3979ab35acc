//! Opens archives and compressed files in memory and hands every member to the caller,
//! nested archives included: the zip family (jar, war, ear, apk, whl, nupkg, docx,
//! xlsx, ...), tar, and gzip, bzip2, xz and zstd streams (a compressed tar is one archive).
//!
//! Knows nothing about rules, scanning or reports: [`expand`] takes a name and bytes and
//! calls back with [`Member`]s (a `!`-separated chain of names and the member's bytes),
//! and returns [`ArchiveNote`]s about what it stopped at or could not read. Nothing is ever
//! written to disk, so a member named `../../x` is only a name. Every decompressed stream
//! is counted against [`ArchiveLimits`], so a bomb is stopped after a bounded amount of
//! work and memory.

mod budget;
mod feed;
mod format;
mod names;
mod stream;
mod tar_reader;
mod zip_reader;

use std::fmt;

pub use budget::{ArchiveLimits, LimitHit, human_bytes};
pub use feed::{feed_members, is_archive};
pub use format::{Format, SNIFF_LEN, detect, looks_like_archive};
pub use names::escape_name;

use budget::Budget;

/// Separates the levels of a member's path: `app.jar!lib/x.tar.gz!etc/app.conf`.
pub const LEVEL_SEPARATOR: char = '!';

/// One file found in an archive.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    /// Every level's name, outer first, joined by [`LEVEL_SEPARATOR`]:
    /// `outer.zip!inner/dir/file`. Control characters of names are escaped.
    pub path: &'a str,
    /// The member's name in its innermost archive (`inner/dir/file`): what path-based
    /// rules should look at.
    pub inner_path: &'a str,
    pub bytes: &'a [u8],
    /// How many archives deep the member is: 1 for a member of the outer archive.
    // Only the tests look at it today (nesting is reported through `path`).
    #[cfg_attr(not(test), allow(dead_code))]
    pub depth: usize,
}

/// Something [`expand`] skipped or stopped at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveNote {
    /// The archive or member concerned, as a `!`-separated chain.
    pub subject: String,
    pub kind: ArchiveNoteKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveNoteKind {
    /// A limit was passed: the archive (for a total, entry or overall ratio limit, the
    /// whole outer archive; for one member's or stream's ratio, that member or stream)
    /// was not read further.
    Stopped(LimitHit),
    /// An encrypted member, which is skipped.
    Encrypted,
    /// The archive or member could not be read; the message says why. Everything else in
    /// the outer archive is still read.
    Corrupt(String),
    /// A compression method or feature this reader does not handle.
    Unsupported(String),
    /// A nested archive below `max_depth`: handed over as it is, not opened.
    TooDeep { max_depth: usize },
    /// A member larger than `max_member_bytes`, skipped.
    TooBig { limit: u64 },
}

impl fmt::Display for ArchiveNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message())
    }
}

impl ArchiveNote {
    fn new(subject: &str, kind: ArchiveNoteKind) -> ArchiveNote {
        ArchiveNote {
            subject: subject.to_owned(),
            kind,
        }
    }

    /// The note without its subject, for people.
    pub fn message(&self) -> String {
        match &self.kind {
            ArchiveNoteKind::Stopped(hit) => {
                format!("archive not read further: it {hit}; it may be an archive bomb")
            }
            ArchiveNoteKind::Encrypted => "encrypted member skipped".to_owned(),
            ArchiveNoteKind::Corrupt(why) => format!("corrupt, not read further: {why}"),
            ArchiveNoteKind::Unsupported(why) => format!("not read: {why}"),
            ArchiveNoteKind::TooDeep { max_depth } => {
                format!("archive nested deeper than --archive-depth {max_depth}, not opened")
            }
            ArchiveNoteKind::TooBig { limit } => {
                format!(
                    "member larger than {}, skipped",
                    budget::human_bytes(*limit)
                )
            }
        }
    }

    /// The note as the scan reports it: a skip for size and depth (shown with
    /// `--verbose`), a warning for everything that left content unread.
    pub fn to_note(&self) -> crate::source::Note {
        use crate::source::{Note, SkipReason};
        match self.kind {
            ArchiveNoteKind::TooBig { .. } => {
                Note::skipped(&self.subject, SkipReason::TooLarge, self.message())
            }
            ArchiveNoteKind::TooDeep { .. } => Note::info(&self.subject, self.message()),
            _ => Note::warning(&self.subject, self.message()),
        }
    }
}

/// Opens `bytes` (the content of `display_name`) if it is an archive or compressed file,
/// calling `visit` for every regular file in it and in archives nested in it, down to
/// `limits.max_depth`. A buffer that is no archive (or `max_depth` 0) is visited as
/// itself. The returned notes say what was skipped or stopped.
pub fn expand(
    display_name: &str,
    bytes: &[u8],
    limits: &ArchiveLimits,
    visit: &mut dyn FnMut(Member<'_>),
) -> Vec<ArchiveNote> {
    let budget = Budget::new(limits, bytes.len() as u64);
    let mut walk = Walk {
        budget: &budget,
        outer: display_name,
        stop_noted: false,
        notes: Vec::new(),
        visit,
    };
    match detect(&bytes[..bytes.len().min(SNIFF_LEN)]) {
        Some(format) if limits.max_depth > 0 => walk.archive(display_name, bytes, format, 1),
        _ => (walk.visit)(Member {
            path: display_name,
            inner_path: display_name,
            bytes,
            depth: 0,
        }),
    }
    walk.notes
}

/// One expansion in progress: the shared budget, the notes so far, and the caller.
struct Walk<'a> {
    budget: &'a Budget,
    /// The outer archive's name, which a total or entry limit note names.
    outer: &'a str,
    stop_noted: bool,
    notes: Vec<ArchiveNote>,
    visit: &'a mut dyn FnMut(Member<'_>),
}

impl Walk<'_> {
    /// Reads the archive `chain` (its whole name chain) at nesting `level` (1 = outer).
    fn archive(&mut self, chain: &str, bytes: &[u8], format: Format, level: usize) {
        match format {
            Format::Zip => zip_reader::walk(self, chain, bytes, level),
            Format::Tar => tar_reader::walk(self, chain, bytes, level),
            _ => stream::walk(self, chain, bytes, format, level),
        }
    }

    /// Hands one member to the caller, or opens it when it is an archive and the depth
    /// allows.
    fn member(&mut self, archive: &str, name: &str, bytes: &[u8], level: usize) {
        let path = format!("{archive}{LEVEL_SEPARATOR}{name}");
        if let Some(format) = detect(&bytes[..bytes.len().min(SNIFF_LEN)]) {
            let max_depth = self.budget.limits().max_depth;
            if level < max_depth {
                self.archive(&path, bytes, format, level + 1);
                return;
            }
            self.note(&path, ArchiveNoteKind::TooDeep { max_depth });
        }
        (self.visit)(Member {
            path: &path,
            inner_path: name,
            bytes,
            depth: level,
        });
    }

    fn note(&mut self, subject: &str, kind: ArchiveNoteKind) {
        self.notes.push(ArchiveNote::new(subject, kind));
    }

    /// Notes the limit that failed a read of `subject`, if a limit did (and not corrupt
    /// data): true when one did.
    fn note_limit(&mut self, subject: &str) -> bool {
        if let Some(hit) = self.budget.stopped() {
            // Once per outer archive: every level above unwinds through here too.
            if !self.stop_noted {
                self.stop_noted = true;
                let outer = self.outer;
                self.note(outer, ArchiveNoteKind::Stopped(hit));
            }
            return true;
        }
        if self.budget.take_ratio_hit() {
            let ratio = self.budget.limits().max_ratio;
            self.note(subject, ArchiveNoteKind::Stopped(LimitHit::Ratio(ratio)));
            return true;
        }
        false
    }

    /// Reads a member of declared `size` (if known) from `reader` into memory, never
    /// more than `max_member_bytes` (+1 to tell that it is larger). `None` when it was
    /// skipped or failed, with a note.
    fn read_member(&mut self, subject: &str, reader: &mut dyn std::io::Read) -> Option<Vec<u8>> {
        use std::io::Read;
        let limit = self.budget.limits().max_member_bytes;
        let mut bytes = Vec::new();
        match Read::take(reader, limit + 1).read_to_end(&mut bytes) {
            Ok(_) if bytes.len() as u64 > limit => {
                self.note(subject, ArchiveNoteKind::TooBig { limit });
                None
            }
            Ok(_) => Some(bytes),
            Err(error) => {
                if !self.note_limit(subject) {
                    self.note(subject, ArchiveNoteKind::Corrupt(error.to_string()));
                }
                None
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod test_build;
#[cfg(test)]
mod tests;
