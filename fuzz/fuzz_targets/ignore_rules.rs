//! Fuzz target: see `leakhound::fuzzing::ignore_rules`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| leakhound::fuzzing::ignore_rules(data));
