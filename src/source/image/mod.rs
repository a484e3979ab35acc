//! Reads container images saved to disk: a `docker save` tarball, or an OCI image layout
//! (a directory, or a tarball of one). Hands over every regular file of every layer with
//! the layer's digest and the file's fate (a file deleted by a later layer still ships in
//! the image), archives inside layers opened by [`crate::source::archive`], and the image's
//! configuration written as a synthetic Dockerfile for the Dockerfile detectors.
//!
//! Knows nothing about rules, scanning or reports, and never runs `docker` or `podman`
//! (saving an image reference to a file is the command line's job). Nothing is unpacked
//! to disk: blobs are read in place and layers stream.

mod config;
mod layers;
mod manifest;
mod source;
mod store;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::source::archive::{ArchiveLimits, SNIFF_LEN, expand, looks_like_archive};
use crate::source::{Note, SkipReason};

pub use config::{CONFIG_DOCKERFILE_PATH, ImageConfig};
pub use layers::Fate;
pub use source::Images;

use layers::{EntryRole, LayerCap, LayerChanges, UpperLayers};
use store::BlobStore;

/// The provenance that config findings carry in place of a layer digest.
pub const CONFIG_LAYER: &str = "config";

/// Why an image could not be opened at all.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("reading {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a container image: {why}")]
    NotAnImage { path: PathBuf, why: String },
    #[error("image file {name} is not valid: {why}")]
    BadDocument { name: String, why: String },
    #[error("the image has no file {name} that its manifests point at")]
    MissingBlob { name: String },
}

/// Bounds on what is read from an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageLimits {
    /// For files in layers (`max_member_bytes` is the largest file handed over) and for
    /// archives inside them.
    pub archive: ArchiveLimits,
    /// Uncompressed bytes of one layer before the rest of it is given up.
    pub max_layer_bytes: u64,
    /// Largest expansion of a compressed layer, uncompressed to compressed (checked past
    /// 64 MiB of output).
    pub max_layer_ratio: u64,
}

impl Default for ImageLimits {
    fn default() -> ImageLimits {
        ImageLimits {
            archive: ArchiveLimits::default(),
            max_layer_bytes: 64 << 30,
            max_layer_ratio: 100,
        }
    }
}

/// One layer of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    /// Position from the base layer (0).
    pub index: usize,
    /// The digest the image knows the layer by (`sha256:...`), or its file name in a
    /// tarball that gives none.
    pub digest: String,
    blob: String,
}

/// An image found at a path, ready to be read.
#[derive(Debug)]
pub struct Image {
    /// Its tag or reference, or else the path it was read from.
    pub name: String,
    pub layers: Vec<Layer>,
    /// `None` when the image has no readable config (a note says why).
    pub config: Option<ImageConfig>,
    /// Remarks made while opening: the platform chosen, a config that could not be read.
    pub notes: Vec<Note>,
    store: Arc<BlobStore>,
}

/// A file of a layer, or a member of an archive in one.
#[derive(Debug, Clone, Copy)]
pub struct LayerFile<'a> {
    pub image: &'a str,
    pub layer: usize,
    pub layer_digest: &'a str,
    /// The path in the image (`app/config.yml`), or for a member of an archive in the
    /// layer, the `!`-separated chain (`app/lib/x.jar!application.properties`).
    pub path: &'a str,
    /// What path-based rules should look at: the path in the image, or the member's
    /// name in its innermost archive.
    pub inner_path: &'a str,
    pub bytes: &'a [u8],
    pub fate: Fate,
}

/// The synthetic Dockerfile of an image's configuration, to scan as
/// [`CONFIG_DOCKERFILE_PATH`] with the layer digest [`CONFIG_LAYER`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigDockerfile {
    pub path: &'static str,
    pub text: String,
}

/// Opens the images at `path`: a `docker save` tarball, an OCI image layout directory,
/// or a tarball of one. A tarball of several images (`docker save a b`) gives several; a
/// multi-platform index gives linux/amd64 (or its only image), with a note.
pub fn open_images(path: &Path) -> Result<Vec<Image>, ImageError> {
    let store = Arc::new(BlobStore::open(path)?);
    let plans = manifest::plan_images(&store).map_err(|error| match error {
        ImageError::NotAnImage { why, .. } => ImageError::NotAnImage {
            path: path.to_owned(),
            why,
        },
        other => other,
    })?;
    let fallback_name = path.display().to_string();
    let mut images = Vec::new();
    for plan in plans {
        let name = plan.name.clone().unwrap_or_else(|| fallback_name.clone());
        let mut notes: Vec<Note> = plan
            .remarks
            .iter()
            .map(|remark| Note::info(&name, remark))
            .collect();
        let config = match &plan.config {
            None => {
                notes.push(Note::warning(
                    &name,
                    "the manifest names no config: its environment and history are not scanned",
                ));
                None
            }
            Some(blob) => match store
                .read_document(blob)
                .map_err(|error| format!("{error:#}"))
                .and_then(|bytes| ImageConfig::parse(&bytes))
            {
                Ok(config) => Some(config),
                Err(why) => {
                    notes.push(Note::warning(
                        &name,
                        format!("config {blob} not read: {why}"),
                    ));
                    None
                }
            },
        };
        let diff_ids = config
            .as_ref()
            .map(|config| config.diff_ids.as_slice())
            .unwrap_or_default();
        let layers = plan
            .layers
            .iter()
            .enumerate()
            .map(|(index, layer)| Layer {
                index,
                digest: layer
                    .digest
                    .clone()
                    .or_else(|| diff_ids.get(index).cloned())
                    .unwrap_or_else(|| layer.blob.clone()),
                blob: layer.blob.clone(),
            })
            .collect();
        images.push(Image {
            name,
            layers,
            config,
            notes,
            store: Arc::clone(&store),
        });
    }
    Ok(images)
}

impl Image {
    /// The configuration as a Dockerfile to scan, if the image has a config.
    pub fn config_dockerfile(&self) -> Option<ConfigDockerfile> {
        self.config.as_ref().map(|config| ConfigDockerfile {
            path: CONFIG_DOCKERFILE_PATH,
            text: config.to_dockerfile(&self.name),
        })
    }

    /// Calls `visit` for every regular file of every layer (and every member of the
    /// archives among them), top layer first so that each file's [`Fate`] is known when
    /// it is handed over. A missing or corrupt layer gets a note and the others are read.
    pub fn visit_files(
        &self,
        limits: &ImageLimits,
        visit: &mut dyn FnMut(LayerFile<'_>),
    ) -> Vec<Note> {
        let mut notes = Vec::new();
        let mut upper = UpperLayers::default();
        for layer in self.layers.iter().rev() {
            let changes = self.visit_layer(layer, &upper, limits, visit, &mut notes);
            upper.add(layer.index, changes);
        }
        notes
    }

    fn visit_layer(
        &self,
        layer: &Layer,
        upper: &UpperLayers,
        limits: &ImageLimits,
        visit: &mut dyn FnMut(LayerFile<'_>),
        notes: &mut Vec<Note>,
    ) -> LayerChanges {
        let mut changes = LayerChanges::default();
        let subject = format!("{} layer {} ({})", self.name, layer.index, layer.digest);
        let (blob, size) = match self.store.open_blob(&layer.blob) {
            Ok(opened) => opened,
            Err(error) => {
                notes.push(Note::warning(
                    &subject,
                    format!("layer not read: {error:#}"),
                ));
                return changes;
            }
        };
        let stream = match layers::decompress(blob) {
            Ok(stream) => stream,
            Err(error) => {
                notes.push(Note::warning(&subject, format!("layer not read: {error}")));
                return changes;
            }
        };
        let limit = limits
            .max_layer_bytes
            .min(size.saturating_mul(limits.max_layer_ratio).max(64 << 20));
        let (capped, passed_limit) = LayerCap::new(stream, limit);
        let stop_note = |error: &std::io::Error| {
            let why = if passed_limit.get() {
                format!(
                    "layer not read further: it expands past {} (the layer size and ratio limits); it may be a bomb",
                    crate::source::archive::human_bytes(limit)
                )
            } else {
                format!("layer not read further: {error}")
            };
            Note::warning(&subject, why)
        };
        let mut archive = tar::Archive::new(capped);
        let entries = match archive.entries() {
            Ok(entries) => entries,
            Err(error) => {
                notes.push(stop_note(&error));
                return changes;
            }
        };
        let max_member = limits.archive.max_member_bytes;
        for entry in entries {
            let mut entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    notes.push(stop_note(&error));
                    break;
                }
            };
            let kind = entry.header().entry_type();
            let path = layers::normalize(&crate::source::archive::escape_name(&entry.path_bytes()));
            if !(kind.is_file() || kind.is_gnu_sparse()) {
                // Directories, links and devices hold no content; a whiteout is a file.
                continue;
            }
            if changes.record(&path) == EntryRole::Marker {
                continue;
            }
            let fate = upper.fate(&path);
            let file_subject = format!("{subject}: {path}");
            if entry.size() > max_member {
                notes.push(Note::skipped(
                    &file_subject,
                    SkipReason::TooLarge,
                    format!(
                        "larger than {}, skipped",
                        crate::source::archive::human_bytes(max_member)
                    ),
                ));
                continue;
            }
            let mut bytes = Vec::new();
            if let Err(error) = std::io::Read::read_to_end(
                &mut std::io::Read::take(&mut entry, max_member + 1),
                &mut bytes,
            ) {
                notes.push(stop_note(&error));
                break;
            }
            let file = LayerFile {
                image: &self.name,
                layer: layer.index,
                layer_digest: &layer.digest,
                path: &path,
                inner_path: &path,
                bytes: &bytes,
                fate,
            };
            if !looks_like_archive(&bytes[..bytes.len().min(SNIFF_LEN)])
                || limits.archive.max_depth == 0
            {
                visit(file);
                continue;
            }
            let archive_notes = expand(&path, &bytes, &limits.archive, &mut |member| {
                visit(LayerFile {
                    path: member.path,
                    inner_path: member.inner_path,
                    bytes: member.bytes,
                    ..file
                });
            });
            notes.extend(archive_notes.iter().map(|note| {
                let mut note = note.to_note();
                note.subject = format!("{subject}: {}", note.subject);
                note
            }));
        }
        changes
    }
}

impl fmt::Display for Fate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fate::Present => write!(f, "present"),
            Fate::Deleted { by_layer } => {
                write!(f, "deleted by layer {by_layer} (still in the image)")
            }
            Fate::Replaced { by_layer } => {
                write!(f, "replaced by layer {by_layer} (still in the image)")
            }
        }
    }
}

#[cfg(test)]
mod tests;
