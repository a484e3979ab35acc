//! Produces the buffers to scan, with where they came from: files of a directory tree and
//! standard input ([`files`], [`stdin`]), and git ([`git`]: what the next commit or a push
//! adds, and every blob of a history).
//!
//! Every source is a [`Source`]: it reads its buffers (in parallel where that pays) and
//! hands each to a [`Sink`] with the places it is found at; the scan driver is the one
//! sink. A unit number names each buffer so the scan can ask the source about it later
//! (a history blob's commits, a staged file's earlier versions).
//!
//! Knows nothing about rules or findings: it yields bytes and names, plus [`Note`]s about
//! what it could not or would not read.

pub mod archive;
pub mod files;
pub mod git;
pub mod ignore_rules;
pub mod image;
pub mod repo_list;
pub mod stdin;
pub mod targets;

use std::fmt;

/// Something that yields buffers to scan.
pub trait Source: Sync {
    /// Reads every buffer, in parallel on the current rayon pool where the source has
    /// enough of them, and hands each to `sink` on the thread that read it. Returns notes
    /// about the source as a whole (what it could not list, a summary of skips).
    fn feed(&self, sink: &dyn Sink) -> Vec<Note>;
}

/// Where a buffer is found: the path reports show, and the path rules see (`None` for
/// standard input, which has no path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    pub shown: &'a str,
    pub rule_path: Option<&'a str>,
}

impl<'a> Place<'a> {
    /// A place whose path is the same for reports and rules.
    pub fn at(path: &'a str) -> Place<'a> {
        Place {
            shown: path,
            rule_path: Some(path),
        }
    }
}

/// What a source hands its buffers to. Called from several threads at once.
pub trait Sink: Sync {
    /// Whether content at `path` is wanted at all: a source does not read what an
    /// allowlisted path holds, and calls [`Sink::passed_over`] instead.
    fn wants(&self, path: &str) -> bool;
    /// The content of unit `unit`, found at every place in `places` (a history blob at
    /// each of its paths; a file at one).
    fn content(&self, unit: u64, data: &[u8], places: &[Place<'_>]);
    /// Unit `unit` counts as scanned, but was not read (an allowlisted path).
    fn passed_over(&self, unit: u64);
    /// Unit `unit` was not scanned (binary, too large, unreadable), with a note when one
    /// is worth it.
    fn skipped(&self, unit: u64, note: Option<Note>);
    /// A remark about unit `unit` that is not a skip of the whole unit (a member of an
    /// archive that could not be read, an archive bomb stopped).
    fn note(&self, unit: u64, note: Note);
    /// Progress: `bytes` more of the source were read (history progress bars).
    fn advance(&self, _bytes: u64) {}
}

/// How much a note matters to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteLevel {
    /// Expected skips (binary, too large): shown with `--verbose`.
    Info,
    /// Something the user asked for could not be read: always shown.
    Warning,
}

/// Why content was skipped on purpose, for the summary a run prints without `-v`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    Binary,
    TooLarge,
}

/// A one-line remark about an input that was skipped or only partly read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub level: NoteLevel,
    /// The path (or other name) of the input.
    pub subject: String,
    pub message: String,
    /// Set for notes about content skipped on purpose (binary, too large).
    pub skipped: Option<SkipReason>,
}

impl Note {
    pub fn info(subject: impl Into<String>, message: impl Into<String>) -> Note {
        Note {
            level: NoteLevel::Info,
            subject: subject.into(),
            message: message.into(),
            skipped: None,
        }
    }

    pub fn warning(subject: impl Into<String>, message: impl Into<String>) -> Note {
        Note {
            level: NoteLevel::Warning,
            subject: subject.into(),
            message: message.into(),
            skipped: None,
        }
    }

    /// An expected skip (shown with `--verbose`, counted in the summary without it).
    pub fn skipped(
        subject: impl Into<String>,
        reason: SkipReason,
        message: impl Into<String>,
    ) -> Note {
        Note {
            skipped: Some(reason),
            ..Note::info(subject, message)
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)
    }
}

/// Bytes checked for a NUL to call a buffer binary, as git does.
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// Whether a buffer looks binary: a NUL byte near its start, unless it is UTF-16 text
/// (whose ASCII characters all have a zero byte).
pub fn looks_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_SNIFF_LEN)]).is_some()
        && utf16_order(data).is_none()
}

/// The byte order of UTF-16 text: a byte order mark, or, without one, text whose every
/// other byte is zero (ASCII-range characters), as Windows tools write `.ps1`, `.reg` and
/// `.config` files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf16Order {
    Little,
    Big,
}

fn utf16_order(data: &[u8]) -> Option<Utf16Order> {
    match data {
        [0xff, 0xfe, ..] => return Some(Utf16Order::Little),
        [0xfe, 0xff, ..] => return Some(Utf16Order::Big),
        _ => {}
    }
    let sample = &data[..data.len().min(BINARY_SNIFF_LEN) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut zero_low, mut zero_high) = (0, 0);
    for pair in sample.chunks_exact(2) {
        zero_low += usize::from(pair[0] == 0);
        zero_high += usize::from(pair[1] == 0);
    }
    // Nearly every character in the ASCII range, and no NUL characters to speak of.
    let most = pairs - pairs / 20;
    let few = pairs / 100;
    if zero_high >= most && zero_low <= few {
        Some(Utf16Order::Little)
    } else if zero_low >= most && zero_high <= few {
        Some(Utf16Order::Big)
    } else {
        None
    }
}

/// UTF-16 text decoded to UTF-8 (without its byte order mark; unpaired surrogates become
/// U+FFFD), or `None` when `data` is not UTF-16. Lines and characters stay where they
/// were, so positions in the decoded text are positions in the file.
pub fn decode_utf16(data: &[u8]) -> Option<Vec<u8>> {
    let order = utf16_order(data)?;
    let units = data.chunks_exact(2).map(|pair| match order {
        Utf16Order::Little => u16::from_le_bytes([pair[0], pair[1]]),
        Utf16Order::Big => u16::from_be_bytes([pair[0], pair[1]]),
    });
    let mut text = String::with_capacity(data.len() / 2);
    for decoded in char::decode_utf16(units) {
        text.push(decoded.unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Some(text.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_text_is_not_binary_and_decodes_to_the_same_text() {
        let text = "a = 1\r\nb = \"é\"\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut be_bom = vec![0xfe, 0xff];
        be_bom.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        for data in [le, be_bom] {
            assert!(!looks_binary(&data));
            assert_eq!(decode_utf16(&data).unwrap(), text.as_bytes());
        }
        assert_eq!(decode_utf16(text.as_bytes()), None);
        assert_eq!(decode_utf16(b"\x7fELF\x02\x01\x01\x00\x00\x00"), None);
    }

    #[test]
    fn nul_in_the_first_8_kib_means_binary() {
        assert!(looks_binary(b"PK\x03\x04\x00\x01"));
        assert!(!looks_binary("plain text, é".as_bytes()));
    }

    #[test]
    fn nul_after_the_first_8_kib_is_not_looked_at() {
        let mut data = vec![b'a'; BINARY_SNIFF_LEN];
        data.push(0);
        assert!(!looks_binary(&data));
    }
}
