//! The limits that stop archive bombs, and the running account that enforces them for one
//! outer archive and everything nested in it.
//!
//! Knows nothing about formats: readers wrap each decompressed stream in [`Capped`], which
//! counts what comes out and fails the read once a limit is passed.

use std::cell::Cell;
use std::fmt;
use std::io::{self, Read};

/// Bounds on the work one outer archive may cause, nested archives included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// How many archives deep to open: 1 opens the outer archive only, 3 (the default)
    /// also an archive in an archive in it; 0 opens nothing.
    pub max_depth: usize,
    /// Uncompressed bytes produced, at every level together, before the whole outer
    /// archive is given up.
    pub max_total_bytes: u64,
    /// Entries (files, directories, links) at every level together.
    pub max_entries: u64,
    /// Largest expansion, uncompressed to compressed, of one zip member or one compressed
    /// stream. Checked once the output passes [`RATIO_FLOOR_BYTES`], so small very
    /// repetitive files are fine.
    pub max_ratio: u64,
    /// The largest member handed to the caller (the scan's `--max-file-size`): larger ones
    /// are skipped with a note, and never read past this size.
    pub max_member_bytes: u64,
}

/// Output a stream may produce whatever its ratio: a 20 KiB file of one repeated line
/// compresses 1000:1 and is no bomb.
pub const RATIO_FLOOR_BYTES: u64 = 1 << 20;

impl Default for ArchiveLimits {
    fn default() -> ArchiveLimits {
        ArchiveLimits {
            max_depth: 3,
            max_total_bytes: 1 << 30,
            max_entries: 100_000,
            max_ratio: 100,
            max_member_bytes: 10 << 20,
        }
    }
}

impl ArchiveLimits {
    /// The most output a stream of `compressed` bytes may produce under `max_ratio`.
    pub(super) fn ratio_cap(&self, compressed: u64) -> u64 {
        compressed
            .saturating_mul(self.max_ratio)
            .max(RATIO_FLOOR_BYTES)
    }
}

/// The limit that stopped an expansion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitHit {
    /// `max_total_bytes` of uncompressed output, at every level together.
    TotalBytes(u64),
    /// `max_entries`, at every level together.
    Entries(u64),
    /// `max_ratio` for one member or stream.
    Ratio(u64),
}

impl fmt::Display for LimitHit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitHit::TotalBytes(limit) => {
                write!(
                    f,
                    "more than {} uncompressed (the total limit)",
                    human_bytes(*limit)
                )
            }
            LimitHit::Entries(limit) => write!(f, "more than {limit} entries (the entry limit)"),
            LimitHit::Ratio(limit) => write!(f, "expands more than {limit}:1 (the ratio limit)"),
        }
    }
}

/// A byte count for people: `1 GiB`, `10 MiB`, `512 B`.
pub fn human_bytes(count: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if count >= size && count.is_multiple_of(size) {
            return format!("{} {unit}", count / size);
        }
        if count >= size {
            return format!("{:.1} {unit}", count as f64 / size as f64);
        }
    }
    format!("{count} B")
}

/// What one outer archive has used so far. Shared by reference with every [`Capped`]
/// reader under it (hence the cells: readers are owned by format decoders).
#[derive(Debug)]
pub(super) struct Budget {
    limits: ArchiveLimits,
    /// The most output the whole outer archive may produce under `max_ratio`.
    overall_cap: u64,
    total: Cell<u64>,
    entries: Cell<u64>,
    /// A total or entry limit was passed: the whole outer archive stops.
    stopped: Cell<Option<LimitHit>>,
    /// A stream passed its ratio limit (taken by the reader that reports it).
    ratio_hit: Cell<bool>,
}

impl Budget {
    /// The budget of an outer archive of `outer_len` bytes.
    pub(super) fn new(limits: &ArchiveLimits, outer_len: u64) -> Budget {
        Budget {
            limits: limits.clone(),
            overall_cap: limits.ratio_cap(outer_len),
            total: Cell::new(0),
            entries: Cell::new(0),
            stopped: Cell::new(None),
            ratio_hit: Cell::new(false),
        }
    }

    pub(super) fn limits(&self) -> &ArchiveLimits {
        &self.limits
    }

    pub(super) fn stopped(&self) -> Option<LimitHit> {
        self.stopped.get()
    }

    /// Counts one entry; false (and the archive is stopped) past `max_entries`.
    pub(super) fn take_entry(&self) -> bool {
        let entries = self.entries.get() + 1;
        self.entries.set(entries);
        if entries > self.limits.max_entries {
            self.stop(LimitHit::Entries(self.limits.max_entries));
            return false;
        }
        true
    }

    /// Whether a stream passed its ratio limit since the last call.
    pub(super) fn take_ratio_hit(&self) -> bool {
        self.ratio_hit.replace(false)
    }

    #[cfg(test)]
    pub(super) fn total_bytes(&self) -> u64 {
        self.total.get()
    }

    fn stop(&self, hit: LimitHit) {
        if self.stopped.get().is_none() {
            self.stopped.set(Some(hit));
        }
    }
}

/// A decompressed stream that counts its output against the [`Budget`] and fails once
/// the total limit or its own ratio cap is passed. The error it returns is only a signal:
/// callers ask the budget which limit it was.
pub(super) struct Capped<'b, R> {
    inner: R,
    budget: &'b Budget,
    produced: u64,
    cap: u64,
}

impl<'b, R: Read> Capped<'b, R> {
    /// `compressed` is the size of the input this stream inflates (for the ratio).
    pub(super) fn new(inner: R, budget: &'b Budget, compressed: u64) -> Capped<'b, R> {
        let cap = budget.limits.ratio_cap(compressed);
        Capped {
            inner,
            budget,
            produced: 0,
            cap,
        }
    }
}

impl<R: Read> Read for Capped<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.budget.stopped().is_some() {
            return Err(limit_error());
        }
        let read = self.inner.read(buf)?;
        let read_u64 = read as u64;
        self.produced += read_u64;
        let total = self.budget.total.get() + read_u64;
        self.budget.total.set(total);
        if total > self.budget.limits.max_total_bytes {
            self.budget
                .stop(LimitHit::TotalBytes(self.budget.limits.max_total_bytes));
            return Err(limit_error());
        }
        if total > self.budget.overall_cap {
            self.budget
                .stop(LimitHit::Ratio(self.budget.limits.max_ratio));
            return Err(limit_error());
        }
        if self.produced > self.cap {
            self.budget.ratio_hit.set(true);
            return Err(limit_error());
        }
        Ok(read)
    }
}

fn limit_error() -> io::Error {
    io::Error::other("archive limit reached")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_total_bytes: u64, max_ratio: u64) -> ArchiveLimits {
        ArchiveLimits {
            max_total_bytes,
            max_ratio,
            ..ArchiveLimits::default()
        }
    }

    #[test]
    fn a_stream_within_its_limits_reads_to_the_end() {
        let budget = Budget::new(&limits(1 << 30, 100), 100);
        let mut out = Vec::new();
        Capped::new(&[7u8; 5000][..], &budget, 100)
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out.len(), 5000);
        assert_eq!(budget.total_bytes(), 5000);
        assert_eq!(budget.stopped(), None);
    }

    #[test]
    fn passing_the_total_stops_the_whole_archive() {
        let budget = Budget::new(&limits(4096, 100), 10_000);
        let data = vec![0u8; 10_000];
        let error = Capped::new(&data[..], &budget, 10_000).read_to_end(&mut Vec::new());
        assert!(error.is_err());
        assert_eq!(budget.stopped(), Some(LimitHit::TotalBytes(4096)));
        // Every later stream of the same archive fails at once.
        let mut later = Capped::new(&b"x"[..], &budget, 1);
        assert!(later.read(&mut [0; 4]).is_err());
    }

    #[test]
    fn passing_the_ratio_fails_only_that_stream() {
        let budget = Budget::new(&limits(1 << 30, 2), 10 << 20);
        let data = vec![0u8; 3 << 20];
        // 1 byte in, more than the 1 MiB floor out.
        assert!(
            Capped::new(&data[..], &budget, 1)
                .read_to_end(&mut Vec::new())
                .is_err()
        );
        assert!(budget.take_ratio_hit());
        assert!(!budget.take_ratio_hit());
        assert_eq!(budget.stopped(), None);
    }

    #[test]
    fn passing_the_ratio_of_the_whole_outer_archive_stops_it() {
        // Each stream is within its own ratio, but all of them together are not.
        let budget = Budget::new(&limits(1 << 30, 2), 1 << 20);
        let data = vec![0u8; 1 << 20];
        for _ in 0..2 {
            Capped::new(&data[..], &budget, 1 << 20)
                .read_to_end(&mut Vec::new())
                .unwrap();
        }
        assert!(
            Capped::new(&data[..], &budget, 1 << 20)
                .read_to_end(&mut Vec::new())
                .is_err()
        );
        assert_eq!(budget.stopped(), Some(LimitHit::Ratio(2)));
    }

    #[test]
    fn entries_past_the_limit_stop_the_archive() {
        let budget = Budget::new(
            &ArchiveLimits {
                max_entries: 2,
                ..ArchiveLimits::default()
            },
            100,
        );
        assert!(budget.take_entry() && budget.take_entry());
        assert!(!budget.take_entry());
        assert_eq!(budget.stopped(), Some(LimitHit::Entries(2)));
    }

    #[test]
    fn byte_counts_read_in_binary_units() {
        assert_eq!(human_bytes(1 << 30), "1 GiB");
        assert_eq!(human_bytes(10 << 20), "10 MiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(12), "12 B");
    }
}
