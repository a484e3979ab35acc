//! Images built in the tests with the tar crate: a `docker save` tarball, an OCI layout
//! directory and an OCI layout tarball.

use std::path::Path;

use serde_json::json;
use sha2::{Digest, Sha256};

use super::*;
use crate::engine::{RuleSet, Scratch};
use crate::source::archive::test_build::{github_token, gzip, secret_line, tar_of, zip_of, zstd};

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

fn token() -> String {
    github_token(7)
}

/// A config with a plaintext password, a reference, and a token in the history.
fn config_json(diff_ids: &[String]) -> Vec<u8> {
    let password = format!("Pl41n{}", "tExt-Pw0rd");
    json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": ["PATH=/usr/local/bin:/usr/bin", format!("DB_PASSWORD={password}"), "DB_PASSWORD_FILE=/run/secrets/db"],
            "Labels": {"maintainer": "team@example.com"},
            "Cmd": ["/app/serve"]
        },
        "history": [
            {"created_by": "/bin/sh -c #(nop) ADD file:0123 in / "},
            {"created_by": format!("RUN /bin/sh -c export TOKEN={} && ./fetch-deps # buildkit", token())},
            {"created_by": "/bin/sh -c #(nop)  ENV DB_PASSWORD_FILE=/run/secrets/db", "empty_layer": true}
        ],
        "rootfs": {"type": "layers", "diff_ids": diff_ids}
    })
    .to_string()
    .into_bytes()
}

/// Layer 0 has the secret `.env` and a jar; layer 1 deletes the `.env`.
fn layer_tars() -> Vec<Vec<u8>> {
    let secret = secret_line();
    let jar = zip_of(&[("BOOT-INF/classes/application.properties", secret.as_bytes())]);
    vec![
        tar_of(&[
            ("app/.env", secret.as_bytes()),
            ("app/lib/service.jar", &jar),
            ("etc/hostname", b"box\n"),
        ]),
        tar_of(&[("app/.wh..env", b""), ("app/main.py", b"print('hi')\n")]),
    ]
}

fn write_tar(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(name, data)| (name.as_str(), data.as_slice()))
        .collect();
    tar_of(&borrowed)
}

fn docker_save() -> Vec<u8> {
    let layers = layer_tars();
    let diff_ids: Vec<String> = layers.iter().map(|layer| sha256(layer)).collect();
    let manifest = json!([{
        "Config": "3f2a.json",
        "RepoTags": ["registry.example/app:1.0"],
        "Layers": ["l0/layer.tar", "l1/layer.tar"]
    }]);
    write_tar(&[
        ("3f2a.json".to_owned(), config_json(&diff_ids)),
        ("l0/layer.tar".to_owned(), layers[0].clone()),
        ("l1/layer.tar".to_owned(), layers[1].clone()),
        (
            "manifest.json".to_owned(),
            manifest.to_string().into_bytes(),
        ),
    ])
}

/// The files of an OCI layout (name, content) for a multi-platform index: linux/amd64
/// (the test image, layers compressed with `compress`), linux/arm64 (empty) and a build
/// attestation.
fn oci_layout(compress: fn(&[u8]) -> Vec<u8>) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![(
        "oci-layout".to_owned(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    )];
    let blob = |files: &mut Vec<(String, Vec<u8>)>, bytes: Vec<u8>| {
        let digest = sha256(&bytes);
        files.push((format!("blobs/sha256/{}", &digest[7..]), bytes));
        digest
    };
    let layers = layer_tars();
    let diff_ids: Vec<String> = layers.iter().map(|layer| sha256(layer)).collect();
    let config = blob(&mut files, config_json(&diff_ids));
    let layer_digests: Vec<String> = layers
        .iter()
        .map(|layer| blob(&mut files, compress(layer)))
        .collect();
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config},
        "layers": layer_digests.iter().map(|digest| json!({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest})).collect::<Vec<_>>()
    });
    let amd64 = blob(&mut files, manifest.to_string().into_bytes());
    let empty_config = blob(&mut files, br#"{"config":{}}"#.to_vec());
    let arm64 = blob(
        &mut files,
        json!({"schemaVersion": 2, "config": {"digest": empty_config}, "layers": []})
            .to_string()
            .into_bytes(),
    );
    let nested = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": arm64, "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": amd64, "platform": {"os": "linux", "architecture": "amd64"}},
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": arm64, "platform": {"os": "unknown", "architecture": "unknown"}}
        ]
    });
    let nested = blob(&mut files, nested.to_string().into_bytes());
    let index = json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json", "digest": nested,
                       "annotations": {"org.opencontainers.image.ref.name": "app:oci"}}]
    });
    files.push(("index.json".to_owned(), index.to_string().into_bytes()));
    files
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A file handed over: (layer, path, fate, whether it holds the secret line).
type Seen = (usize, String, Fate, bool);

/// Every file handed over: (layer, path, fate, whether it holds the secret line).
fn files_of(image: &Image) -> (Vec<Seen>, Vec<Note>) {
    let secret = secret_line();
    let mut files = Vec::new();
    let notes = image.visit_files(&ImageLimits::default(), &mut |file| {
        assert_eq!(file.image, image.name);
        assert_eq!(file.layer_digest, image.layers[file.layer].digest);
        files.push((
            file.layer,
            file.path.to_owned(),
            file.fate,
            file.bytes == secret.as_bytes(),
        ));
    });
    files.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    (files, notes)
}

fn expected_files() -> Vec<Seen> {
    vec![
        (
            0,
            "app/.env".to_owned(),
            Fate::Deleted { by_layer: 1 },
            true,
        ),
        (
            0,
            "app/lib/service.jar!BOOT-INF/classes/application.properties".to_owned(),
            Fate::Present,
            true,
        ),
        (0, "etc/hostname".to_owned(), Fate::Present, false),
        (1, "app/main.py".to_owned(), Fate::Present, false),
    ]
}

#[test]
fn a_docker_save_tarball_gives_every_file_with_its_layer_and_fate() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "app.tar", &docker_save());
    let images = open_images(&path).unwrap();
    assert_eq!(images.len(), 1);
    let image = &images[0];
    assert_eq!(image.name, "registry.example/app:1.0");
    assert_eq!(
        image.layers[0].digest,
        sha256(&layer_tars()[0]),
        "docker save layers are known by diff id"
    );
    assert!(image.notes.is_empty(), "{:?}", image.notes);
    let (files, notes) = files_of(image);
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(files, expected_files());
}

#[test]
fn an_oci_layout_directory_with_zstd_layers_picks_linux_amd64_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in oci_layout(zstd) {
        write(dir.path(), &name, &bytes);
    }
    let images = open_images(dir.path()).unwrap();
    assert_eq!(images.len(), 1);
    let image = &images[0];
    assert_eq!(image.name, "app:oci");
    assert_eq!(image.notes.len(), 1);
    assert_eq!(
        image.notes[0].message,
        "multi-platform image (linux/arm64/v8, linux/amd64): scanned linux/amd64 only"
    );
    let (files, notes) = files_of(image);
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(files, expected_files());
}

#[test]
fn an_oci_layout_tarball_with_gzip_layers_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "oci.tar", &write_tar(&oci_layout(gzip)));
    let images = open_images(&path).unwrap();
    let image = &images[0];
    assert!(image.layers[1].digest.starts_with("sha256:"));
    let (files, notes) = files_of(image);
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(files, expected_files());
}

#[test]
fn the_config_dockerfile_is_judged_by_the_existing_detectors() {
    let config = ImageConfig::parse(&config_json(&[])).unwrap();
    let image = Image {
        name: "app:1".to_owned(),
        layers: Vec::new(),
        config: Some(config),
        notes: Vec::new(),
        store: Arc::new(BlobStore::Directory(".".into())),
    };
    let dockerfile = image.config_dockerfile().unwrap();
    assert_eq!(dockerfile.path, "<image config>/Dockerfile");
    let rules = crate::rules::builtin().unwrap();
    let rule_set = RuleSet::compile(&rules);
    let mut matches = Vec::new();
    rule_set.scan(
        dockerfile.text.as_bytes(),
        Some(dockerfile.path),
        &mut Scratch::default(),
        &mut matches,
    );
    let found: Vec<(String, &str)> = matches
        .iter()
        .map(|found| {
            (
                rule_set.rule(found.rule).id.clone(),
                &dockerfile.text[found.secret.clone()],
            )
        })
        .collect();
    let password = format!("Pl41n{}", "tExt-Pw0rd");
    let token = token();
    assert!(
        found.iter().any(|(_, secret)| *secret == password),
        "the plaintext ENV password: {found:?}\n{}",
        dockerfile.text
    );
    assert!(
        found.iter().any(|(_, secret)| *secret == token),
        "the history token: {found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(_, secret)| secret.contains("/run/secrets")),
        "the reference is no finding: {found:?}"
    );
}

#[test]
fn a_corrupt_manifest_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "bad.tar",
        &write_tar(&[("manifest.json".to_owned(), b"{not json".to_vec())]),
    );
    let error = open_images(&path).unwrap_err();
    assert!(matches!(error, ImageError::BadDocument { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("image file manifest.json is not valid: "),
        "{error}"
    );

    let path = write(
        dir.path(),
        "wrong.tar",
        &write_tar(&[("manifest.json".to_owned(), b"{\"a\":1}".to_vec())]),
    );
    assert!(
        open_images(&path)
            .unwrap_err()
            .to_string()
            .contains("expected a list of images")
    );

    let path = write(
        dir.path(),
        "plain.tar",
        &write_tar(&[("README".to_owned(), b"hi".to_vec())]),
    );
    let error = open_images(&path).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("plain.tar is not a container image: it has neither manifest.json"),
        "{error}"
    );

    let path = write(dir.path(), "text.txt", b"hello, not a tar at all, no sir");
    assert!(matches!(
        open_images(&path).unwrap_err(),
        ImageError::NotAnImage { .. }
    ));
}

#[test]
fn a_missing_layer_or_config_gets_a_note_and_the_rest_is_read() {
    let layers = layer_tars();
    let manifest = json!([{"Config": "gone.json", "RepoTags": ["app:2"], "Layers": ["l0/layer.tar", "missing/layer.tar"]}]);
    let tarball = write_tar(&[
        ("l0/layer.tar".to_owned(), layers[0].clone()),
        (
            "manifest.json".to_owned(),
            manifest.to_string().into_bytes(),
        ),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "app.tar", &tarball);
    let image = open_images(&path).unwrap().remove(0);
    assert!(image.config.is_none());
    assert!(
        image.notes[0].message.contains("config gone.json not read"),
        "{:?}",
        image.notes
    );
    let (files, notes) = files_of(&image);
    assert_eq!(files.len(), 3, "layer 0 is read: {files:?}");
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0]
            .message
            .contains("layer not read: the image has no file missing/layer.tar"),
        "{notes:?}"
    );
}

#[test]
fn a_corrupt_layer_gets_a_note_and_the_other_layers_are_read() {
    let layers = layer_tars();
    let mut broken = gzip(&layers[1]);
    broken.truncate(broken.len() / 2);
    let manifest = json!([{"Config": "c.json", "Layers": ["l0/layer.tar", "l1/layer.tar"]}]);
    let tarball = write_tar(&[
        ("c.json".to_owned(), config_json(&[])),
        ("l0/layer.tar".to_owned(), layers[0].clone()),
        ("l1/layer.tar".to_owned(), broken),
        (
            "manifest.json".to_owned(),
            manifest.to_string().into_bytes(),
        ),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "app.tar", &tarball);
    let image = open_images(&path).unwrap().remove(0);
    assert!(image.name.ends_with("app.tar"), "no tag: the path names it");
    let (files, notes) = files_of(&image);
    assert!(
        files
            .iter()
            .any(|(layer, path, _, _)| *layer == 0 && path == "etc/hostname"),
        "{files:?}"
    );
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].subject.contains("layer 1"), "{notes:?}");
}

/// Times reading an OCI layout tarball of a few hundred MB; run in release:
/// `cargo test --release --lib image::tests::throughput -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check: builds a 300 MB image"]
fn throughput_of_a_few_hundred_mb_image() {
    use crate::source::archive::test_build::text_files;
    let dir = tempfile::tempdir().unwrap();
    let mut blobs = vec![(
        "oci-layout".to_owned(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    )];
    let mut layer_digests = Vec::new();
    let mut total = 0;
    for layer in 0..3 {
        let files: Vec<(String, Vec<u8>)> = text_files(1000, 100_000)
            .into_iter()
            .map(|(name, data)| (format!("layer{layer}/{name}"), data))
            .collect();
        total += files.iter().map(|(_, data)| data.len()).sum::<usize>();
        let compressed = gzip(&write_tar(&files));
        let digest = sha256(&compressed);
        blobs.push((format!("blobs/sha256/{}", &digest[7..]), compressed));
        layer_digests.push(digest);
    }
    let config = config_json(&[]);
    let config_digest = sha256(&config);
    blobs.push((format!("blobs/sha256/{}", &config_digest[7..]), config));
    let manifest = json!({"schemaVersion": 2, "config": {"digest": config_digest},
        "layers": layer_digests.iter().map(|digest| json!({"digest": digest})).collect::<Vec<_>>()})
    .to_string()
    .into_bytes();
    let manifest_digest = sha256(&manifest);
    blobs.push((format!("blobs/sha256/{}", &manifest_digest[7..]), manifest));
    blobs.push((
        "index.json".to_owned(),
        json!({"manifests": [{"digest": manifest_digest}]})
            .to_string()
            .into_bytes(),
    ));
    let path = write(dir.path(), "image.tar", &write_tar(&blobs));
    let size = std::fs::metadata(&path).unwrap().len();
    drop(blobs);

    let started = std::time::Instant::now();
    let image = open_images(&path).unwrap().remove(0);
    let mut seen = 0;
    let notes = image.visit_files(&ImageLimits::default(), &mut |file| {
        seen += file.bytes.len()
    });
    let elapsed = started.elapsed();
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(seen, total);
    println!(
        "OCI tarball {} MB (gzip layers), {} MB of files: {:.2} s, {:.0} MB/s uncompressed",
        size >> 20,
        total >> 20,
        elapsed.as_secs_f64(),
        total as f64 / 1e6 / elapsed.as_secs_f64()
    );
}

#[test]
fn a_layer_that_expands_without_end_is_stopped_with_a_note() {
    // A tar header claiming a 1 GiB file, then gzip members of zeros: a few hundred KiB
    // that expand past the 64 MiB floor of the layer ratio limit.
    let mut header = tar::Header::new_ustar();
    header.set_path("huge.bin").unwrap();
    header.set_size(1 << 30);
    header.set_cksum();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut encoder, &vec![0u8; 16 << 20]).unwrap();
    let mut layer = gzip(header.as_bytes());
    layer.extend(encoder.finish().unwrap().repeat(8));
    let manifest = json!([{"Config": "c.json", "Layers": ["bomb.tar.gz"]}]);
    let tarball = write_tar(&[
        ("c.json".to_owned(), config_json(&[])),
        ("bomb.tar.gz".to_owned(), layer),
        (
            "manifest.json".to_owned(),
            manifest.to_string().into_bytes(),
        ),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bomb.tar", &tarball);
    let image = open_images(&path).unwrap().remove(0);
    let (files, notes) = files_of(&image);
    assert!(files.is_empty());
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0].skipped, Some(SkipReason::TooLarge));
    assert!(
        notes[1].message.contains("expands past 64 MiB"),
        "{notes:?}"
    );
}
