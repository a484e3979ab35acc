//! Fuzz target: the engine with the built-in rules over the content of a file whose name
//! is the input's first line (`.env`, `Dockerfile`, `main.tf`, `k8s/deploy.yaml`, ...),
//! so that path rules and path-dependent detectors run; in linear time as `engine`.
#![no_main]

mod linear_time;

libfuzzer_sys::fuzz_target!(
    init: {
        leakhound::fuzzing::builtin_rules();
    },
    |data: &[u8]| {
        let (path, content) = match memchr(data) {
            Some(newline) => (&data[..newline], &data[newline + 1..]),
            None => (&b""[..], data),
        };
        let path = String::from_utf8_lossy(path);
        linear_time::assert_linear(content.len(), || {
            leakhound::fuzzing::engine_with_path(&path, content)
        })
    }
);

fn memchr(data: &[u8]) -> Option<usize> {
    data.iter().position(|&byte| byte == b'\n')
}
