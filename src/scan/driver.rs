//! The one scan driver: runs any [`Source`] through the engine, in parallel on the threads
//! the source reads on, and folds what comes back once: findings per unit, notes about
//! skipped units in unit order, and the totals.
//!
//! A buffer found at several places (a history blob at each of its paths) is scanned once
//! per class of places the rules cannot tell apart ([`PathClasses`]).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::engine::{PathClasses, RuleSet};
use crate::finding::{Finding, ScanStats};
use crate::source::{Note, Place, Sink, Source};

use super::{Worker, scan_buffer};

/// A source's own step after a buffer is scanned, while its bytes are at hand: the
/// staged scan keeps only findings on lines the commit adds. An error skips the unit.
pub type Refine<'a> =
    &'a (dyn Fn(u64, &[u8], &mut Vec<Finding>, &mut Worker) -> Result<(), Note> + Sync);

/// Findings of one unit under one class of its places.
pub struct Found {
    pub unit: u64,
    /// Indices into the places the source gave for the unit; the first is where it was
    /// scanned.
    pub places: Vec<u32>,
    pub findings: Vec<Finding>,
}

/// What a source yielded, scanned.
#[derive(Default)]
pub struct Driven {
    /// In unit order.
    pub found: Vec<Found>,
    /// The source's own notes, then notes about skipped units in unit order.
    pub notes: Vec<Note>,
    pub stats: ScanStats,
}

impl Driven {
    /// Every finding, for sources whose units need nothing more.
    pub fn into_findings(self) -> (Vec<Finding>, Vec<Note>, ScanStats) {
        let findings = self
            .found
            .into_iter()
            .flat_map(|found| found.findings)
            .collect();
        (findings, self.notes, self.stats)
    }
}

/// Options of one drive.
#[derive(Default, Clone, Copy)]
pub struct Drive<'a> {
    pub refine: Option<Refine<'a>>,
    /// How to group a buffer's places; without, every place is scanned on its own.
    pub classes: Option<&'a PathClasses>,
    /// Called for every byte count a source reports read (progress bars).
    pub advance: Option<&'a (dyn Fn(u64) + Sync)>,
}

/// Runs `source` through `rules`.
pub fn drive(rules: &RuleSet, source: &dyn Source, options: Drive<'_>) -> Driven {
    let sink = DriverSink {
        rules,
        options,
        workers: Mutex::new(Vec::new()),
        found: Mutex::new(Vec::new()),
        skipped: Mutex::new(Vec::new()),
        files_scanned: AtomicU64::new(0),
        bytes_scanned: AtomicU64::new(0),
        files_skipped: AtomicU64::new(0),
    };
    let mut notes = source.feed(&sink);
    let mut found = sink.found.into_inner().unwrap_or_else(|e| e.into_inner());
    // Stable: a unit's classes stay in the order they were scanned.
    found.sort_by_key(|found| found.unit);
    let mut skipped = sink.skipped.into_inner().unwrap_or_else(|e| e.into_inner());
    skipped.sort_by_key(|(unit, _)| *unit);
    notes.extend(skipped.into_iter().map(|(_, note)| note));
    Driven {
        found,
        notes,
        stats: ScanStats {
            files_scanned: sink.files_scanned.into_inner(),
            bytes_scanned: sink.bytes_scanned.into_inner(),
            files_skipped: sink.files_skipped.into_inner(),
            ..ScanStats::default()
        },
    }
}

struct DriverSink<'a> {
    rules: &'a RuleSet,
    options: Drive<'a>,
    /// Idle workers: a worker's scratch space is grown for this rule set, so workers
    /// live as long as the drive and are shared by whichever thread needs one.
    workers: Mutex<Vec<Worker>>,
    found: Mutex<Vec<Found>>,
    skipped: Mutex<Vec<(u64, Note)>>,
    files_scanned: AtomicU64,
    bytes_scanned: AtomicU64,
    files_skipped: AtomicU64,
}

impl DriverSink<'_> {
    fn with_worker<T>(&self, work: impl FnOnce(&mut Worker) -> T) -> T {
        let mut worker = lock(&self.workers).pop().unwrap_or_default();
        let result = work(&mut worker);
        lock(&self.workers).push(worker);
        result
    }

    fn classes(&self, places: &[Place<'_>]) -> Vec<Vec<u32>> {
        let all: Vec<u32> = (0..places.len() as u32).collect();
        match self.options.classes {
            Some(classes) => classes.group(&all, |index| places[index as usize].shown),
            None => all.into_iter().map(|index| vec![index]).collect(),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Sink for DriverSink<'_> {
    fn wants(&self, path: &str) -> bool {
        !self.rules.skips_path(path)
    }

    fn content(&self, unit: u64, data: &[u8], places: &[Place<'_>]) {
        let mut found = Vec::new();
        let refined = self.with_worker(|worker| {
            for class in self.classes(places) {
                let place = places[class[0] as usize];
                if place
                    .rule_path
                    .is_some_and(|path| self.rules.skips_path(path))
                {
                    continue;
                }
                let mut findings =
                    scan_buffer(self.rules, data, place.rule_path, place.shown, worker);
                if let Some(refine) = self.options.refine {
                    refine(unit, data, &mut findings, worker)?;
                }
                if !findings.is_empty() {
                    found.push(Found {
                        unit,
                        places: class,
                        findings,
                    });
                }
            }
            Ok(())
        });
        if let Err(note) = refined {
            self.skipped(unit, Some(note));
            return;
        }
        self.files_scanned.fetch_add(1, Ordering::Relaxed);
        self.bytes_scanned
            .fetch_add(data.len() as u64, Ordering::Relaxed);
        if !found.is_empty() {
            lock(&self.found).extend(found);
        }
    }

    fn passed_over(&self, _unit: u64) {
        self.files_scanned.fetch_add(1, Ordering::Relaxed);
    }

    fn skipped(&self, unit: u64, note: Option<Note>) {
        self.files_skipped.fetch_add(1, Ordering::Relaxed);
        if let Some(note) = note {
            lock(&self.skipped).push((unit, note));
        }
    }

    fn note(&self, unit: u64, note: Note) {
        lock(&self.skipped).push((unit, note));
    }

    fn advance(&self, bytes: u64) {
        if let Some(advance) = self.options.advance {
            advance(bytes);
        }
    }
}
