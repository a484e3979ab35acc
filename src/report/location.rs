//! Paths as CI tools want them: relative to the repository (the current directory), and
//! as URI references for SARIF.
//!
//! Findings carry the path as the user named it. Scanning `.` or a relative directory
//! gives relative paths already; an absolute path is made relative to the current
//! directory when it lies inside it.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// Where a finding is, for formats that need a repository-relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportPath<'a> {
    /// '/'-separated and relative to the current directory (the repository root in CI).
    Relative(Cow<'a, str>),
    /// Outside the current directory (or no current directory to compare with): absolute.
    Absolute(Cow<'a, str>),
}

impl<'a> ReportPath<'a> {
    /// `path` (as a finding holds it) seen from `current_dir`.
    pub fn of(path: &'a str, current_dir: Option<&Path>) -> ReportPath<'a> {
        let trimmed = trim_dot_slash(path);
        let absolute = trimmed.starts_with('/');
        if !absolute && !climbs_out(trimmed) {
            return ReportPath::Relative(Cow::Borrowed(trimmed));
        }
        let Some(current_dir) = current_dir else {
            return if absolute {
                ReportPath::Absolute(Cow::Borrowed(trimmed))
            } else {
                ReportPath::Relative(Cow::Borrowed(trimmed))
            };
        };
        let full = normalize(&current_dir.join(trimmed));
        match full.strip_prefix(normalize(current_dir)) {
            Ok(inside) if !inside.as_os_str().is_empty() => {
                ReportPath::Relative(Cow::Owned(slashes(inside)))
            }
            _ => ReportPath::Absolute(Cow::Owned(slashes(&full))),
        }
    }

    /// The path as text (for formats that take a plain path).
    pub fn as_str(&self) -> &str {
        match self {
            ReportPath::Relative(path) | ReportPath::Absolute(path) => path,
        }
    }

    /// A URI reference: percent-encoded, relative for relative paths (to be resolved
    /// against `%SRCROOT%`), `file://` for absolute ones.
    pub fn uri(&self) -> String {
        match self {
            ReportPath::Relative(path) => percent_encode_path(path),
            ReportPath::Absolute(path) => format!("file://{}", percent_encode_path(path)),
        }
    }
}

/// Whether a relative path has a `..` segment (it may leave the current directory).
fn climbs_out(path: &str) -> bool {
    path.split('/').any(|segment| segment == "..")
}

/// `..` and `.` resolved without touching the file system (symlinks are not followed).
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

fn slashes(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

fn trim_dot_slash(mut path: &str) -> &str {
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    path
}

/// Encodes every byte that may not appear as is in a URI path (RFC 3986 `pchar` plus `/`).
pub(super) fn percent_encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
                    | b'/'
            );
        // A ':' in the first segment would read as a scheme, so it is always encoded.
        if keep {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_stay_relative_without_dot_slash() {
        let path = ReportPath::of("./src/app.py", Some(Path::new("/work")));
        assert_eq!(path, ReportPath::Relative(Cow::Borrowed("src/app.py")));
        assert_eq!(path.uri(), "src/app.py");
    }

    #[test]
    fn absolute_paths_inside_the_current_directory_become_relative() {
        let path = ReportPath::of("/work/repo/src/app.py", Some(Path::new("/work/repo")));
        assert_eq!(path.as_str(), "src/app.py");
        assert!(matches!(path, ReportPath::Relative(_)));
    }

    #[test]
    fn absolute_paths_outside_the_current_directory_become_file_uris() {
        let path = ReportPath::of("/tmp/x y.txt", Some(Path::new("/work/repo")));
        assert_eq!(path, ReportPath::Absolute(Cow::Borrowed("/tmp/x y.txt")));
        assert_eq!(path.uri(), "file:///tmp/x%20y.txt");
    }

    #[test]
    fn parent_segments_are_resolved_against_the_current_directory() {
        let inside = ReportPath::of("../repo/src/../a.py", Some(Path::new("/work/repo")));
        assert_eq!(inside, ReportPath::Relative(Cow::Borrowed("a.py")));
        let outside = ReportPath::of("../other/a.py", Some(Path::new("/work/repo")));
        assert_eq!(outside.uri(), "file:///work/other/a.py");
    }

    #[test]
    fn uris_encode_spaces_percent_colons_and_non_ascii() {
        let path = ReportPath::of("dir/a b%c:d/é<stdin>", None);
        assert_eq!(path.uri(), "dir/a%20b%25c%3Ad/%C3%A9%3Cstdin%3E");
    }
}
