//! Reads image layers (tar, possibly gzip or zstd compressed) and tracks what later layers
//! delete: a whiteout `dir/.wh.name` hides `dir/name` (and all below it) in the layers
//! beneath, an opaque marker `dir/.wh..wh..opq` hides everything the layers beneath had in
//! `dir`. Deleted files still ship in the image, so they are handed over with their fate.
//!
//! Layers are read top (last) layer first: when a layer is read, everything above it is
//! known, so each file's fate is decided in one pass over the image.

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;

use crate::source::archive::{Format, detect};

/// What became of a file in the image as it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Visible in the final image.
    Present,
    /// A whiteout or opaque directory in layer `by_layer` deletes it; it still ships.
    Deleted { by_layer: usize },
    /// Layer `by_layer` has a file at the same path; this copy still ships.
    Replaced { by_layer: usize },
}

/// What the layers above the one being read do to paths, each mapped to the nearest such
/// layer above.
#[derive(Debug, Default)]
pub struct UpperLayers {
    whiteouts: HashMap<String, usize>,
    opaque_dirs: HashMap<String, usize>,
    files: HashMap<String, usize>,
}

/// The same changes, gathered while one layer is read and added to [`UpperLayers`] after.
#[derive(Debug, Default)]
pub struct LayerChanges {
    whiteouts: Vec<String>,
    opaque_dirs: Vec<String>,
    files: Vec<String>,
}

/// What a tar entry of a layer is.
#[derive(Debug, PartialEq, Eq)]
pub enum EntryRole {
    /// A whiteout or opaque marker: recorded, not scanned.
    Marker,
    File,
}

impl LayerChanges {
    /// Records the entry at `path` (normalized): a marker, or a regular file.
    pub fn record(&mut self, path: &str) -> EntryRole {
        let (dir, name) = match path.rsplit_once('/') {
            Some((dir, name)) => (dir, name),
            None => ("", path),
        };
        if name == ".wh..wh..opq" {
            self.opaque_dirs.push(dir.to_owned());
            return EntryRole::Marker;
        }
        if let Some(deleted) = name.strip_prefix(".wh.") {
            self.whiteouts.push(join(dir, deleted));
            return EntryRole::Marker;
        }
        self.files.push(path.to_owned());
        EntryRole::File
    }
}

impl UpperLayers {
    /// The fate of `path` in a layer under every layer recorded so far.
    pub fn fate(&self, path: &str) -> Fate {
        let mut nearest: Option<Fate> = None;
        let mut consider = |fate: Fate| {
            let layer = |fate: Fate| match fate {
                Fate::Deleted { by_layer } | Fate::Replaced { by_layer } => by_layer,
                Fate::Present => usize::MAX,
            };
            if nearest.is_none_or(|current| layer(fate) < layer(current)) {
                nearest = Some(fate);
            }
        };
        if let Some(&by_layer) = self.files.get(path) {
            consider(Fate::Replaced { by_layer });
        }
        if let Some(&by_layer) = self.whiteouts.get(path) {
            consider(Fate::Deleted { by_layer });
        }
        let mut prefix = path;
        while let Some((dir, _)) = prefix.rsplit_once('/') {
            if let Some(&by_layer) = self.whiteouts.get(dir) {
                consider(Fate::Deleted { by_layer });
            }
            if let Some(&by_layer) = self.opaque_dirs.get(dir) {
                consider(Fate::Deleted { by_layer });
            }
            prefix = dir;
        }
        if let Some(&by_layer) = self.opaque_dirs.get("") {
            consider(Fate::Deleted { by_layer });
        }
        nearest.unwrap_or(Fate::Present)
    }

    /// Adds what layer `index` changed; layers are added top first, so a lower layer's
    /// entry replaces an upper one's as the nearest.
    pub fn add(&mut self, index: usize, changes: LayerChanges) {
        for path in changes.whiteouts {
            self.whiteouts.insert(path, index);
        }
        for dir in changes.opaque_dirs {
            self.opaque_dirs.insert(dir, index);
        }
        for path in changes.files {
            self.files.insert(path, index);
        }
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// A layer path as the image runs it: no leading `./` or `/`, no trailing `/`.
pub fn normalize(path: &str) -> String {
    path.trim_start_matches("./")
        .trim_start_matches('/')
        .trim_end_matches('/')
        .to_owned()
}

/// The uncompressed tar stream of a layer blob, whatever its compression (told by its
/// first bytes, not its media type: `docker save` stores layers uncompressed).
pub fn decompress<'r>(blob: Box<dyn Read + Send + 'r>) -> io::Result<Box<dyn Read + 'r>> {
    let mut reader = BufReader::with_capacity(256 << 10, blob);
    let head = reader.fill_buf()?;
    Ok(match detect(head) {
        Some(Format::Gzip) => Box::new(flate2::bufread::MultiGzDecoder::new(reader)),
        Some(Format::Zstd) => Box::new(
            ruzstd::decoding::StreamingDecoder::new(reader)
                .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error.to_string()))?,
        ),
        Some(Format::Bzip2) => Box::new(bzip2::bufread::MultiBzDecoder::new(reader)),
        Some(Format::Xz) => Box::new(lzma_rust2::XzReader::new(reader, true)),
        _ => Box::new(reader),
    })
}

/// A layer's output, failing once it passes `limit` bytes (a compressed layer that
/// expands without end would otherwise never stop). `passed` tells the reader of the
/// tar stream, which owns this, why a read failed.
pub struct LayerCap<R> {
    inner: R,
    produced: u64,
    limit: u64,
    passed: Rc<Cell<bool>>,
}

impl<R: Read> LayerCap<R> {
    pub fn new(inner: R, limit: u64) -> (LayerCap<R>, Rc<Cell<bool>>) {
        let passed = Rc::new(Cell::new(false));
        let cap = LayerCap {
            inner,
            produced: 0,
            limit,
            passed: Rc::clone(&passed),
        };
        (cap, passed)
    }
}

impl<R: Read> Read for LayerCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.produced += read as u64;
        if self.produced > self.limit {
            self.passed.set(true);
            return Err(io::Error::other("layer size limit reached"));
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(paths: &[&str]) -> LayerChanges {
        let mut changes = LayerChanges::default();
        for path in paths {
            changes.record(path);
        }
        changes
    }

    #[test]
    fn whiteouts_and_opaque_directories_delete_what_is_beneath() {
        let mut upper = UpperLayers::default();
        upper.add(
            3,
            changes(&["app/.wh.secret.env", "cache/.wh..wh..opq", ".wh.tmp"]),
        );
        upper.add(2, changes(&["app/config.yml"]));
        assert_eq!(upper.fate("app/secret.env"), Fate::Deleted { by_layer: 3 });
        assert_eq!(upper.fate("cache/a/b"), Fate::Deleted { by_layer: 3 });
        assert_eq!(upper.fate("tmp/x/y"), Fate::Deleted { by_layer: 3 });
        assert_eq!(upper.fate("app/config.yml"), Fate::Replaced { by_layer: 2 });
        assert_eq!(upper.fate("app/other"), Fate::Present);
        assert_eq!(
            upper.fate("cache"),
            Fate::Present,
            "an opaque directory itself stays"
        );
    }

    #[test]
    fn the_nearest_layer_above_decides() {
        let mut upper = UpperLayers::default();
        upper.add(5, changes(&[".wh.etc"]));
        upper.add(4, changes(&["etc/app.conf"]));
        assert_eq!(upper.fate("etc/app.conf"), Fate::Replaced { by_layer: 4 });
    }

    #[test]
    fn markers_are_recognised() {
        let mut layer = LayerChanges::default();
        assert_eq!(layer.record("a/.wh.b"), EntryRole::Marker);
        assert_eq!(layer.record(".wh..wh..opq"), EntryRole::Marker);
        assert_eq!(layer.record("a/b"), EntryRole::File);
        assert_eq!(normalize("./a/b/"), "a/b");
    }
}
