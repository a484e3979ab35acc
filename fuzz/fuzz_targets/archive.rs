//! Fuzz target: the archive readers (zip, tar, gzip, bzip2, xz, zstd, nested three deep)
//! over arbitrary bytes, checking that the limits hold: no member past the member limit,
//! no more bytes handed over than the total limit, whatever the archive claims.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    leakhound::fuzzing::archive(data);
});
