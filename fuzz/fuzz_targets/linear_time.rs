//! The engine targets' time check: scanning n bytes must take no more than
//! `FIXED + PER_BYTE * n` of the fuzzing thread's CPU time.
//!
//! CPU time of the thread, not wall time, so that a busy machine (the fuzzer runs at
//! `nice 19` next to other work) does not make a fast scan look slow. The figures come
//! from measuring this build (coverage instrumentation and AddressSanitizer on) over the
//! seed corpus and hostile inputs of 15-120 KB (long runs of one byte, `password="`
//! repeated on one line, base64 and hex runs, random bytes): the slowest were 2-4 µs per
//! byte, and up to 9 µs when the regex caches were cold, linear in the length in every
//! case (see fuzz/README.md). The budget is 20 µs per byte plus 100 ms, so only a scan
//! that grows faster than the input fails, not a busy or cold cache.
//!
//! A scan over budget is timed once more before it fails: the first scan that reaches a
//! part of the engine pays once for what it builds lazily (a regex or its DFA states), and
//! twice during fuzzing that alone took 0.2 s for inputs under 500 bytes that scan in under
//! 1 ms when warm (kept in fuzz/regressions/engine*/). A scan that is slow for its length
//! is slow both times.

use std::time::Duration;

const FIXED: Duration = Duration::from_millis(100);
const PER_BYTE: Duration = Duration::from_micros(20);

/// Runs `scan` over an input of `len` bytes and panics if it took more than the budget,
/// twice in a row (see the module doc).
pub fn assert_linear(len: usize, scan: impl Fn()) {
    let budget = FIXED + PER_BYTE * u32::try_from(len).unwrap_or(u32::MAX);
    let mut spent = time(&scan);
    if spent > budget {
        spent = time(&scan);
    }
    if std::env::var_os("LEAKHOUND_FUZZ_TIMES").is_some() {
        let per_byte = spent.as_nanos() as f64 / len.max(1) as f64;
        eprintln!("linear_time: {len} bytes in {spent:?} ({per_byte:.1} ns/byte)");
    }
    assert!(
        spent <= budget,
        "scanning {len} bytes took {spent:?} of CPU time twice, over the linear budget of {budget:?}"
    );
}

fn time(scan: &impl Fn()) -> Duration {
    let before = thread_cpu_time();
    scan();
    thread_cpu_time().saturating_sub(before)
}

fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill in.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}
