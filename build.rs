//! Embeds every `rules/*.toml` file into the binary.
//!
//! Writes `$OUT_DIR/builtin_rules.rs`, a `&[(&str, &str)]` of (file name, contents), so that
//! adding a rule file needs no code change, and `$OUT_DIR/builtin_rules_for_scans.rs`, the
//! same files as JSON without their `examples` and `negative_examples`: what every scan
//! loads at start-up, where parsing the TOML was three quarters of the time.

use std::{env, fs, path::Path};

fn main() {
    // Read at run time, not with `env!`: a build script binary can be reused from another
    // checkout of this package that shares the target directory (pre-commit builds hooks
    // in its own clone), and must then read this checkout's rules.
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let rules_dir = Path::new(&manifest_dir).join("rules");
    println!("cargo:rerun-if-changed={}", rules_dir.display());

    let mut files: Vec<_> = fs::read_dir(&rules_dir)
        .expect("rules/ directory is missing")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();

    let out_dir = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).to_path_buf();
    let stripped_dir = out_dir.join("rules_for_scans");
    fs::create_dir_all(&stripped_dir).expect("creating OUT_DIR/rules_for_scans");
    let mut whole = String::from("&[\n");
    let mut for_scans = String::from("&[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        whole.push_str(&embedded(&name, path));
        let stripped = stripped_dir.join(format!("{name}.json"));
        fs::write(&stripped, json_without_examples(path)).expect("writing a stripped rule file");
        for_scans.push_str(&embedded(&name, &stripped));
    }
    whole.push(']');
    for_scans.push(']');
    fs::write(out_dir.join("builtin_rules.rs"), whole).expect("writing builtin_rules.rs");
    fs::write(out_dir.join("builtin_rules_for_scans.rs"), for_scans)
        .expect("writing builtin_rules_for_scans.rs");
}

/// One `(name, contents)` line of a generated list: the file at `path`, as `rules/{name}`.
fn embedded(name: &str, path: &Path) -> String {
    format!(
        "    (\"rules/{name}\", include_str!({:?})),\n",
        path.display().to_string()
    )
}

/// The rule file at `path` as JSON, without the rules' examples and validators. A file that does not
/// parse gives an empty text: loading then falls back to the TOML file, so that the error
/// is reported as it would be for the original.
fn json_without_examples(path: &Path) -> String {
    let text = fs::read_to_string(path).expect("reading a rule file");
    let Ok(mut table) = text.parse::<toml::Table>() else {
        return String::new();
    };
    if let Some(toml::Value::Array(rules)) = table.get_mut("rules") {
        for rule in rules.iter_mut().filter_map(toml::Value::as_table_mut) {
            rule.remove("examples");
            rule.remove("negative_examples");
            // Validators serve `--validate`, which loads the full rule files (see
            // `rules::Examples`); reading them costs every other run start-up time.
            rule.remove("validate");
        }
    }
    serde_json::to_string(&table).unwrap_or_default()
}
