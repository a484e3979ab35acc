//! Scanning files, directory trees and standard input.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use crate::engine::RuleSet;
use crate::finding::Finding;
use crate::source::files::{self, FileEntry, Skip, WalkOptions};
use crate::source::stdin::{STDIN_NAME, read_stdin};
use crate::source::{Note, SkipReason, looks_binary};

use super::{Report, Worker, scan_buffer};

/// What to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file or a directory tree.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
}

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub walk: WalkOptions,
    /// Files larger than this are skipped with a note.
    pub max_file_size: u64,
}

/// Scans files, directory trees and standard input.
pub fn scan_targets(rules: &RuleSet, targets: &[Target], options: &ScanOptions) -> Report {
    let started = Instant::now();
    let mut report = Report::default();
    let mut entries = Vec::new();
    for target in targets {
        match target {
            Target::Path(path) => {
                let (found, notes) = files::walk(path, &options.walk);
                entries.extend(found);
                report.notes.extend(notes);
            }
            Target::Stdin => scan_stdin(rules, options.max_file_size, &mut report),
        }
    }

    let outcomes: Vec<FileOutcome> = entries
        .par_iter()
        .map_init(Worker::default, |worker, entry| {
            scan_file(rules, entry, options.max_file_size, worker)
        })
        .collect();
    for outcome in outcomes {
        match outcome {
            FileOutcome::Scanned { findings, bytes } => {
                report.stats.files_scanned += 1;
                report.stats.bytes_scanned += bytes;
                report.findings.extend(findings);
            }
            FileOutcome::Skipped(note) => {
                report.stats.files_skipped += 1;
                report.notes.push(note);
            }
        }
    }
    report
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report.stats.duration_ms = started.elapsed().as_millis() as u64;
    report
}

enum FileOutcome {
    Scanned { findings: Vec<Finding>, bytes: u64 },
    Skipped(Note),
}

fn scan_file(
    rules: &RuleSet,
    entry: &FileEntry,
    max_file_size: u64,
    worker: &mut Worker,
) -> FileOutcome {
    if rules.skips_path(&entry.rule_path) {
        return FileOutcome::Scanned {
            findings: Vec::new(),
            bytes: 0,
        };
    }
    let skip_note = |reason: SkipReason, message: String| {
        FileOutcome::Skipped(Note::skipped(&entry.display_path, reason, message))
    };
    match files::read_file(&entry.fs_path, max_file_size, &mut worker.buffer) {
        Err(error) => FileOutcome::Skipped(Note::warning(
            &entry.display_path,
            format!("cannot read: {}", files::io_message(&error)),
        )),
        Ok(Err(Skip::Binary)) => skip_note(SkipReason::Binary, "binary file, skipped".into()),
        Ok(Err(Skip::TooLarge { .. })) if entry.stream => FileOutcome::Skipped(Note::warning(
            &entry.display_path,
            format!("stream is longer than --max-file-size ({max_file_size} bytes), not scanned"),
        )),
        // A file named on the command line was asked for: not scanning it is a warning.
        Ok(Err(Skip::TooLarge { size })) if entry.named => FileOutcome::Skipped(Note::warning(
            &entry.display_path,
            format!(
                "{size} bytes is over --max-file-size ({max_file_size} bytes), not scanned; raise --max-file-size to scan it"
            ),
        )),
        Ok(Err(Skip::TooLarge { size })) => skip_note(
            SkipReason::TooLarge,
            format!("{size} bytes is over --max-file-size ({max_file_size} bytes), skipped"),
        ),
        Ok(Ok(())) => {
            let data = std::mem::take(&mut worker.buffer);
            let findings = scan_buffer(
                rules,
                &data,
                Some(&entry.rule_path),
                &entry.display_path,
                worker,
            );
            let bytes = data.len() as u64;
            worker.buffer = data;
            FileOutcome::Scanned { findings, bytes }
        }
    }
}

fn scan_stdin(rules: &RuleSet, max_len: u64, report: &mut Report) {
    match read_stdin(max_len) {
        Err(error) => report.notes.push(Note::warning(
            STDIN_NAME,
            format!("cannot read: {}", files::io_message(&error)),
        )),
        Ok(None) => {
            report.stats.files_skipped += 1;
            report.notes.push(Note::warning(
                STDIN_NAME,
                format!("input is over --max-file-size ({max_len} bytes), not scanned"),
            ));
        }
        Ok(Some(data)) if looks_binary(&data) => {
            report.stats.files_skipped += 1;
            report.notes.push(Note::skipped(
                STDIN_NAME,
                SkipReason::Binary,
                "binary input, skipped",
            ));
        }
        Ok(Some(data)) => {
            let data = crate::source::decode_utf16(&data).unwrap_or(data);
            let mut worker = Worker::default();
            report
                .findings
                .extend(scan_buffer(rules, &data, None, STDIN_NAME, &mut worker));
            report.stats.files_scanned += 1;
            report.stats.bytes_scanned += data.len() as u64;
        }
    }
}
