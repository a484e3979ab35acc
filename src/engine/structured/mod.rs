//! Structured detectors: code that reads a document (dotenv, JSON, YAML, HCL) and reports
//! values whose *place* makes them secrets, such as a password in a Kubernetes `env:`
//! entry. A rule selects one with `detector = "..."` (see [`Detector`]); the engine runs it
//! where it would run a regex, and applies entropy and allowlists to what it returns.
//!
//! Each detector owns one format ([`dotenv`], [`ecs`], [`kubernetes`], [`compose`],
//! [`github_actions`]); they share the document tree ([`tree`]) built by [`yaml`] and
//! [`flow`] (JSON and HCL objects), and one classification of names and values ([`judge`]).
//! A finding points at the value itself (inside its quotes), so its line and column are
//! the value's.
//!
//! A document that does not parse yields nothing here; the regex rules still see it.
//! Detectors only parse after a cheap check that the buffer can hold what they look for.

mod compose;
mod dotenv;
mod ecs;
mod flow;
mod github_actions;
mod judge;
mod kubernetes;
mod terraform;
mod tree;
mod yaml;

use std::ops::Range;

use crate::rules::Detector;

use tree::Node;

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
    match detector {
        Detector::Dotenv => dotenv::detect(data, out),
        Detector::EcsTaskEnv => ecs::detect(data, path, out),
        Detector::K8sEnv => kubernetes::detect_env(data, out),
        Detector::K8sSecret => kubernetes::detect_secret(data, out),
        Detector::ComposeEnv => compose::detect(data, out),
        Detector::GhaEnv => github_actions::detect(data, out),
    }
}

/// The documents of a JSON or (multi-document) YAML buffer; none if it parses as neither.
fn parse_documents(data: &[u8]) -> Vec<Node> {
    let first = data
        .iter()
        .skip(if data.starts_with(UTF8_BOM) { 3 } else { 0 })
        .find(|byte| !byte.is_ascii_whitespace());
    if matches!(first, Some(b'{' | b'['))
        && let Some(document) = flow::parse_json(data)
    {
        return vec![document];
    }
    yaml::parse_documents(data)
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn contains(data: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(data, needle).is_some()
}
