//! The way in for the fuzz targets under `fuzz/`: one plain function per target, taking
//! the fuzzer's bytes, calling the library the way the command line does.
//!
//! The fuzz crate calls nothing else in the library, so when modules move or become
//! private this file is the one place to update. It owns no logic of its own: each
//! function hands the bytes to the code under test and drops the result, because a fuzz
//! target only looks for panics, hangs and runaway memory. Readers that take a path get
//! the bytes through a file in a per-process directory under the system's temp directory.
//!
//! Not part of the public API: hidden from the docs and may change at any time.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::engine::RuleSet;
use crate::rules::{Config, Examples};
use crate::scan::Worker;

/// Loads `data` as the `.leakhound.toml` of a directory (as a scan finds it), then, if it
/// loads, checks the file's own rules against their examples and scans `data` with them.
pub fn config(data: &[u8]) {
    let dir = scratch_dir("config");
    write(&dir.join(crate::rules::ROOT_CONFIG_NAMES[0]), data);
    let Ok(config) = crate::rules::resolve(None, Some(&dir), Examples::Skip) else {
        return;
    };
    // Only the rules the input wrote: the built-in rules (from `[extend] useDefault`) are
    // fuzzed by the engine targets, and checking them all would make every run slow.
    let origin = dir
        .join(crate::rules::ROOT_CONFIG_NAMES[0])
        .display()
        .to_string();
    let own = Config {
        rules: config
            .rules
            .into_iter()
            .filter(|rule| rule.origin == origin)
            .collect(),
        allowlists: config.allowlists,
        sources: config.sources,
        validation: config.validation,
    };
    let _ = crate::engine::check_examples(&own);
    let rules = RuleSet::compile(&own);
    let _ = crate::scan::scan_buffer(&rules, data, None, "fuzz", &mut Worker::default());
}

/// The built-in rules, compiled once per process, with every rule's regex compiled and
/// used once so that a timed scan measures scanning, not compiling.
pub fn builtin_rules() -> &'static RuleSet {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let config =
            CONFIG.get_or_init(|| crate::rules::builtin().expect("the built-in rules load"));
        let rules = RuleSet::compile_static(config);
        let mut worker = Worker::default();
        for rule in &config.rules {
            for example in rule.examples.iter().chain(&rule.negative_examples) {
                let path = example.path.as_deref();
                crate::scan::scan_buffer(
                    &rules,
                    example.text.as_bytes(),
                    path,
                    "fuzz",
                    &mut worker,
                );
            }
        }
        rules
    })
}

/// Scans `data` as standard input is scanned (no path), into findings.
pub fn engine(data: &[u8]) {
    engine_at(None, data);
}

/// Scans `data` as the content of `path`, into findings: path rules and the detectors
/// that read `.env`, Dockerfiles, Terraform and Kubernetes files depend on the name.
pub fn engine_with_path(path: &str, data: &[u8]) {
    engine_at(Some(path), data);
}

fn engine_at(path: Option<&str>, data: &[u8]) {
    thread_local! {
        static WORKER: std::cell::RefCell<Worker> = std::cell::RefCell::new(Worker::default());
    }
    let rules = builtin_rules();
    WORKER.with_borrow_mut(|worker| {
        let _ = crate::scan::scan_buffer(rules, data, path, path.unwrap_or("-"), worker);
    });
}

/// The document formats the structured detectors parse, one fuzz target each.
pub use crate::engine::DocumentFormat as Document;

/// Parses `data` as `format` and runs every structured detector over it under a file name
/// of that format, checking that what they report lies within `data`.
pub fn structured(format: Document, data: &[u8]) {
    crate::engine::exercise_document(format, data);
}

/// Reads `data` as a `--baseline` file (a leakhound or gitleaks JSON report).
pub fn baseline(data: &[u8]) {
    let path = scratch_dir("baseline").join("baseline.json");
    write(&path, data);
    let _ = crate::filter::Filters::load(None, Some(&path));
}

/// Reads `data` as a `--from-report` file and, if it holds findings, plans the scrub and
/// writes the plan's files, as `scrub-plan --from-report` does.
pub fn from_report(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(findings) = crate::scrub::findings_from_report(text) else {
        return;
    };
    if findings.is_empty() {
        return;
    }
    let dir = scratch_dir("from-report");
    let plan = crate::scrub::build_plan(&findings, &dir.join("no-repository"));
    let settings = crate::scrub::write::ScriptSettings {
        config: None,
        decode_depth: crate::engine::DEFAULT_DECODE_DEPTH,
    };
    let _ = crate::scrub::write_plan(&plan, &dir.join("plan"), &settings);
}

/// Reads `data` as the root's `.leakhoundignore` (when the first byte is even) or
/// `.gitleaksignore` (when it is odd).
pub fn ignore_file(data: &[u8]) {
    let dir = scratch_dir("ignore-file");
    let (ours, theirs) = (
        dir.join(crate::filter::IGNORE_FILE),
        dir.join(".gitleaksignore"),
    );
    let (write_to, remove) = match data.first() {
        Some(byte) if byte % 2 == 1 => (theirs, ours),
        _ => (ours, theirs),
    };
    let _ = std::fs::remove_file(remove);
    write(&write_to, data);
    let _ = crate::filter::Filters::load(Some(&dir), None);
}

/// Reads `data` as the `.gitignore` and `.ignore` of a walked directory, then asks whether
/// a few fixed paths and each of the input's first lines (as a path) are ignored.
pub fn ignore_rules(data: &[u8]) {
    let dir = scratch_dir("ignore-rules");
    write(&dir.join(".gitignore"), data);
    write(&dir.join(".ignore"), data);
    let rules = crate::source::ignore_rules::IgnoreRules::new(&dir);
    let text = String::from_utf8_lossy(data);
    let lines = text
        .lines()
        .take(16)
        .map(|line| line.trim_start_matches('/'));
    for name in ["a", "sub/b.txt", ".env", "target/x"]
        .into_iter()
        .chain(lines)
    {
        for is_dir in [false, true] {
            let _ = rules.is_ignored(&dir.join(name), is_dir);
        }
    }
}

/// Parses `data` as the pre-push hook's standard input.
pub fn pre_push(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = crate::source::git::parse_pre_push(text);
    }
}

/// Opens `data` as an archive or compressed file (nested archives too, three levels
/// deep) under limits small enough for a fuzzer, reading every member. Fails (panics)
/// when the members handed over add up to more than the total limit: a bomb must be
/// stopped, whatever its shape.
pub fn archive(data: &[u8]) {
    use crate::source::archive::{ArchiveLimits, expand};
    let limits = ArchiveLimits {
        max_total_bytes: 64 << 20,
        max_member_bytes: 16 << 20,
        ..ArchiveLimits::default()
    };
    let mut handed_over = 0u64;
    let _notes = expand("fuzz.bin", data, &limits, &mut |member| {
        if member.depth > 0 {
            handed_over += member.bytes.len() as u64;
        }
        assert!(
            member.depth <= limits.max_depth,
            "opened past the depth limit"
        );
        assert!(
            member.bytes.len() as u64 <= limits.max_member_bytes || member.depth == 0,
            "a member larger than the member limit was handed over"
        );
    });
    assert!(
        handed_over <= limits.max_total_bytes,
        "{handed_over} bytes handed over past a total limit of {}",
        limits.max_total_bytes
    );
}

/// Reads `data` as a container image tarball (`docker save` or an OCI layout in a tar):
/// the manifests, the config (as the synthetic Dockerfile) and every file of every
/// layer, under limits small enough for a fuzzer.
pub fn image(data: &[u8]) {
    use crate::source::archive::ArchiveLimits;
    use crate::source::image::{ImageLimits, open_images};
    let path = scratch_dir("image").join("image.tar");
    write(&path, data);
    let Ok(images) = open_images(&path) else {
        return;
    };
    let limits = ImageLimits {
        archive: ArchiveLimits {
            max_total_bytes: 64 << 20,
            max_member_bytes: 16 << 20,
            ..ArchiveLimits::default()
        },
        max_layer_bytes: 64 << 20,
        ..ImageLimits::default()
    };
    for image in &images {
        let _ = image.config_dockerfile();
        let _notes = image.visit_files(&limits, &mut |file| {
            std::hint::black_box(file.bytes.len());
        });
    }
}

/// A directory for one target's files, made once per process.
fn scratch_dir(target: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("leakhound-fuzz-{}", std::process::id()))
        .join(target);
    std::fs::create_dir_all(&dir).expect("the fuzz scratch directory can be made");
    dir
}

fn write(path: &Path, data: &[u8]) {
    std::fs::write(path, data).expect("the fuzz input can be written");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fuzz targets are built only with a nightly toolchain; this keeps their way in
    /// compiling and working on every build.
    #[test]
    fn every_entry_point_takes_empty_and_odd_input() {
        let inputs: [&[u8]; 4] = [
            b"",
            b"\xff\xfe\x00",
            b"[[rules]]\nid = 1\n",
            b"{\"findings\": []}",
        ];
        for data in inputs {
            config(data);
            engine(data);
            engine_with_path(".env", data);
            for format in Document::ALL {
                structured(*format, data);
            }
            baseline(data);
            from_report(data);
            ignore_file(data);
            ignore_rules(data);
            pre_push(data);
            archive(data);
            image(data);
        }
    }
}
