//! Fuzz target: see `leakhound::fuzzing::baseline`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| leakhound::fuzzing::baseline(data));
