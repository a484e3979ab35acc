//! What `leakhound scan` is given: files and directory trees (walked by [`super::files`])
//! and standard input (`-`), as one [`Source`].

use std::path::PathBuf;

use rayon::prelude::*;

use super::archive::{ArchiveLimits, feed_members, is_archive};
use super::files::{self, FileEntry, Skip, WalkOptions};
use super::stdin::{STDIN_NAME, read_stdin};
use super::{Note, Place, Sink, SkipReason, Source, decode_utf16, looks_binary};

/// What to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file or a directory tree.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
}

/// The files of every target, listed, and whether standard input is one of them.
pub struct Targets {
    entries: Vec<FileEntry>,
    stdin: bool,
    /// Notes from listing the targets (unreadable directories, symlink loops, ...).
    notes: Vec<Note>,
    max_file_size: u64,
    /// How archives (zip, jar, tar.gz, ...) are opened; `max_depth` 0: not at all.
    archives: ArchiveLimits,
}

impl Targets {
    /// Lists the files of `targets`; nothing is read yet.
    pub fn list(
        targets: &[Target],
        walk: &WalkOptions,
        max_file_size: u64,
        archives: ArchiveLimits,
    ) -> Targets {
        let mut listed = Targets {
            entries: Vec::new(),
            stdin: false,
            notes: Vec::new(),
            max_file_size,
            archives,
        };
        for target in targets {
            match target {
                Target::Path(path) => {
                    let (found, notes) = files::walk(path, walk);
                    listed.entries.extend(found);
                    listed.notes.extend(notes);
                }
                Target::Stdin => listed.stdin = true,
            }
        }
        listed
    }

    fn feed_file(&self, unit: usize, buffer: &mut Vec<u8>, sink: &dyn Sink) {
        let entry = &self.entries[unit];
        let unit = unit as u64;
        if !sink.wants(&entry.rule_path) {
            sink.passed_over(unit);
            return;
        }
        let max_file_size = self.max_file_size;
        let skip = |note: Note| sink.skipped(unit, Some(note));
        let subject = &entry.display_path;
        match files::read_file(&entry.fs_path, max_file_size, buffer) {
            Err(error) => skip(Note::warning(
                subject,
                format!("cannot read: {}", files::io_message(&error)),
            )),
            Ok(Err(Skip::Binary)) if self.archives.max_depth > 0 => {
                match self.read_archive(entry, buffer) {
                    Ok(true) => feed_members(unit, subject, buffer, &self.archives, sink),
                    Ok(false) => skip(Note::skipped(
                        subject,
                        SkipReason::Binary,
                        "binary file, skipped",
                    )),
                    Err(error) => skip(Note::warning(
                        subject,
                        format!("cannot read: {}", files::io_message(&error)),
                    )),
                }
            }
            Ok(Err(Skip::Binary)) => skip(Note::skipped(
                subject,
                SkipReason::Binary,
                "binary file, skipped",
            )),
            Ok(Err(Skip::TooLarge { .. })) if entry.stream => skip(Note::warning(
                subject,
                format!(
                    "stream is longer than --max-file-size ({max_file_size} bytes), not scanned"
                ),
            )),
            // A file named on the command line was asked for: not scanning it is a warning.
            Ok(Err(Skip::TooLarge { size })) if entry.named => skip(Note::warning(
                subject,
                format!(
                    "{size} bytes is over --max-file-size ({max_file_size} bytes), not scanned; raise --max-file-size to scan it"
                ),
            )),
            Ok(Err(Skip::TooLarge { size })) => skip(Note::skipped(
                subject,
                SkipReason::TooLarge,
                format!("{size} bytes is over --max-file-size ({max_file_size} bytes), skipped"),
            )),
            Ok(Ok(())) => sink.content(
                unit,
                buffer,
                &[Place {
                    shown: subject,
                    rule_path: Some(&entry.rule_path),
                }],
            ),
        }
    }

    /// Reads a binary file whole (it is within the size limit) when it starts like an
    /// archive; `false` when it does not.
    fn read_archive(&self, entry: &FileEntry, buffer: &mut Vec<u8>) -> std::io::Result<bool> {
        use std::io::Read;
        if !is_archive(buffer, &self.archives) {
            return Ok(false);
        }
        buffer.clear();
        std::fs::File::open(&entry.fs_path)?
            .take(self.max_file_size)
            .read_to_end(buffer)?;
        Ok(true)
    }

    /// Standard input, unit `entries.len()`; a read error is a note of the whole run.
    fn feed_stdin(&self, sink: &dyn Sink, notes: &mut Vec<Note>) {
        let unit = self.entries.len() as u64;
        let max_len = self.max_file_size;
        match read_stdin(max_len) {
            Err(error) => notes.push(Note::warning(
                STDIN_NAME,
                format!("cannot read: {}", files::io_message(&error)),
            )),
            Ok(None) => sink.skipped(
                unit,
                Some(Note::warning(
                    STDIN_NAME,
                    format!("input is over --max-file-size ({max_len} bytes), not scanned"),
                )),
            ),
            Ok(Some(data)) if is_archive(&data, &self.archives) => {
                feed_members(unit, STDIN_NAME, &data, &self.archives, sink)
            }
            Ok(Some(data)) if looks_binary(&data) => sink.skipped(
                unit,
                Some(Note::skipped(
                    STDIN_NAME,
                    SkipReason::Binary,
                    "binary input, skipped",
                )),
            ),
            Ok(Some(data)) => {
                let data = decode_utf16(&data).unwrap_or(data);
                let place = Place {
                    shown: STDIN_NAME,
                    rule_path: None,
                };
                sink.content(unit, &data, &[place]);
            }
        }
    }
}

impl Source for Targets {
    fn feed(&self, sink: &dyn Sink) -> Vec<Note> {
        let mut notes = self.notes.clone();
        if self.stdin {
            self.feed_stdin(sink, &mut notes);
        }
        (0..self.entries.len())
            .into_par_iter()
            .for_each_init(Vec::new, |buffer, unit| self.feed_file(unit, buffer, sink));
        notes
    }
}
