//! Finds an image's config and layers from its manifests: a `docker save` tarball's
//! `manifest.json`, or an OCI layout's `index.json` and the manifests it points at. For a
//! multi-platform index, linux/amd64 is chosen (or the only image), and a note says so.
//!
//! Knows nothing about layer contents: it reads small JSON documents through the
//! [`BlobStore`].

use serde_json::Value;

use super::ImageError;
use super::store::{BlobStore, digest_path};

/// What an image is made of, before anything is read from its layers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImagePlan {
    /// The image's name (a tag or reference), if its manifests give one.
    pub name: Option<String>,
    /// The config blob, if the manifest names one.
    pub config: Option<String>,
    /// Layer blobs, base first, with the digest they are known by (empty for a
    /// `docker save` layer until the config's `diff_ids` tell it).
    pub layers: Vec<LayerRef>,
    /// Remarks for the user: the platform chosen, images left out.
    pub remarks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerRef {
    pub blob: String,
    pub digest: Option<String>,
}

/// The images in `store`: `manifest.json` when there is one (`docker save`, which newer
/// Docker versions write next to an OCI `index.json`), else `index.json`.
pub fn plan_images(store: &BlobStore) -> Result<Vec<ImagePlan>, ImageError> {
    if store.contains("manifest.json") {
        return docker_plans(store);
    }
    if store.contains("index.json") {
        return oci_plans(store);
    }
    Err(ImageError::NotAnImage {
        path: Default::default(),
        why: "it has neither manifest.json (docker save) nor index.json (OCI image layout)"
            .to_owned(),
    })
}

fn parse(store: &BlobStore, name: &str) -> Result<Value, ImageError> {
    let bytes = store.read_document(name)?;
    serde_json::from_slice(&bytes).map_err(|error| ImageError::BadDocument {
        name: name.to_owned(),
        why: error.to_string(),
    })
}

fn bad(name: &str, why: &str) -> ImageError {
    ImageError::BadDocument {
        name: name.to_owned(),
        why: why.to_owned(),
    }
}

fn docker_plans(store: &BlobStore) -> Result<Vec<ImagePlan>, ImageError> {
    let manifest = parse(store, "manifest.json")?;
    let entries = manifest
        .as_array()
        .ok_or_else(|| bad("manifest.json", "expected a list of images"))?;
    let mut plans = Vec::new();
    for entry in entries {
        let layers = entry["Layers"]
            .as_array()
            .ok_or_else(|| bad("manifest.json", "an image has no `Layers` list"))?;
        let layers = layers
            .iter()
            .map(|layer| {
                let blob = layer
                    .as_str()
                    .ok_or_else(|| bad("manifest.json", "a layer is not a file name"))?;
                // Newer `docker save` names layers by digest: `blobs/sha256/<hex>`.
                let digest = blob
                    .strip_prefix("blobs/")
                    .and_then(|rest| rest.split_once('/'))
                    .map(|(algorithm, hex)| format!("{algorithm}:{hex}"));
                Ok(LayerRef {
                    blob: blob.to_owned(),
                    digest,
                })
            })
            .collect::<Result<Vec<_>, ImageError>>()?;
        plans.push(ImagePlan {
            name: entry["RepoTags"][0].as_str().map(str::to_owned),
            config: entry["Config"].as_str().map(str::to_owned),
            layers,
            remarks: Vec::new(),
        });
    }
    if plans.is_empty() {
        return Err(bad("manifest.json", "it lists no image"));
    }
    Ok(plans)
}

/// An image manifest found through an index, with what the index said about it.
struct Candidate {
    digest: String,
    name: Option<String>,
    platform: Option<String>,
}

fn oci_plans(store: &BlobStore) -> Result<Vec<ImagePlan>, ImageError> {
    let index = parse(store, "index.json")?;
    let mut candidates = Vec::new();
    collect_manifests(store, &index, "index.json", None, 0, &mut candidates)?;
    // Build attestations sit in the index as manifests for platform unknown/unknown.
    candidates.retain(|candidate| {
        !candidate
            .platform
            .as_deref()
            .is_some_and(|platform| platform.starts_with("unknown/"))
    });
    let mut remarks = Vec::new();
    if candidates.len() > 1
        && candidates
            .iter()
            .any(|candidate| candidate.platform.is_some())
    {
        let platforms: Vec<&str> = candidates
            .iter()
            .map(|candidate| candidate.platform.as_deref().unwrap_or("?"))
            .collect();
        let chosen = candidates
            .iter()
            .position(|candidate| candidate.platform.as_deref() == Some("linux/amd64"))
            .unwrap_or(0);
        remarks.push(format!(
            "multi-platform image ({}): scanned {} only",
            platforms.join(", "),
            platforms[chosen]
        ));
        candidates = vec![candidates.swap_remove(chosen)];
    }
    if candidates.is_empty() {
        return Err(bad("index.json", "it lists no image manifest"));
    }
    candidates
        .into_iter()
        .map(|candidate| {
            let mut plan = manifest_plan(store, &candidate.digest)?;
            plan.name = candidate.name;
            plan.remarks = remarks.clone();
            Ok(plan)
        })
        .collect()
}

/// Gathers the image manifests that `index` (the document `from`) lists, following
/// nested indexes a few levels down.
fn collect_manifests(
    store: &BlobStore,
    index: &Value,
    from: &str,
    name: Option<&str>,
    depth: usize,
    out: &mut Vec<Candidate>,
) -> Result<(), ImageError> {
    let manifests = index["manifests"]
        .as_array()
        .ok_or_else(|| bad(from, "expected a `manifests` list"))?;
    for descriptor in manifests {
        let digest = descriptor["digest"]
            .as_str()
            .ok_or_else(|| bad(from, "a manifest has no digest"))?;
        let annotations = &descriptor["annotations"];
        let name = annotations["io.containerd.image.name"]
            .as_str()
            .or_else(|| annotations["org.opencontainers.image.ref.name"].as_str())
            .or(name);
        let media_type = descriptor["mediaType"].as_str().unwrap_or("");
        if media_type.contains("index") || media_type.contains("manifest.list") {
            if depth >= 4 {
                return Err(bad(from, "indexes nested more than four deep"));
            }
            let path = digest_path(digest).ok_or_else(|| bad(from, "a digest is malformed"))?;
            let nested = parse(store, &path)?;
            collect_manifests(store, &nested, &path, name, depth + 1, out)?;
            continue;
        }
        let platform = descriptor["platform"]["os"].as_str().map(|os| {
            let architecture = descriptor["platform"]["architecture"]
                .as_str()
                .unwrap_or("?");
            match descriptor["platform"]["variant"].as_str() {
                Some(variant) => format!("{os}/{architecture}/{variant}"),
                None => format!("{os}/{architecture}"),
            }
        });
        out.push(Candidate {
            digest: digest.to_owned(),
            name: name.map(str::to_owned),
            platform,
        });
    }
    Ok(())
}

fn manifest_plan(store: &BlobStore, digest: &str) -> Result<ImagePlan, ImageError> {
    let path = digest_path(digest).ok_or_else(|| bad("index.json", "a digest is malformed"))?;
    let manifest = parse(store, &path)?;
    let config = match manifest["config"]["digest"].as_str() {
        Some(digest) => {
            Some(digest_path(digest).ok_or_else(|| bad(&path, "the config digest is malformed"))?)
        }
        None => None,
    };
    let layers = manifest["layers"]
        .as_array()
        .ok_or_else(|| bad(&path, "expected a `layers` list"))?
        .iter()
        .map(|layer| {
            let digest = layer["digest"]
                .as_str()
                .ok_or_else(|| bad(&path, "a layer has no digest"))?;
            let blob =
                digest_path(digest).ok_or_else(|| bad(&path, "a layer digest is malformed"))?;
            Ok(LayerRef {
                blob,
                digest: Some(digest.to_owned()),
            })
        })
        .collect::<Result<Vec<_>, ImageError>>()?;
    Ok(ImagePlan {
        name: None,
        config,
        layers,
        remarks: Vec::new(),
    })
}
