//! Reads single compressed streams (gzip, bzip2, xz, zstd): a compressed tar is read as
//! one archive as it comes out of the decompressor, anything else is one member named
//! after the file without its compression extension (`notes.txt.gz!notes.txt`).
//!
//! Knows nothing about tar or zip beyond telling a tar header when it sees one. The whole
//! output is never held in memory: a tar streams, and a single member is read only up to
//! the member size limit.

use std::io::{self, Cursor, Read};

use super::budget::Capped;
use super::format::{self, Format};
use super::{ArchiveNoteKind, LEVEL_SEPARATOR, Walk, tar_reader};

/// Reads the compressed stream `chain` held in `bytes`.
pub(super) fn walk(walk: &mut Walk<'_>, chain: &str, bytes: &[u8], format: Format, level: usize) {
    let decoder = match decoder(format, bytes) {
        Ok(decoder) => decoder,
        Err(error) if error.kind() == io::ErrorKind::Unsupported => {
            walk.note(chain, ArchiveNoteKind::Unsupported(error.to_string()));
            return;
        }
        Err(error) => {
            walk.note(chain, ArchiveNoteKind::Corrupt(error.to_string()));
            return;
        }
    };
    let mut output = Capped::new(decoder, walk.budget, bytes.len() as u64);
    let mut head = Vec::with_capacity(format::SNIFF_LEN);
    if let Err(error) = output
        .by_ref()
        .take(format::SNIFF_LEN as u64)
        .read_to_end(&mut head)
    {
        if !walk.note_limit(chain) {
            walk.note(chain, ArchiveNoteKind::Corrupt(error.to_string()));
        }
        return;
    }
    let rest = Cursor::new(head).chain(output);
    if format::detect(rest.get_ref().0.get_ref()) == Some(Format::Tar) {
        tar_reader::walk_stream(walk, chain, rest, level);
        return;
    }
    let name = decompressed_name(chain, format);
    let subject = format!("{chain}{LEVEL_SEPARATOR}{name}");
    let mut rest = rest;
    if let Some(bytes) = walk.read_member(&subject, &mut rest) {
        walk.member(chain, &name, &bytes, level);
    }
}

/// A decompressor for `format` over `bytes`.
fn decoder<'b>(format: Format, bytes: &'b [u8]) -> io::Result<Box<dyn Read + 'b>> {
    Ok(match format {
        // Multi-member readers: `cat a.gz b.gz` is one valid gzip file.
        Format::Gzip => Box::new(flate2::read::MultiGzDecoder::new(bytes)),
        Format::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(bytes)),
        Format::Xz => {
            check_xz_dictionary(bytes)?;
            Box::new(lzma_rust2::XzReader::new(bytes, true))
        }
        Format::Zstd => Box::new(
            ruzstd::decoding::StreamingDecoder::new(bytes)
                .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error.to_string()))?,
        ),
        Format::Zip | Format::Tar => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a compressed stream",
            ));
        }
    })
}

/// The largest LZMA2 dictionary an xz stream may ask for: the decoder allocates it up
/// front, so a forged header could otherwise claim gigabytes. `xz -9` uses 64 MiB; zstd's
/// decoder has the same default cap on its window.
const MAX_XZ_DICTIONARY: u64 = 128 << 20;

/// Refuses an xz stream whose header makes the decoder reserve more than it should: a
/// first block asking for a dictionary over [`MAX_XZ_DICTIONARY`] (only the first block is
/// looked at; streams written by `xz` use the same filter chain in every block), or a
/// stream with no blocks whose index claims more records than it has bytes.
fn check_xz_dictionary(bytes: &[u8]) -> io::Result<()> {
    const STREAM_HEADER: usize = 12;
    const LZMA2: u64 = 0x21;
    let invalid = |why: &str| io::Error::new(io::ErrorKind::InvalidData, why.to_owned());
    let Some(&size_byte) = bytes.get(STREAM_HEADER) else {
        return Err(invalid("xz stream ends in its header"));
    };
    if size_byte == 0 {
        // An index right away (a stream with no data): its record count must fit in what
        // follows, or the decoder would reserve room for all of them up front (a forged
        // count of billions asks for gigabytes).
        let records = xz_number(bytes, &mut (STREAM_HEADER + 1))
            .ok_or_else(|| invalid("xz index is cut short"))?;
        if records > bytes.len() as u64 {
            return Err(invalid(
                "xz index claims more records than the stream holds",
            ));
        }
        return Ok(());
    }
    let header_end = STREAM_HEADER + (usize::from(size_byte) + 1) * 4;
    let header = bytes
        .get(STREAM_HEADER..header_end)
        .ok_or_else(|| invalid("xz block header is cut short"))?;
    let flags = header[1];
    let mut at = 2;
    let varint = |at: &mut usize| {
        xz_number(header, at)
            .ok_or_else(|| invalid("xz block header is cut short or has a number too long"))
    };
    if flags & 0x40 != 0 {
        varint(&mut at)?; // compressed size
    }
    if flags & 0x80 != 0 {
        varint(&mut at)?; // uncompressed size
    }
    for _ in 0..=(flags & 0x03) {
        let filter = varint(&mut at)?;
        let properties = varint(&mut at)? as usize;
        if filter == LZMA2 && properties == 1 {
            let bits = u64::from(
                *header
                    .get(at)
                    .ok_or_else(|| invalid("xz block header is cut short"))?,
            );
            // Values past 40 are invalid; checked first, as they would shift past 64 bits.
            if bits > 40 {
                return Err(invalid("xz block header has an invalid dictionary size"));
            }
            let dictionary = (2 | (bits & 1)) << (bits / 2 + 11);
            if dictionary > MAX_XZ_DICTIONARY {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    format!(
                        "xz dictionary of {} is over the {} this reader allows",
                        super::budget::human_bytes(dictionary),
                        super::budget::human_bytes(MAX_XZ_DICTIONARY)
                    ),
                ));
            }
        }
        at += properties;
    }
    Ok(())
}

/// The xz format's variable-length number at `at` (seven bits a byte, low first, at most
/// nine bytes), moving `at` past it; `None` when it is cut short or too long.
fn xz_number(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..63).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The name of a compressed file's content: its last name without the compression
/// extension (`logs/app.log.gz` holds `app.log`), or the same name when it has none.
fn decompressed_name(chain: &str, format: Format) -> String {
    let last = chain.rsplit(LEVEL_SEPARATOR).next().unwrap_or(chain);
    let file = last.rsplit('/').next().unwrap_or(last);
    let lower = file.to_ascii_lowercase();
    for extension in format.extensions() {
        if lower.ends_with(extension) && lower.len() > extension.len() {
            return file[..file.len() - extension.len()].to_owned();
        }
    }
    file.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xz_stream_asking_for_a_huge_dictionary_is_refused_before_decoding() {
        let good = crate::source::archive::test_build::xz(b"hello");
        assert!(check_xz_dictionary(&good).is_ok());
        // The block header's LZMA2 filter: id 0x21, one property byte (the dictionary
        // size bits); 0x28 asks for 4 GiB.
        let mut forged = good.clone();
        let filter = forged[12..]
            .windows(2)
            .position(|pair| pair == [0x21, 0x01])
            .unwrap()
            + 12;
        forged[filter + 2] = 0x28;
        let error = check_xz_dictionary(&forged).unwrap_err();
        assert!(
            error.to_string().contains("xz dictionary of 4 GiB"),
            "{error}"
        );
        // Past 40 the size is invalid: refused, not shifted past 64 bits (found by the
        // `archive` fuzz target: 0xff overflowed the shift).
        for bits in [41, 0x7f, 0xff] {
            forged[filter + 2] = bits;
            let error = check_xz_dictionary(&forged).unwrap_err();
            assert!(
                error.to_string().contains("invalid dictionary size"),
                "{error}"
            );
        }
    }

    #[test]
    fn an_xz_index_claiming_more_records_than_bytes_is_refused_before_decoding() {
        // Found by the `archive` fuzz target: an empty stream whose index claims
        // 2.4 billion records made the decoder reserve gigabytes.
        let forged: &[u8] = &[
            0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46, 0x00, 0xe6,
            0xd6, 0xb4, 0x46, 0x00, 0x02, 0x30, 0xff, 0xff, 0x1f, 0x8b, 0x08, 0x18, 0x00, 0x00,
            0x00, 0x97, 0xd5, 0xc6, 0x00, 0x00, 0x97, 0xd5, 0xc6, 0xa5, 0xce, 0x42, 0xe1, 0x02,
            0x02, 0x2a, 0xdd, 0x00, 0x2a, 0xdd, 0x00, 0x00, 0x00, 0x00, 0x01, 0x27, 0x00, 0x00,
            0x85,
        ];
        let error = check_xz_dictionary(forged).unwrap_err();
        assert!(error.to_string().contains("more records"), "{error}");
        let empty = crate::source::archive::test_build::xz(b"");
        assert!(check_xz_dictionary(&empty).is_ok());
    }

    /// Found by the `archive` fuzz target: an xz index claiming billions of records makes
    /// the decoder ask for terabytes up front. The allocation fails (it is never touched),
    /// and the archive gets a note instead of taking the process down.
    #[test]
    fn an_xz_index_claiming_terabytes_of_records_is_a_note() {
        let data: &[u8] = &[
            0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46, 0x00, 0xf4,
            0xaa, 0xc9, 0xef, 0x9f, 0x25, 0x30, 0xa5, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0xee, 0x34, 0x92, 0xe0, 0x9b, 0xc8, 0xcb, 0x7d, 0xea, 0x40, 0x00,
            0x00, 0x00, 0x00, 0x0b, 0x32, 0x35, 0xbc, 0x66, 0x52, 0x1a, 0x75, 0x73, 0x74, 0x61,
            0x72, 0x00, 0x18, 0x00, 0x00, 0xd5, 0x7b,
        ];
        let mut members = 0;
        let notes = crate::source::archive::expand(
            "forged.tar.xz",
            data,
            &crate::source::archive::ArchiveLimits::default(),
            &mut |_| members += 1,
        );
        assert_eq!(members, 0);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            matches!(
                notes[0].kind,
                crate::source::archive::ArchiveNoteKind::Corrupt(_)
            ),
            "{notes:?}"
        );
    }

    #[test]
    fn content_is_named_after_the_file_without_its_extension() {
        assert_eq!(
            decompressed_name("logs/app.log.gz", Format::Gzip),
            "app.log"
        );
        assert_eq!(
            decompressed_name("a.zip!x/DUMP.SQL.XZ", Format::Xz),
            "DUMP.SQL"
        );
        assert_eq!(decompressed_name("blob", Format::Zstd), "blob");
        assert_eq!(decompressed_name(".gz", Format::Gzip), ".gz");
    }
}
