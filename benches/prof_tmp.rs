use std::path::PathBuf;
use leakhound::engine::{RuleSet, Scratch};
fn main() {
    let mb: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(4);
    let depth: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(1);
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let mut stack = vec![home.join(".cargo/registry/src")];
    let mut files = Vec::new(); let mut total = 0usize;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries { if path.is_dir() { stack.push(path); } else if path.extension().is_some_and(|e| e=="rs") && total < mb<<20 { let d = std::fs::read(&path).unwrap(); total += d.len(); files.push(d); } }
    }
    let set = RuleSet::compile(&leakhound::rules::builtin().unwrap()).with_decode_depth(depth);
    let mut s = Scratch::default(); let mut m = Vec::new();
    let mut n = 0;
    for f in &files { set.scan(f, Some("src/a.rs"), &mut s, &mut m); n += m.len(); }
    let t = std::time::Instant::now();
    for f in &files { set.scan(f, Some("src/a.rs"), &mut s, &mut m); n += m.len(); }
    eprintln!("{} MB in {:?} ({} matches)", total >> 20, t.elapsed(), n);
}
