//! Engine throughput on source code: `cargo bench --bench engine`.
//!
//! The corpus is real Rust source from the local cargo registry (`~/.cargo/registry/src`,
//! present after any build), capped at `LEAKHOUND_BENCH_MB` (default 32) MiB, scanned on one
//! thread with the built-in rules. `as-is` is the source unchanged; `planted` adds a fake
//! AWS key, GitHub token and password to one file in fifty.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leakhound::engine::{RuleSet, Scratch};

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

criterion_group!(benches, engine);
criterion_main!(benches);
