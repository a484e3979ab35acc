//! Time stays linear in the input whatever the number of findings on one line: a minified
//! JSON file of 20,000 users with password fields (1.2 MB, one line) took 9 to 27 s in
//! `scan`, `staged` and `history` (0.3 s pretty-printed), and 1 MB of `password="` 23 to
//! 47 s, because the column of each finding, its line for allowlists and allow comments,
//! and overlap resolution were all worked out afresh per finding.
//!
//! These runs take a few seconds in a debug build; the limit is far above that and far
//! below what the quadratic version needed.

mod common;

use std::time::Duration;

use common::TestRepo;

const LIMIT: Duration = Duration::from_secs(60);

/// `[{"id":0,"name":"user0","password":"..."},...]` on one line, with passwords made of
/// letters, digits and symbols that the generic password rule reports.
fn minified_users(count: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%";
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut users = Vec::with_capacity(count);
    for id in 0..count {
        let password: String = (0..14)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ALPHABET[((state >> 33) % ALPHABET.len() as u64) as usize] as char
            })
            .collect();
        users.push(format!(
            r#"{{"id":{id},"name":"user{id}","password":"{password}"}}"#
        ));
    }
    format!("[{}]", users.join(","))
}

fn findings(output: &std::process::Output) -> usize {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    report["findings"].as_array().unwrap().len()
}

#[test]
fn minified_json_with_a_password_per_user_scans_in_linear_time() {
    let dir = TestRepo::plain_dir();
    dir.write("users.json", minified_users(20_000));
    let output = dir
        .cmd(["scan", ".", "--format", "json"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(findings(&output) > 10_000);
}

#[test]
fn a_megabyte_of_password_assignments_scans_in_linear_time() {
    let dir = TestRepo::plain_dir();
    dir.write("pw.txt", "password=\"".repeat(100_000));
    let output = dir
        .cmd(["scan", ".", "--format", "json"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert!(output.status.code().is_some(), "timed out or killed");
}

#[test]
fn minified_json_is_linear_in_staged_and_history_too() {
    let repo = TestRepo::new();
    repo.stage("users.json", minified_users(20_000));
    let staged = repo
        .cmd(["staged", "--format", "json"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert_eq!(staged.status.code(), Some(1));
    assert!(findings(&staged) > 10_000);

    repo.git(["commit", "-q", "-m", "users"]);
    let history = repo
        .cmd(["history", "--format", "json"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert_eq!(history.status.code(), Some(1));
    assert!(findings(&history) > 10_000);
}

/// A run of `A` (base64 of zero bytes) made every offset a keyword hit (`AAAA`), kept with
/// its window: about 40 bytes of memory per byte of input. With the data segment capped at
/// 100 MB (`ulimit -d`), scanning 10 MB of it aborted.
#[test]
fn a_long_run_of_one_letter_scans_in_bounded_memory() {
    let dir = TestRepo::plain_dir();
    dir.write("zeros.b64", "A".repeat(10 << 20));
    let script = format!(
        "ulimit -d 100000 && exec {} scan zeros.b64 --max-file-size 20M",
        env!("CARGO_BIN_EXE_leakhound")
    );
    let output = assert_cmd::Command::new("bash")
        .args(["-c", &script])
        .current_dir(dir.path())
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs leakhound with `args` in `dir`, its data segment capped at `kib` KiB.
fn capped(dir: &std::path::Path, kib: u64, args: &str) -> std::process::Output {
    let script = format!(
        "ulimit -d {kib} && exec {} {args}",
        env!("CARGO_BIN_EXE_leakhound")
    );
    assert_cmd::Command::new("bash")
        .args(["-c", &script])
        .current_dir(dir)
        .timeout(LIMIT)
        .output()
        .unwrap()
}

/// A binary file was read in full before its first bytes said it was binary (a 2 GB
/// sparse file: 9.5 s and 2 GiB of memory).
#[test]
fn a_large_binary_file_is_skipped_after_its_first_bytes() {
    let dir = TestRepo::plain_dir();
    let file = std::fs::File::create(dir.path().join("disk.img")).unwrap();
    file.set_len(1 << 30).unwrap();
    let output = capped(dir.path(), 100_000, "scan disk.img --max-file-size 2G -v");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("binary"), "{stderr}");
}

/// `history` inflated blobs over `--max-file-size` (loose ones twice) before skipping them.
#[test]
fn history_skips_a_blob_over_the_size_limit_without_inflating_it() {
    let repo = TestRepo::new();
    let big = std::fs::File::create(repo.path().join("big.txt")).unwrap();
    let line = "x".repeat(1023) + "\n";
    {
        use std::io::Write;
        let mut writer = std::io::BufWriter::new(big);
        for _ in 0..(200 << 10) {
            writer.write_all(line.as_bytes()).unwrap();
        }
    }
    repo.git(["add", "big.txt"]);
    repo.git(["commit", "-q", "-m", "big"]);
    for packed in [false, true] {
        if packed {
            repo.git(["gc", "-q"]);
        }
        let output = capped(repo.path(), 100_000, "history");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "packed {packed}: {stderr}");
        assert!(stderr.contains("--max-file-size"), "{stderr}");
    }
}

/// `staged` read a blob again for every path that holds it (about 50 µs per entry for
/// 200,000 empty files; a 4 MiB blob at 2,000 paths meant inflating 8 GiB). Each blob is
/// now read once.
#[test]
fn staged_reads_a_blob_once_however_many_paths_hold_it() {
    let repo = TestRepo::new();
    let mut content = vec![0u8; 4 << 20];
    content[..5].copy_from_slice(b"\x00data");
    repo.write("big.bin", &content);
    let blob = repo
        .git(["hash-object", "-w", "big.bin"])
        .trim()
        .to_string();
    std::fs::remove_file(repo.path().join("big.bin")).unwrap();
    let entries: String = (0..2000)
        .map(|index| format!("100644 {blob}\tcopies/{index}.bin\n"))
        .collect();
    let mut update = std::process::Command::new("git")
        .args(["update-index", "--index-info"])
        .current_dir(repo.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        update
            .stdin
            .take()
            .unwrap()
            .write_all(entries.as_bytes())
            .unwrap();
    }
    assert!(update.wait().unwrap().success());
    let output = repo
        .cmd(["staged", "--color", "never"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("skipped 2000 files"), "{stdout}");
}
