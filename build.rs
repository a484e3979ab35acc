//! Embeds every `rules/*.toml` file into the binary.
//!
//! Writes `$OUT_DIR/builtin_rules.rs`, a `&[(&str, &str)]` of (file name, contents), so that
//! adding a rule file needs no code change.

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

    let mut generated = String::from("&[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        generated.push_str(&format!(
            "    (\"rules/{name}\", include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    generated.push(']');

    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    fs::write(out, generated).expect("writing builtin_rules.rs");
}
