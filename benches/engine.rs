//! Engine throughput on source code: `cargo bench --bench engine`.
//!
//! The corpus is real Rust source from the local cargo registry (`~/.cargo/registry/src`,
//! present after any build), capped at `LEAKHOUND_BENCH_MB` (default 32) MiB, scanned on one
//! thread with the built-in rules. `as-is` is the source unchanged; `planted` adds a fake
//! AWS key, GitHub token and password to one file in fifty.
//!
//! The `findings-per-line` group turns buffers into findings (engine, positions, overlap
//! resolution) for the same 20,000 users with password fields pretty-printed and minified
//! onto one line, and for a line of `password="` repeated: the minified case must take
//! about as long as the pretty one. Before issue #20 (P4) the one-line cases took 40 to 90
//! times longer than that, growing with the square of the findings on the line.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leakhound::engine::{RuleSet, Scratch};
use leakhound::scan::{Worker, scan_buffer};

fn rust_sources(limit: usize) -> Vec<Vec<u8>> {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let mut stack = vec![home.join(".cargo/registry/src")];
    let mut files = Vec::new();
    let mut total = 0;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs")
                && total < limit
                && let Ok(data) = std::fs::read(&path)
            {
                total += data.len();
                files.push(data);
            }
        }
    }
    assert!(
        !files.is_empty(),
        "no Rust sources under {}",
        Path::new("~/.cargo/registry/src").display()
    );
    files
}

fn planted(files: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let secrets = [
        format!("let key = \"{}{}\";\n", "AKIA", "QYLPMN5HHHFPZAM2"),
        format!(
            "let token = \"{}{}\";\n",
            "ghp_", "Zx8sQ2vLm4Rk9Tn1Wc6Yb3Hd7Jf0Gp5Ae2Uq"
        ),
        format!("let db_password = \"{}{}\";\n", "Tr0ub4dor&", "3horse"),
    ];
    files
        .iter()
        .enumerate()
        .map(|(index, data)| {
            let mut data = data.clone();
            if index % 50 == 0 {
                data.extend_from_slice(secrets[index / 50 % secrets.len()].as_bytes());
            }
            data
        })
        .collect()
}

fn engine(c: &mut Criterion) {
    let megabytes: usize = std::env::var("LEAKHOUND_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    let corpus = rust_sources(megabytes << 20);
    let total: usize = corpus.iter().map(Vec::len).sum();
    let rules = RuleSet::compile(&leakhound::rules::builtin().unwrap());
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    for (name, files) in [("as-is", corpus.clone()), ("planted", planted(&corpus))] {
        group.bench_function(name, |b| {
            let mut scratch = Scratch::default();
            let mut matches = Vec::new();
            b.iter(|| {
                let mut found = 0;
                for (index, data) in files.iter().enumerate() {
                    let path = format!("src/file{index}.rs");
                    rules.scan(data, Some(&path), &mut scratch, &mut matches);
                    found += matches.len();
                }
                found
            });
        });
    }
    group.finish();
}

/// 20,000 users with a password each, as JSON: one user per line or all on one line.
fn users_json(minified: bool) -> Vec<u8> {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%";
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let users: Vec<String> = (0..20_000)
        .map(|id| {
            let password: String = (0..14)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ALPHABET[((state >> 33) % ALPHABET.len() as u64) as usize] as char
                })
                .collect();
            format!(r#"{{"id":{id},"name":"user{id}","password":"{password}"}}"#)
        })
        .collect();
    let separator = if minified { "," } else { ",\n  " };
    format!("[{}]", users.join(separator)).into_bytes()
}

fn findings_per_line(c: &mut Criterion) {
    let rules = RuleSet::compile(&leakhound::rules::builtin().unwrap());
    let mut group = c.benchmark_group("findings-per-line");
    group.sample_size(10);
    let cases = [
        ("users-pretty", users_json(false)),
        ("users-minified", users_json(true)),
        (
            "password-assignments",
            "password=\"".repeat(100_000).into_bytes(),
        ),
    ];
    for (name, data) in cases {
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_function(name, |b| {
            let mut worker = Worker::default();
            b.iter(|| {
                scan_buffer(&rules, &data, Some("users.json"), "users.json", &mut worker).len()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, engine, findings_per_line);
criterion_main!(benches);
