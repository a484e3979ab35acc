//! Fuzz target: see `leakhound::fuzzing::ignore_file`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| leakhound::fuzzing::ignore_file(data));
