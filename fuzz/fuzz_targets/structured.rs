//! Fuzz target: the structured parsers and their detectors. The first byte picks the
//! format (its value modulo the number of formats, in the order of
//! `leakhound::fuzzing::Document::ALL`: dotenv, YAML, JSON, Terraform, TOML, Bicep,
//! Dockerfile); the rest is the document. A crash's input names its parser by that byte,
//! and the seeds start with `0`..`6`.
#![no_main]

use leakhound::fuzzing::{Document, structured};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((&first, document)) = data.split_first() {
        let format = Document::ALL[usize::from(first) % Document::ALL.len()];
        structured(format, document);
    }
});
