//! UTF-16 text (Windows `.ps1`, `.reg`, `.config` files, with or without a byte order mark)
//! is decoded and scanned, not skipped as binary.

mod common;

use common::{TestRepo, fake};
use serde_json::Value;

fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut bytes = if bom { vec![0xff, 0xfe] } else { Vec::new() };
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

fn utf16be(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xfe, 0xff];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

fn script() -> String {
    format!(
        "# deploy script\r\n$headers = @{{}}\r\n$token = \"{}\"\r\n",
        fake::github_pat()
    )
}

fn findings(output: &std::process::Output) -> Vec<Value> {
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&output.stderr)));
    report["findings"].as_array().unwrap().clone()
}

#[test]
fn utf16_files_with_and_without_a_bom_are_scanned() {
    let dir = TestRepo::plain_dir();
    dir.write("le-bom.ps1", utf16le(&script(), true));
    dir.write("le.reg", utf16le(&script(), false));
    dir.write("be.config", utf16be(&script()));
    let output = dir.cmd(["scan", ".", "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let found = findings(&output);
    for path in ["be.config", "le-bom.ps1", "le.reg"] {
        let finding = found
            .iter()
            .find(|finding| finding["path"] == path)
            .unwrap_or_else(|| panic!("nothing in {path}: {found:?}"));
        assert_eq!(finding["line"], 3, "{finding}");
        assert_eq!(finding["column"], 11, "{finding}");
    }
}

#[test]
fn utf16_blobs_are_scanned_in_staged_and_history() {
    let repo = TestRepo::new();
    repo.stage("deploy.ps1", utf16le(&script(), true));
    let staged = repo.cmd(["staged", "--format", "json"]).output().unwrap();
    assert_eq!(staged.status.code(), Some(1));
    assert_eq!(findings(&staged).len(), 1);
    repo.git(["commit", "-q", "-m", "script"]);
    let history = repo.cmd(["history", "--format", "json"]).output().unwrap();
    assert_eq!(history.status.code(), Some(1));
    assert_eq!(findings(&history).len(), 1);
}

#[test]
fn binary_files_with_many_nuls_are_still_binary() {
    let dir = TestRepo::plain_dir();
    let mut image = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    image.extend(std::iter::repeat_n(0u8, 4096));
    image.extend(fake::github_pat().as_bytes());
    dir.write("image.png", image);
    dir.cmd(["scan", "."]).assert().code(0);
}
