//! Where an image's files (manifests, config, layer blobs) are: a directory (an OCI image
//! layout) or a tarball (`docker save`, or an OCI layout packed with tar). A tarball is
//! indexed once (names, offsets and sizes of its members) and each blob is then read with
//! a seek, so nothing is unpacked and a layer streams from the file.
//!
//! Knows nothing about manifests or layers: it maps names to bytes.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::ImageError;

/// JSON documents (manifests, configs) are small; a larger one is not read.
pub const MAX_DOCUMENT_BYTES: u64 = 64 << 20;

#[derive(Debug)]
pub enum BlobStore {
    Directory(PathBuf),
    Tarball {
        path: PathBuf,
        /// Member name (without a leading `./`) to its data's offset and size.
        members: HashMap<String, (u64, u64)>,
    },
}

impl BlobStore {
    /// Opens `path`: a directory, or a tar file whose members are indexed.
    pub fn open(path: &Path) -> Result<BlobStore, ImageError> {
        let io_error = |source| ImageError::Io {
            path: path.to_owned(),
            source,
        };
        if path.is_dir() {
            return Ok(BlobStore::Directory(path.to_owned()));
        }
        let file = File::open(path).map_err(io_error)?;
        let mut archive = tar::Archive::new(BufReader::new(file));
        let mut members = HashMap::new();
        let not_a_tar = |error: io::Error| ImageError::NotAnImage {
            path: path.to_owned(),
            why: format!("not a directory or a readable tar file ({error})"),
        };
        for entry in archive.entries_with_seek().map_err(not_a_tar)? {
            let entry = entry.map_err(not_a_tar)?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = normalize(&String::from_utf8_lossy(&entry.path_bytes()));
            members.insert(name, (entry.raw_file_position(), entry.size()));
        }
        Ok(BlobStore::Tarball {
            path: path.to_owned(),
            members,
        })
    }

    pub fn contains(&self, name: &str) -> bool {
        match self {
            BlobStore::Directory(root) => root.join(normalize(name)).is_file(),
            BlobStore::Tarball { members, .. } => members.contains_key(&normalize(name)),
        }
    }

    /// A reader over the blob `name` and its size.
    pub fn open_blob(&self, name: &str) -> Result<(Box<dyn Read + Send>, u64), ImageError> {
        let name = normalize(name);
        let missing = || ImageError::MissingBlob { name: name.clone() };
        match self {
            BlobStore::Directory(root) => {
                // Names come from the image's own manifests: never leave its directory.
                if name.split('/').any(|part| part == "..") {
                    return Err(missing());
                }
                let path = root.join(&name);
                let file = File::open(&path).map_err(|_| missing())?;
                let size = file
                    .metadata()
                    .map_err(|source| ImageError::Io { path, source })?
                    .len();
                Ok((Box::new(BufReader::new(file)), size))
            }
            BlobStore::Tarball { path, members } => {
                let &(offset, size) = members.get(&name).ok_or_else(missing)?;
                let io_error = |source| ImageError::Io {
                    path: path.clone(),
                    source,
                };
                let mut file = File::open(path).map_err(io_error)?;
                file.seek(SeekFrom::Start(offset)).map_err(io_error)?;
                Ok((Box::new(BufReader::new(file).take(size)), size))
            }
        }
    }

    /// The whole blob `name`, which must be a document of at most
    /// [`MAX_DOCUMENT_BYTES`].
    pub fn read_document(&self, name: &str) -> Result<Vec<u8>, ImageError> {
        let (reader, size) = self.open_blob(name)?;
        if size > MAX_DOCUMENT_BYTES {
            return Err(ImageError::BadDocument {
                name: normalize(name),
                why: format!("it is {size} bytes, more than a manifest or config should be"),
            });
        }
        let mut bytes = Vec::new();
        reader
            .take(MAX_DOCUMENT_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|source| ImageError::Io {
                path: PathBuf::from(name),
                source,
            })?;
        Ok(bytes)
    }
}

/// A member name without a leading `./` or `/`.
fn normalize(name: &str) -> String {
    name.trim_start_matches("./")
        .trim_start_matches('/')
        .to_owned()
}

/// The blob of a content digest in an OCI layout: `sha256:abc` is `blobs/sha256/abc`.
pub fn digest_path(digest: &str) -> Option<String> {
    let (algorithm, hex) = digest.split_once(':')?;
    let clean = |part: &str| {
        !part.is_empty()
            && part.bytes().all(|b| {
                b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'+' || b == b'.'
            })
            && !part.contains("..")
    };
    (clean(algorithm) && clean(hex)).then(|| format!("blobs/{algorithm}/{hex}"))
}
