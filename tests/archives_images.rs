//! Archives inside `scan` and container images through `leakhound image`, end to end:
//! archives and images are built in the test with the zip, tar and flate2 crates.

mod common;

use std::io::Write;

use common::{TestRepo, fake};
use serde_json::json;

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut header = tar::Header::new_ustar();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        builder.append_data(&mut header, name, *data).unwrap();
    }
    builder.into_inner().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn json_report(repo: &TestRepo, args: &[&str]) -> (i32, serde_json::Value, String) {
    let output = repo.cmd(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {}\n{stderr}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    (output.status.code().unwrap_or(-1), report, stderr)
}

fn paths(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_secret_at_the_bottom_of_a_jar_in_a_tar_gz_in_a_zip_is_found_and_named_by_its_chain() {
    let token = fake::github_pat();
    let properties = format!("github.token={token}\n");
    let inner_jar = zip_of(&[(
        "BOOT-INF/classes/application.properties",
        properties.as_bytes(),
    )]);
    let tarball = gzip(&tar_of(&[("lib/service.jar", &inner_jar)]));
    let outer = zip_of(&[("dist/bundle.tar.gz", &tarball)]);
    let repo = TestRepo::plain_dir();
    repo.write("release.zip", &outer);
    let (code, report, stderr) = json_report(&repo, &["scan", ".", "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        paths(&report),
        ["release.zip!dist/bundle.tar.gz!lib/service.jar!BOOT-INF/classes/application.properties"]
    );
    assert_eq!(report["findings"][0]["line"], 1);

    // One level short: the jar is not opened, and nothing is found.
    let (code, report, _) = json_report(
        &repo,
        &["scan", ".", "--format", "json", "--archive-depth", "2"],
    );
    assert_eq!(code, 0);
    assert!(paths(&report).is_empty());
    // Off: the zip is a binary file.
    let (code, report, _) = json_report(
        &repo,
        &["scan", ".", "--format", "json", "--archive-depth", "0"],
    );
    assert_eq!(code, 0);
    assert!(paths(&report).is_empty());
}

#[test]
fn a_zip_bomb_is_stopped_with_a_note_naming_it() {
    // 40 members of 5 MiB of zeros (each under the member size limit) compress to about
    // 200 KB: far over the 100:1 expansion cap of the archive as a whole.
    let zeros = vec![0u8; 5 << 20];
    let names: Vec<String> = (0..40).map(|n| format!("part{n}.txt")).collect();
    let members: Vec<(&str, &[u8])> = names
        .iter()
        .map(|name| (name.as_str(), zeros.as_slice()))
        .collect();
    let bomb = zip_of(&members);
    let repo = TestRepo::plain_dir();
    repo.write("bomb.zip", &bomb);
    let started = std::time::Instant::now();
    let output = repo.cmd(["scan", "."]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bomb.zip"), "{stderr}");
    assert!(stderr.contains("archive bomb"), "{stderr}");
    assert_eq!(
        output.status.code(),
        Some(2),
        "an archive not read is an incomplete scan"
    );
    assert!(started.elapsed().as_secs() < 60);
}

#[test]
fn a_member_over_the_size_limit_is_a_counted_skip() {
    // Text that does not compress (so no expansion limit is hit first), 2 MiB of it.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let big: Vec<u8> = (0..2 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            b"abcdefghijklmnopqrstuvwxyz012345"[(state % 32) as usize]
        })
        .collect();
    let repo = TestRepo::plain_dir();
    repo.write("big.zip", zip_of(&[("big.txt", &big)]));
    let output = repo
        .cmd(["scan", ".", "--max-file-size", "1M"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("skipped 1 file (over --max-file-size)"),
        "{stderr}"
    );
}

#[test]
fn a_traversal_name_is_reported_as_a_name_and_nothing_is_written() {
    let token = fake::github_pat();
    let line = format!("token = \"{token}\"\n");
    let evil = zip_of(&[("../../outside.py", line.as_bytes())]);
    let repo = TestRepo::plain_dir();
    repo.write("sub/evil.zip", &evil);
    let (code, report, _) = json_report(&repo, &["scan", "sub", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(paths(&report), ["sub/evil.zip!../../outside.py"]);
    assert!(!repo.path().join("outside.py").exists());
}

/// A `docker save` tarball: layer 0 holds `app/.env` with a token, layer 1 deletes it;
/// the config has a plaintext password, a `_FILE` reference and a token in its history.
fn docker_save(token: &str, password: &str) -> Vec<u8> {
    let env_file = format!("GITHUB_TOKEN={token}\n");
    let layers = [
        tar_of(&[
            ("app/.env", env_file.as_bytes()),
            ("etc/hostname", b"box\n"),
        ]),
        tar_of(&[("app/.wh..env", b""), ("app/main.py", b"print('hi')\n")]),
    ];
    let diff_ids: Vec<String> = layers
        .iter()
        .map(|layer| {
            use sha2::Digest;
            format!("sha256:{:x}", sha2::Sha256::digest(layer))
        })
        .collect();
    let config = json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": ["PATH=/usr/bin", format!("DB_PASSWORD={password}"), "DB_PASSWORD_FILE=/run/secrets/db"],
        },
        "history": [
            {"created_by": format!("RUN /bin/sh -c export TOKEN={token} && ./fetch # buildkit")},
        ],
        "rootfs": {"type": "layers", "diff_ids": diff_ids}
    })
    .to_string();
    let manifest = json!([{
        "Config": "config.json",
        "RepoTags": ["registry.example/app:1.0"],
        "Layers": ["l0/layer.tar", "l1/layer.tar"]
    }])
    .to_string();
    tar_of(&[
        ("config.json", config.as_bytes()),
        ("l0/layer.tar", &layers[0]),
        ("l1/layer.tar", &layers[1]),
        ("manifest.json", manifest.as_bytes()),
    ])
}

#[test]
fn image_layers_and_config_are_scanned_with_their_provenance() {
    let token = fake::github_pat();
    let password = format!("Pl41n{}", "tExt-Pw0rd-77");
    let repo = TestRepo::plain_dir();
    repo.write("app.tar", docker_save(&token, &password));
    let (code, report, stderr) =
        json_report(&repo, &["image", "app.tar", "--format", "json", "-v"]);
    assert_eq!(code, 1, "{stderr}");
    let found: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["path"].as_str().unwrap().to_string(),
                finding["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let config = "registry.example/app:1.0!config!Dockerfile";
    // The plaintext password in Env, the token in the build history; not the _FILE reference.
    assert!(
        found
            .iter()
            .any(|(path, rule)| path == config && rule.contains("plaintext")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(path, rule)| path == config && rule.starts_with("github")),
        "{found:?}"
    );
    // The deleted .env still ships in layer 0, and is reported there.
    assert!(
        found.iter().any(
            |(path, _)| path.starts_with("registry.example/app:1.0!sha256:")
                && path.ends_with("!app/.env")
        ),
        "{found:?}"
    );
    assert!(stderr.contains("still ships in layer 0"), "{stderr}");
    let text = serde_json::to_string(&report).unwrap();
    assert!(
        !text.contains("DB_PASSWORD_FILE"),
        "a _FILE reference is not a finding"
    );
    assert!(
        !text.contains(&token) && !text.contains(&password),
        "secrets are redacted"
    );
}

#[test]
fn an_image_that_is_not_one_gets_a_clear_error() {
    let repo = TestRepo::plain_dir();
    repo.write("plain.tar", tar_of(&[("a.txt", b"hello\n")]));
    let output = repo.cmd(["image", "plain.tar"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("plain.tar is not a container image"),
        "{stderr}"
    );
}

#[test]
fn history_opens_archive_blobs_and_attributes_their_members() {
    let token = fake::github_pat();
    let properties = format!("github.token={token}\n");
    let jar = zip_of(&[(
        "BOOT-INF/classes/application.properties",
        properties.as_bytes(),
    )]);
    let repo = TestRepo::new();
    repo.commit("README.md", "# demo\n");
    repo.commit("lib/service.jar", &jar);
    let commit = repo.head();
    let (code, report, stderr) = json_report(&repo, &["history", ".", "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        paths(&report),
        ["lib/service.jar!BOOT-INF/classes/application.properties"]
    );
    assert_eq!(report["findings"][0]["commit"]["id"], commit.as_str());
    let (code, report, _) = json_report(
        &repo,
        &["history", ".", "--format", "json", "--archive-depth", "0"],
    );
    assert_eq!(code, 0);
    assert!(paths(&report).is_empty());
}

#[test]
fn a_scrub_plan_removes_an_archive_that_holds_a_secret() {
    let token = fake::github_pat();
    let properties = format!("github.token={token}\n");
    let jar = zip_of(&[("conf/app.properties", properties.as_bytes())]);
    let repo = TestRepo::new();
    repo.commit("lib/service.jar", &jar);
    let work = TestRepo::plain_dir();
    let plan = work.path().join("plan");
    repo.cmd(["scrub-plan", ".", "-o", plan.to_str().unwrap()])
        .assert()
        .code(0);
    let removed = std::fs::read_to_string(plan.join("paths-to-remove.txt")).unwrap();
    assert!(
        removed
            .lines()
            .any(|line| line.trim() == "literal:lib/service.jar"),
        "{removed}"
    );
    let replacements = std::fs::read_to_string(plan.join("replacements.txt")).unwrap();
    assert!(
        !replacements.contains(&token),
        "text replacement cannot reach into a zip"
    );
}
