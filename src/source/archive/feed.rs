//! Hands the files of an archive to a [`Sink`] as a source would hand its own: each
//! member found at `outer!inner/path` (what reports show) with its name inside its
//! innermost archive (what path rules see), binary members skipped, UTF-16 text decoded,
//! and what the reader stopped at as notes.

use crate::source::{Note, Place, Sink, SkipReason, decode_utf16, looks_binary};

use super::{ArchiveLimits, ArchiveNoteKind, Member, expand, looks_like_archive};

/// Whether `bytes` open as an archive the scan should look into.
pub fn is_archive(bytes: &[u8], limits: &ArchiveLimits) -> bool {
    limits.max_depth > 0 && looks_like_archive(&bytes[..bytes.len().min(super::SNIFF_LEN)])
}

/// Feeds the members of the archive `bytes` (shown as `display`) to `sink` as unit
/// `unit`.
pub fn feed_members(
    unit: u64,
    display: &str,
    bytes: &[u8],
    limits: &ArchiveLimits,
    sink: &dyn Sink,
) {
    let notes = expand(display, bytes, limits, &mut |member: Member<'_>| {
        feed_member(unit, member, sink)
    });
    for note in notes {
        match note.kind {
            // A member over the size limit is a skipped file, counted like one.
            ArchiveNoteKind::TooBig { .. } => sink.skipped(unit, Some(note.to_note())),
            _ => sink.note(unit, note.to_note()),
        }
    }
}

fn feed_member(unit: u64, member: Member<'_>, sink: &dyn Sink) {
    if !sink.wants(member.inner_path) {
        sink.passed_over(unit);
        return;
    }
    if looks_binary(member.bytes) {
        sink.skipped(
            unit,
            Some(Note::skipped(
                member.path,
                SkipReason::Binary,
                "binary file, skipped",
            )),
        );
        return;
    }
    let decoded = decode_utf16(member.bytes);
    let place = Place {
        shown: member.path,
        rule_path: Some(member.inner_path),
    };
    sink.content(unit, decoded.as_deref().unwrap_or(member.bytes), &[place]);
}
