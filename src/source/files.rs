//! Files of directory trees: a parallel walk with the `ignore` crate that honours
//! `.gitignore`/`.ignore` (unless told not to), scans hidden files and skips `.git`.
//! The ignore files are read by [`super::ignore_rules`], not by the `ignore` crate, which
//! would block on a FIFO and read `/dev/zero` until memory runs out.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};

use super::ignore_rules::IgnoreRules;
use super::{BINARY_SNIFF_LEN, Note, looks_binary};

/// How to walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Honour `.gitignore`, `.ignore` and git's global excludes.
    pub respect_ignore_files: bool,
    pub follow_symlinks: bool,
    pub threads: usize,
}

/// A file to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Where to read it.
    pub fs_path: PathBuf,
    /// '/'-separated, relative to the walked root (what path rules see).
    pub rule_path: String,
    /// '/'-separated, as the user named it (what reports show).
    pub display_path: String,
    /// A FIFO or device named on the command line (`<(cmd)`, `/dev/stdin`): read as a
    /// stream, up to the size limit.
    pub stream: bool,
    /// Named on the command line (not found by walking a directory).
    pub named: bool,
}

/// Lists the files under `root` (or `root` itself when it is a file, or a FIFO or device
/// to read as a stream), sorted by path.
pub fn walk(root: &Path, options: &WalkOptions) -> (Vec<FileEntry>, Vec<Note>) {
    let display_root = display_of(root);
    let single = |stream: bool| {
        let entry = FileEntry {
            fs_path: root.to_path_buf(),
            rule_path: display_root.clone(),
            display_path: display_root.clone(),
            stream,
            named: true,
        };
        (vec![entry], Vec::new())
    };
    match std::fs::metadata(root) {
        Ok(metadata) if metadata.is_file() => return single(false),
        Ok(metadata) if metadata.is_dir() => {}
        Ok(metadata) if is_stream(metadata.file_type()) => return single(true),
        Ok(metadata) => {
            let what = crate::aux_file::describe_file_type(metadata.file_type());
            let note = Note::warning(display_root, format!("{what}, not a file; skipped"));
            return (Vec::new(), vec![note]);
        }
        Err(error) => {
            let note = Note::warning(display_root, missing_root_message(root, &error));
            return (Vec::new(), vec![note]);
        }
    }

    let entries = Mutex::new(Vec::new());
    let notes = Mutex::new(Vec::new());
    let ignore_rules = options
        .respect_ignore_files
        .then(|| Arc::new(IgnoreRules::new(root)));
    let rules = ignore_rules.clone();
    WalkBuilder::new(root)
        .hidden(false)
        .standard_filters(false)
        .follow_links(options.follow_symlinks)
        .threads(options.threads)
        .filter_entry(move |entry| {
            entry.file_name() != ".git"
                && !rules.as_ref().is_some_and(|rules| {
                    let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
                    rules.is_ignored(entry.path(), is_dir)
                })
        })
        .build_parallel()
        .run(|| {
            let entries = &entries;
            let notes = &notes;
            let display_root = &display_root;
            Box::new(move |result| {
                match result {
                    Ok(entry) if entry.file_type().is_some_and(|kind| kind.is_file()) => {
                        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                        let rule_path = slash_path(relative);
                        let display_path = join_display(display_root, &rule_path);
                        entries.lock().unwrap().push(FileEntry {
                            fs_path: entry.into_path(),
                            rule_path,
                            display_path,
                            stream: false,
                            named: false,
                        });
                    }
                    Ok(entry)
                        if entry
                            .file_type()
                            .is_some_and(|kind| !kind.is_dir() && !kind.is_symlink()) =>
                    {
                        // A FIFO, socket or device inside a tree: never opened (a FIFO
                        // would block), but said.
                        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                        let display_path = join_display(display_root, &slash_path(relative));
                        let what = entry
                            .file_type()
                            .map_or("a special file", crate::aux_file::describe_file_type);
                        notes.lock().unwrap().push(Note::info(
                            display_path,
                            format!("{what}, not a regular file; skipped"),
                        ));
                    }
                    Ok(_) => {}
                    Err(error) => notes.lock().unwrap().push(walk_note(display_root, &error)),
                }
                WalkState::Continue
            })
        });

    let mut entries = entries.into_inner().unwrap();
    entries.sort_by(|a, b| a.display_path.cmp(&b.display_path));
    let mut notes = notes.into_inner().unwrap();
    if let Some(rules) = ignore_rules {
        notes.extend(rules.notes());
    }
    notes.sort_by(|a, b| a.subject.cmp(&b.subject));
    (entries, notes)
}

/// FIFOs and devices: named on the command line, they are read as streams.
fn is_stream(file_type: std::fs::FileType) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        file_type.is_fifo() || file_type.is_char_device() || file_type.is_block_device()
    }
    #[cfg(not(unix))]
    {
        let _ = file_type;
        false
    }
}

/// Why a path named on the command line cannot be scanned: it does not exist, it is a
/// dangling symbolic link, or a symbolic link loop.
fn missing_root_message(root: &Path, error: &std::io::Error) -> String {
    match std::fs::symlink_metadata(root) {
        Ok(link) if link.file_type().is_symlink() => {
            #[cfg(unix)]
            let is_loop = error.raw_os_error() == Some(libc::ELOOP);
            #[cfg(not(unix))]
            let is_loop = false;
            if is_loop {
                "symbolic link loop, not followed".to_string()
            } else {
                "symbolic link to a path that does not exist".to_string()
            }
        }
        _ => io_message(error),
    }
}

/// Why a file was not scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    Binary,
    TooLarge { size: u64 },
}

/// Reads a file into `buffer` (cleared first), unless it is binary or over `max_size`.
/// Whether it is binary is decided from its first bytes, before the rest is read: a large
/// binary file costs one small read.
pub fn read_file(
    path: &Path,
    max_size: u64,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Result<(), Skip>> {
    buffer.clear();
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    if size > max_size {
        return Ok(Err(Skip::TooLarge { size }));
    }
    // Read at most one byte past the limit, in case the file grew since `metadata`.
    let mut file = file.take(max_size + 1);
    (&mut file)
        .take(BINARY_SNIFF_LEN as u64)
        .read_to_end(buffer)?;
    if looks_binary(buffer) {
        return Ok(Err(Skip::Binary));
    }
    file.read_to_end(buffer)?;
    if buffer.len() as u64 > max_size {
        return Ok(Err(Skip::TooLarge {
            size: buffer.len() as u64,
        }));
    }
    if looks_binary(buffer) {
        return Ok(Err(Skip::Binary));
    }
    if let Some(text) = super::decode_utf16(buffer) {
        *buffer = text;
    }
    Ok(Ok(()))
}

fn walk_note(display_root: &str, error: &ignore::Error) -> Note {
    let (path, message) = describe_walk_error(error);
    let subject = path.map_or_else(
        || display_root.to_string(),
        |path| path.display().to_string(),
    );
    Note::warning(subject, message)
}

/// The path an `ignore` error is about, and a one-line description without the path.
fn describe_walk_error(error: &ignore::Error) -> (Option<&Path>, String) {
    match error {
        ignore::Error::WithPath { path, err } => (Some(path), describe_walk_error(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            describe_walk_error(err)
        }
        ignore::Error::Loop { child, .. } => {
            (Some(child), "symlink loop, not followed".to_string())
        }
        ignore::Error::Io(io) => (None, io_message(io)),
        other => (None, other.to_string()),
    }
}

/// A lower-case io error message without the OS error number.
pub fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = error.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text).to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

/// A path as reports show it: '/'-separated, without a leading `./`.
pub fn display_of(path: &Path) -> String {
    let text = slash_path(path);
    match text.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => text,
    }
}

fn slash_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

fn join_display(root: &str, relative: &str) -> String {
    if root == "." || root.is_empty() {
        relative.to_string()
    } else {
        format!("{}/{relative}", root.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> WalkOptions {
        WalkOptions {
            respect_ignore_files: true,
            follow_symlinks: false,
            threads: 2,
        }
    }

    fn names(entries: &[FileEntry]) -> Vec<&str> {
        entries
            .iter()
            .map(|entry| entry.rule_path.as_str())
            .collect()
    }

    #[test]
    fn walk_respects_gitignore_scans_hidden_files_and_skips_git_dir() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "ignored.txt\n").unwrap();
        std::fs::write(dir.path().join("ignored.txt"), "x").unwrap();
        std::fs::write(dir.path().join(".env"), "x").unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/config"), "x").unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/a.py"), "x").unwrap();
        let (entries, notes) = walk(dir.path(), &options());
        assert_eq!(names(&entries), [".env", ".gitignore", "src/a.py"]);
        assert!(notes.is_empty());

        let everything = WalkOptions {
            respect_ignore_files: false,
            ..options()
        };
        let (entries, _) = walk(dir.path(), &everything);
        assert_eq!(
            names(&entries),
            [".env", ".gitignore", "ignored.txt", "src/a.py"]
        );
    }

    #[test]
    fn missing_root_gives_a_warning_note() {
        let (entries, notes) = walk(Path::new("/definitely/not/here"), &options());
        assert!(entries.is_empty());
        assert_eq!(notes[0].message, "no such file or directory");
    }

    #[test]
    fn symlink_loop_is_noted_not_followed_forever() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink("..", dir.path().join("a/loop")).unwrap();
        std::fs::write(dir.path().join("a/file.txt"), "x").unwrap();
        let following = WalkOptions {
            follow_symlinks: true,
            ..options()
        };
        let (entries, notes) = walk(dir.path(), &following);
        assert_eq!(names(&entries), ["a/file.txt"]);
        assert!(
            notes
                .iter()
                .any(|note| note.message.contains("symlink loop")),
            "{notes:?}"
        );
    }

    #[test]
    fn read_file_skips_binary_and_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("bin");
        std::fs::write(&binary, b"\x7fELF\x00\x00").unwrap();
        let large = dir.path().join("large");
        std::fs::write(&large, vec![b'a'; 100]).unwrap();
        let mut buffer = Vec::new();
        assert_eq!(
            read_file(&binary, 1000, &mut buffer).unwrap(),
            Err(Skip::Binary)
        );
        assert_eq!(
            read_file(&large, 10, &mut buffer).unwrap(),
            Err(Skip::TooLarge { size: 100 })
        );
        assert_eq!(read_file(&large, 100, &mut buffer).unwrap(), Ok(()));
        assert_eq!(buffer.len(), 100);
    }

    #[test]
    fn display_paths_drop_the_leading_dot_slash() {
        assert_eq!(display_of(Path::new("./src")), "src");
        assert_eq!(display_of(Path::new(".")), ".");
        assert_eq!(join_display(".", "a/b"), "a/b");
        assert_eq!(join_display("proj/", "a"), "proj/a");
    }
}
