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

use std::time::Duration;

const FIXED: Duration = Duration::from_millis(100);
const PER_BYTE: Duration = Duration::from_micros(20);

/// Runs `scan` over an input of `len` bytes and panics if it took more than the budget.
pub fn assert_linear(len: usize, scan: impl FnOnce()) {
    let before = thread_cpu_time();
    scan();
    let spent = thread_cpu_time().saturating_sub(before);
    let budget = FIXED + PER_BYTE * u32::try_from(len).unwrap_or(u32::MAX);
    if std::env::var_os("LEAKHOUND_FUZZ_TIMES").is_some() {
        eprintln!(
            "linear_time: {len} bytes in {spent:?} ({:.1} ns/byte)",
            spent.as_nanos() as f64 / len.max(1) as f64
        );
    }
    assert!(
        spent <= budget,
        "scanning {len} bytes took {spent:?} of CPU time, over the linear budget of {budget:?}"
    );
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
