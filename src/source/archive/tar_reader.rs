//! Reads tar archives, plain or coming out of a decompressor, one entry at a time: an
//! entry's data is read only when it is a regular file within the member size limit, so
//! memory stays bounded by that limit whatever the archive claims.
//!
//! Knows nothing about compression (see [`super::stream`]) or about what members hold.

use std::io::Read;

use super::escape_name;
use super::{ArchiveNoteKind, Walk};

/// Reads the tar archive `chain` held in `bytes`.
pub(super) fn walk(walk: &mut Walk<'_>, chain: &str, bytes: &[u8], level: usize) {
    walk_stream(walk, chain, bytes, level);
}

/// Reads the tar archive `chain` from `reader` (a decompressor's output, already counted
/// against the budget).
pub(super) fn walk_stream(walk: &mut Walk<'_>, chain: &str, reader: impl Read, level: usize) {
    let mut archive = tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(entries) => entries,
        Err(error) => {
            walk.note(chain, ArchiveNoteKind::Corrupt(error.to_string()));
            return;
        }
    };
    for entry in entries {
        if walk.budget.stopped().is_some() {
            walk.note_limit(chain);
            return;
        }
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                // A header that does not parse: where the next one starts is unknown.
                if !walk.note_limit(chain) {
                    walk.note(chain, ArchiveNoteKind::Corrupt(error.to_string()));
                }
                return;
            }
        };
        if !walk.budget.take_entry() {
            walk.note_limit(chain);
            return;
        }
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_gnu_sparse()) {
            continue;
        }
        let name = escape_name(&entry.path_bytes());
        let subject = format!("{chain}{}{name}", super::LEVEL_SEPARATOR);
        let limit = walk.budget.limits().max_member_bytes;
        if entry.size() > limit {
            // Skipped unread; the archive reader steps over its data.
            walk.note(&subject, ArchiveNoteKind::TooBig { limit });
            continue;
        }
        let Some(bytes) = walk.read_member(&subject, &mut entry) else {
            // A limit, or a failing read that leaves the stream at an unknown place.
            return;
        };
        walk.member(chain, &name, &bytes, level);
    }
}
