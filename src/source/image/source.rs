//! Container images as a [`Source`]: the synthetic Dockerfile of each image's config
//! (its `Env`, build history, labels), then every file of every layer — also files a
//! later layer deletes or replaces, which still ship in the image. Each is shown as
//! `IMAGE!LAYER!path` (`IMAGE!config!Dockerfile` for the config), so every report format
//! names the image and the layer that holds the secret.

use std::path::Path;

use crate::source::{Note, Place, Sink, SkipReason, Source, decode_utf16, looks_binary};

use super::{CONFIG_LAYER, Fate, Image, ImageError, ImageLimits, LayerFile, open_images};

/// The images found at a path, ready to be read.
pub struct Images {
    images: Vec<Image>,
    limits: ImageLimits,
}

impl Images {
    pub fn open(path: &Path, limits: ImageLimits) -> Result<Images, ImageError> {
        Ok(Images {
            images: open_images(path)?,
            limits,
        })
    }
}

/// `sha256:0123456789abcdef...` -> `sha256:0123456789ab`: enough to tell layers apart.
fn short_digest(digest: &str) -> &str {
    let end = digest.find(':').map_or(12, |colon| colon + 13);
    digest.get(..end).unwrap_or(digest)
}

fn feed_file(unit: u64, file: LayerFile<'_>, sink: &dyn Sink, notes: &mut Vec<Note>) {
    let shown = format!(
        "{}!{}!{}",
        file.image,
        short_digest(file.layer_digest),
        file.path
    );
    match file.fate {
        Fate::Present => {}
        Fate::Deleted { by_layer } | Fate::Replaced { by_layer } => notes.push(Note::info(
            &shown,
            format!(
                "layer {by_layer} hides this file, but it still ships in layer {} of the image",
                file.layer
            ),
        )),
    }
    if !sink.wants(file.inner_path) {
        sink.passed_over(unit);
        return;
    }
    if looks_binary(file.bytes) {
        sink.skipped(
            unit,
            Some(Note::skipped(
                &shown,
                SkipReason::Binary,
                "binary file, skipped",
            )),
        );
        return;
    }
    let decoded = decode_utf16(file.bytes);
    let place = Place {
        shown: &shown,
        rule_path: Some(file.inner_path),
    };
    sink.content(unit, decoded.as_deref().unwrap_or(file.bytes), &[place]);
}

impl Source for Images {
    fn feed(&self, sink: &dyn Sink) -> Vec<Note> {
        let mut notes = Vec::new();
        let mut unit = 0u64;
        for image in &self.images {
            notes.extend(image.notes.iter().cloned());
            if let Some(config) = image.config_dockerfile() {
                let shown = format!("{}!{CONFIG_LAYER}!Dockerfile", image.name);
                let place = Place {
                    shown: &shown,
                    rule_path: Some(config.path),
                };
                sink.content(unit, config.text.as_bytes(), &[place]);
                unit += 1;
            }
            let mut layer_notes = Vec::new();
            notes.extend(image.visit_files(&self.limits, &mut |file| {
                feed_file(unit, file, sink, &mut layer_notes);
                unit += 1;
            }));
            notes.extend(layer_notes);
        }
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_shortened_after_their_algorithm() {
        assert_eq!(
            short_digest("sha256:0123456789abcdef0123"),
            "sha256:0123456789ab"
        );
        assert_eq!(short_digest("layer.tar"), "layer.tar");
    }
}
