//! Fuzz target: see `leakhound::fuzzing::from_report`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| leakhound::fuzzing::from_report(data));
