//! Builds archives in memory for tests, with the crates' own writers, so no binary
//! fixture is needed and the fake secrets in them are assembled at run time.

use std::io::Write;

/// A zip with `files` (name, content), deflated.
pub fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    zip_with(files, zip::CompressionMethod::Deflated)
}

/// A zip with `files` stored with `method`.
pub fn zip_with(files: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, content) in files {
        writer.start_file(*name, options).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// A tar with regular `files` (name, content). Names are written raw into the header, so
/// a test can plant `../../x`, which the tar crate's path setters refuse.
pub fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, content) in files {
        let mut header = tar::Header::new_ustar();
        let field = &mut header.as_old_mut().name;
        field.fill(0);
        field[..name.len()].copy_from_slice(name.as_bytes());
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, *content).unwrap();
    }
    builder.into_inner().unwrap()
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

pub fn bzip2(data: &[u8]) -> Vec<u8> {
    let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

pub fn xz(data: &[u8]) -> Vec<u8> {
    let mut writer =
        lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1)).unwrap();
    writer.write_all(data).unwrap();
    writer.finish().unwrap()
}

pub fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

/// A secret-looking line assembled at run time, so this repository stays clean.
pub fn secret_line() -> String {
    format!("github_token = {}\n", github_token(1))
}

/// A GitHub-shaped token (`ghp_` and 36 letters and digits) from a seed, with the
/// randomness of a real one.
pub fn github_token(seed: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut state = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let body: String = (0..36)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ALPHABET[((state >> 33) % ALPHABET.len() as u64) as usize] as char
        })
        .collect();
    format!("{}{body}", "gh".to_owned() + "p_")
}

/// `count` files of `size` bytes of config-like text (about 4:1 compressible), to time
/// expansions of realistic archives.
pub fn text_files(count: usize, size: usize) -> Vec<(String, Vec<u8>)> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..count)
        .map(|index| {
            let mut content = Vec::with_capacity(size + 64);
            let mut line = 0;
            while content.len() < size {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                content.extend_from_slice(
                    format!("setting_{line} = value-{:x}\n", state & 0xffff_ffff).as_bytes(),
                );
                line += 1;
            }
            content.truncate(size);
            (format!("dir{}/file{index}.conf", index % 50), content)
        })
        .collect()
}
