//! Recognises archive and compression formats by their first bytes (magic numbers), not by
//! the file name, so a renamed `.jar` or a wheel saved as `.bin` is still opened.
//!
//! Knows nothing about reading the formats: [`super::expand`] and its readers do that.

/// Bytes a caller must hand [`detect`] for every format to be recognised: a tar header's
/// `ustar` magic sits at offset 257, and the header checksum covers 512 bytes.
pub const SNIFF_LEN: usize = 512;

/// A container or compression format that [`super::expand`] opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Zip and its family: jar, war, ear, apk, whl, nupkg, docx, xlsx, ...
    Zip,
    Tar,
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

impl Format {
    /// The file name extensions that a compressed stream of this format usually carries,
    /// longest first, so `notes.txt.gz` names its content `notes.txt`.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Gzip => &[".gzip", ".gz", ".z"],
            Format::Bzip2 => &[".bzip2", ".bz2"],
            Format::Xz => &[".xz"],
            Format::Zstd => &[".zstd", ".zst"],
            Format::Zip | Format::Tar => &[],
        }
    }
}

/// The format of a buffer from its first bytes (at least [`SNIFF_LEN`] of them, or all of
/// a shorter buffer), or `None` when it is no archive that [`super::expand`] opens.
pub fn detect(prefix: &[u8]) -> Option<Format> {
    match prefix {
        // Local file header, or the end of central directory record of an empty archive.
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Some(Format::Zip),
        // The gzip magic, then the only compression method there is (deflate).
        [0x1f, 0x8b, 8, ..] => Some(Format::Gzip),
        // "BZh", the block size '1'..='9', then a block's magic (the digits of pi) or the
        // end of an empty stream (those of the square root of pi): text that happens to
        // start with "BZh9" is not taken for bzip2.
        [
            b'B',
            b'Z',
            b'h',
            b'1'..=b'9',
            0x31,
            0x41,
            0x59,
            0x26,
            0x53,
            0x59,
            ..,
        ]
        | [
            b'B',
            b'Z',
            b'h',
            b'1'..=b'9',
            0x17,
            0x72,
            0x45,
            0x38,
            0x50,
            0x90,
            ..,
        ] => Some(Format::Bzip2),
        [0xfd, b'7', b'z', b'X', b'Z', 0, ..] => Some(Format::Xz),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Some(Format::Zstd),
        _ if is_tar_header(prefix) => Some(Format::Tar),
        _ => None,
    }
}

/// Whether a buffer starts like an archive or compressed stream that [`super::expand`]
/// opens. It only compares a few bytes (and sums one 512-byte header for tar), so it is
/// cheap enough to call on every file.
pub fn looks_like_archive(prefix: &[u8]) -> bool {
    detect(prefix).is_some()
}

/// A tar header: the POSIX `ustar` magic, or (for old v7 archives without it) a header
/// whose checksum field matches the sum of its bytes.
fn is_tar_header(block: &[u8]) -> bool {
    let Some(block) = block.get(..SNIFF_LEN) else {
        return false;
    };
    if &block[257..262] == b"ustar" {
        return true;
    }
    // The name must start with a printable byte: a zero-filled block sums to a zero
    // checksum that an empty checksum field would "match".
    if !block[0].is_ascii_graphic() {
        return false;
    }
    let Some(recorded) = octal(&block[148..156]) else {
        return false;
    };
    // The checksum is computed with its own field read as eight spaces.
    let sum: u64 = block
        .iter()
        .enumerate()
        .map(|(index, &byte)| {
            if (148..156).contains(&index) {
                u64::from(b' ')
            } else {
                u64::from(byte)
            }
        })
        .sum();
    sum == recorded
}

/// An octal number as tar writes it: leading spaces, digits, then a NUL or space.
fn octal(field: &[u8]) -> Option<u64> {
    let digits: &[u8] = field
        .iter()
        .position(|&b| b != b' ')
        .map_or(&[], |start| &field[start..]);
    let end = digits
        .iter()
        .position(|&b| b == 0 || b == b' ')
        .unwrap_or(digits.len());
    let digits = &digits[..end];
    if digits.is_empty() || !digits.iter().all(|b| (b'0'..=b'7').contains(b)) {
        return None;
    }
    digits.iter().try_fold(0u64, |value, &digit| {
        value.checked_mul(8)?.checked_add(u64::from(digit - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_is_known_by_its_magic_bytes() {
        assert_eq!(detect(b"PK\x03\x04rest"), Some(Format::Zip));
        assert_eq!(detect(b"PK\x05\x06"), Some(Format::Zip));
        assert_eq!(detect(b"\x1f\x8b\x08\x00"), Some(Format::Gzip));
        assert_eq!(detect(b"BZh91AY&SY"), Some(Format::Bzip2));
        assert_eq!(detect(b"BZh9\x17\x72\x45\x38\x50\x90"), Some(Format::Bzip2));
        assert_eq!(detect(b"\xfd7zXZ\x00\x00"), Some(Format::Xz));
        assert_eq!(detect(b"\x28\xb5\x2f\xfd\x00"), Some(Format::Zstd));
    }

    #[test]
    fn text_and_short_buffers_are_not_archives() {
        for text in [
            &b""[..],
            b"P",
            b"PK",
            b"BZh",
            b"hello world",
            b"BZhx",
            &[0u8; 512],
        ] {
            assert!(!looks_like_archive(text), "{text:?}");
        }
    }

    #[test]
    fn tar_is_known_by_ustar_magic_or_by_a_v7_checksum() {
        let mut header = [0u8; 512];
        header[..5].copy_from_slice(b"a.txt");
        header[257..262].copy_from_slice(b"ustar");
        assert_eq!(detect(&header), Some(Format::Tar));

        let mut v7 = [0u8; 512];
        v7[..5].copy_from_slice(b"a.txt");
        let sum: u32 = v7.iter().map(|&b| u32::from(b)).sum::<u32>() + 8 * u32::from(b' ');
        v7[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        assert_eq!(detect(&v7), Some(Format::Tar));
        v7[0] = b'b';
        assert_eq!(detect(&v7), None, "a wrong checksum is no tar header");
    }
}
