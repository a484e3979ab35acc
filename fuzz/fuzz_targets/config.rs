//! Fuzz target: see `leakhound::fuzzing::config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| leakhound::fuzzing::config(data));
