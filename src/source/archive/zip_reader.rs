//! Reads zip archives (and the jar, war, ear, apk, whl, nupkg, docx, xlsx ... that are
//! zips) through their central directory, one member at a time: a member is decompressed
//! only up to the member size limit and its own ratio cap, so one bomb member is skipped
//! with a note and the others are still read.
//!
//! Knows nothing about what members hold; nested archives go back to [`Walk::member`].

use std::io::Cursor;

use zip::result::ZipError;
use zip::{CompressionMethod, ZipArchive};

use super::budget::Capped;
use super::{ArchiveNoteKind, LEVEL_SEPARATOR, Walk, escape_name};

/// Reads the zip archive `chain` held in `bytes`.
pub(super) fn walk(walk: &mut Walk<'_>, chain: &str, bytes: &[u8], level: usize) {
    let mut archive = match ZipArchive::new(Cursor::new(bytes)) {
        Ok(archive) => archive,
        Err(error) => {
            walk.note(chain, ArchiveNoteKind::Corrupt(describe(&error)));
            return;
        }
    };
    for index in 0..archive.len() {
        if !walk.budget.take_entry() || walk.budget.stopped().is_some() {
            walk.note_limit(chain);
            return;
        }
        // The raw view tells what a member is without decompressing or decrypting it.
        let (name, compressed, is_file, encrypted, method) = match archive.by_index_raw(index) {
            Ok(raw) => (
                escape_name(raw.name_raw()),
                raw.compressed_size(),
                raw.is_file() && !raw.is_symlink(),
                raw.encrypted(),
                raw.compression(),
            ),
            Err(error) => {
                let subject = format!("{chain}{LEVEL_SEPARATOR}#{index}");
                walk.note(&subject, ArchiveNoteKind::Corrupt(describe(&error)));
                continue;
            }
        };
        if !is_file {
            continue;
        }
        let subject = format!("{chain}{LEVEL_SEPARATOR}{name}");
        if encrypted {
            walk.note(&subject, ArchiveNoteKind::Encrypted);
            continue;
        }
        if method == CompressionMethod::ZSTD {
            read_zstd_member(walk, &mut archive, index, chain, &name, level);
            continue;
        }
        let member = match archive.by_index(index) {
            Ok(member) => member,
            Err(ZipError::UnsupportedArchive(why)) => {
                walk.note(&subject, ArchiveNoteKind::Unsupported(why.to_owned()));
                continue;
            }
            Err(error) => {
                walk.note(&subject, ArchiveNoteKind::Corrupt(describe(&error)));
                continue;
            }
        };
        let mut capped = Capped::new(member, walk.budget, compressed);
        let Some(bytes) = walk.read_member(&subject, &mut capped) else {
            continue;
        };
        drop(capped);
        walk.member(chain, &name, &bytes, level);
    }
}

/// A zstd member (method 93), decompressed here with the pure-Rust decoder the zip
/// crate does not use (its zstd feature builds the C library).
fn read_zstd_member(
    walk: &mut Walk<'_>,
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    chain: &str,
    name: &str,
    level: usize,
) {
    let subject = format!("{chain}{LEVEL_SEPARATOR}{name}");
    let raw = match archive.by_index_raw(index) {
        Ok(raw) => raw,
        Err(error) => {
            walk.note(&subject, ArchiveNoteKind::Corrupt(describe(&error)));
            return;
        }
    };
    let compressed = raw.compressed_size();
    let decoder = match ruzstd::decoding::StreamingDecoder::new(raw) {
        Ok(decoder) => decoder,
        Err(error) => {
            walk.note(&subject, ArchiveNoteKind::Corrupt(error.to_string()));
            return;
        }
    };
    let mut capped = Capped::new(decoder, walk.budget, compressed);
    if let Some(bytes) = walk.read_member(&subject, &mut capped) {
        drop(capped);
        walk.member(chain, name, &bytes, level);
    }
}

fn describe(error: &ZipError) -> String {
    match error {
        ZipError::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}
