//! Fuzz target: a container image tarball (`docker save` or an OCI layout in a tar):
//! manifests, index, config and every layer's files, as `leakhound image` reads them.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    leakhound::fuzzing::image(data);
});
