//! Fuzz target: see `leakhound::fuzzing::pre_push`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| leakhound::fuzzing::pre_push(data));
