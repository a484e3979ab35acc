//! Fuzz target: the engine with the built-in rules over arbitrary bytes (no path, as for
//! standard input), in time linear in the input's length (see `linear_time.rs`).
#![no_main]

mod linear_time;

libfuzzer_sys::fuzz_target!(
    init: {
        leakhound::fuzzing::builtin_rules();
    },
    |data: &[u8]| linear_time::assert_linear(data.len(), || leakhound::fuzzing::engine(data))
);
