//! Tests of the archive reader: every format, nesting, limits and bombs, damaged and
//! encrypted members, odd names, built in memory with the crates' writers.

use std::time::{Duration, Instant};

use super::test_build::*;
use super::*;

/// Members as (path, depth, bytes).
type Seen = Vec<(String, usize, Vec<u8>)>;

/// Every member `expand` hands over (path, depth, bytes), and its notes.
fn expand_all(name: &str, bytes: &[u8], limits: &ArchiveLimits) -> (Seen, Vec<ArchiveNote>) {
    let mut members = Vec::new();
    let notes = expand(name, bytes, limits, &mut |member| {
        members.push((member.path.to_owned(), member.depth, member.bytes.to_vec()));
    });
    (members, notes)
}

fn paths(members: &Seen) -> Vec<&str> {
    members.iter().map(|(path, _, _)| path.as_str()).collect()
}

#[test]
fn a_secret_in_a_zip_in_a_tar_gz_in_a_jar_is_found_with_its_chain() {
    let secret = secret_line();
    let inner_zip = zip_of(&[("config/app.properties", secret.as_bytes())]);
    let tar_gz = gzip(&tar_of(&[
        ("README", b"hello\n"),
        ("deploy/bundle.zip", &inner_zip),
    ]));
    let jar = zip_of(&[
        ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n"),
        ("lib/assets.tar.gz", &tar_gz),
    ]);

    let mut inner_paths = Vec::new();
    let mut found = Vec::new();
    let notes = expand("app.jar", &jar, &ArchiveLimits::default(), &mut |member| {
        inner_paths.push(member.inner_path.to_owned());
        found.push((
            member.path.to_owned(),
            member.depth,
            member.bytes == secret.as_bytes(),
        ));
    });
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(
        found,
        [
            ("app.jar!META-INF/MANIFEST.MF".to_owned(), 1, false),
            ("app.jar!lib/assets.tar.gz!README".to_owned(), 2, false),
            (
                "app.jar!lib/assets.tar.gz!deploy/bundle.zip!config/app.properties".to_owned(),
                3,
                true
            ),
        ]
    );
    assert_eq!(inner_paths[2], "config/app.properties");
}

#[test]
fn an_archive_below_max_depth_is_handed_over_unopened_with_a_note() {
    let inner_zip = zip_of(&[("a.txt", b"a")]);
    let outer = zip_of(&[("inner.zip", &inner_zip)]);
    let limits = ArchiveLimits {
        max_depth: 1,
        ..ArchiveLimits::default()
    };
    let (members, notes) = expand_all("outer.zip", &outer, &limits);
    assert_eq!(paths(&members), ["outer.zip!inner.zip"]);
    assert_eq!(members[0].2, inner_zip);
    assert_eq!(notes[0].kind, ArchiveNoteKind::TooDeep { max_depth: 1 });

    let off = ArchiveLimits {
        max_depth: 0,
        ..ArchiveLimits::default()
    };
    let (members, notes) = expand_all("outer.zip", &outer, &off);
    assert_eq!(paths(&members), ["outer.zip"]);
    assert!(notes.is_empty());
}

#[test]
fn a_buffer_that_is_no_archive_is_handed_over_as_itself() {
    let (members, notes) = expand_all("notes.txt", b"just text", &ArchiveLimits::default());
    assert_eq!(
        members,
        [("notes.txt".to_owned(), 0, b"just text".to_vec())]
    );
    assert!(notes.is_empty());
}

#[test]
fn every_compression_format_round_trips_alone_and_around_a_tar() {
    let secret = secret_line();
    let tar = tar_of(&[("etc/app.env", secret.as_bytes())]);
    type Compress = fn(&[u8]) -> Vec<u8>;
    let formats: [(&str, Compress); 4] = [("gz", gzip), ("bz2", bzip2), ("xz", xz), ("zst", zstd)];
    for (extension, compress) in formats {
        let single = compress(secret.as_bytes());
        let (members, notes) = expand_all(
            &format!("app.env.{extension}"),
            &single,
            &ArchiveLimits::default(),
        );
        assert!(notes.is_empty(), "{extension}: {notes:?}");
        assert_eq!(
            members,
            [(
                format!("app.env.{extension}!app.env"),
                1,
                secret.as_bytes().to_vec()
            )]
        );

        let (members, notes) = expand_all(
            &format!("b.tar.{extension}"),
            &compress(&tar),
            &ArchiveLimits::default(),
        );
        assert!(notes.is_empty(), "{extension}: {notes:?}");
        assert_eq!(
            members,
            [(
                format!("b.tar.{extension}!etc/app.env"),
                1,
                secret.as_bytes().to_vec()
            )]
        );
    }
    let (members, _) = expand_all("plain.tar", &tar, &ArchiveLimits::default());
    assert_eq!(paths(&members), ["plain.tar!etc/app.env"]);
}

#[test]
fn zip_members_in_every_supported_method_round_trip() {
    use zip::CompressionMethod;
    let secret = secret_line();
    for method in [
        CompressionMethod::Stored,
        CompressionMethod::Deflated,
        CompressionMethod::Bzip2,
        CompressionMethod::Xz,
    ] {
        let archive = zip_with(&[("a/b.yml", secret.as_bytes())], method);
        let (members, notes) = expand_all("x.whl", &archive, &ArchiveLimits::default());
        assert!(notes.is_empty(), "{method:?}: {notes:?}");
        assert_eq!(
            members,
            [("x.whl!a/b.yml".to_owned(), 1, secret.as_bytes().to_vec())],
            "{method:?}"
        );
    }
}

#[test]
fn a_zstd_zip_member_is_read_with_the_pure_rust_decoder() {
    // The zip writer cannot write zstd without the C library: store zstd bytes and mark
    // the member as method 93 with its real size, in the local and central headers.
    let secret = secret_line();
    let compressed = zstd(secret.as_bytes());
    let mut archive = zip_with(
        &[("conf/app.ini", &compressed)],
        zip::CompressionMethod::Stored,
    );
    let size = (secret.len() as u32).to_le_bytes();
    archive[8..10].copy_from_slice(&93u16.to_le_bytes());
    archive[22..26].copy_from_slice(&size);
    let central = archive
        .windows(4)
        .position(|window| window == b"PK\x01\x02")
        .unwrap();
    archive[central + 10..central + 12].copy_from_slice(&93u16.to_le_bytes());
    archive[central + 24..central + 28].copy_from_slice(&size);
    let (members, notes) = expand_all("z.jar", &archive, &ArchiveLimits::default());
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(
        members,
        [("z.jar!conf/app.ini".to_owned(), 1, secret.into_bytes())]
    );
}

#[test]
fn a_zip_bomb_is_stopped_with_a_note_in_bounded_time() {
    // Each member inflates 4 MiB of zeros from a few KiB: far past 100:1. One member is
    // compressed once and copied raw, which keeps the test fast.
    let one = zip_of(&[("zeros.bin", &vec![0u8; 4 << 20])]);
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(&one)).unwrap();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for index in 0..50 {
        let member = source.by_index_raw(0).unwrap();
        writer
            .raw_copy_file_rename(member, format!("zeros{index}.bin"))
            .unwrap();
    }
    let bomb = writer.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20, "the bomb is small: {}", bomb.len());
    let started = Instant::now();
    let (members, notes) = expand_all("bomb.zip", &bomb, &ArchiveLimits::default());
    assert!(members.is_empty());
    // Each member stops at its own ratio until the whole archive passes its overall
    // ratio, which stops it, long before the 50 members are done.
    let (last, each) = notes.split_last().unwrap();
    assert!(each.len() < 50);
    assert!(
        each.iter()
            .all(|note| note.kind == ArchiveNoteKind::Stopped(LimitHit::Ratio(100))),
        "{notes:?}"
    );
    assert_eq!(
        *last,
        ArchiveNote::new("bomb.zip", ArchiveNoteKind::Stopped(LimitHit::Ratio(100)))
    );
    assert!(
        notes[0]
            .to_string()
            .starts_with("bomb.zip!zeros0.bin: archive not read further"),
        "{}",
        notes[0]
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_zip_whose_total_passes_the_limit_is_stopped_once_naming_the_outer_archive() {
    let text = b"line of ordinary text that compresses a little\n".repeat(2000);
    let files: Vec<(String, &[u8])> = (0..20)
        .map(|index| (format!("f{index}.txt"), &text[..]))
        .collect();
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(name, data)| (name.as_str(), *data))
        .collect();
    let inner = zip_of(&files);
    let outer = zip_of(&[("inner.zip", &inner), ("after.txt", b"x")]);
    let limits = ArchiveLimits {
        max_total_bytes: 500_000,
        ..ArchiveLimits::default()
    };
    let (members, notes) = expand_all("outer.zip", &outer, &limits);
    assert!(members.len() < 20);
    assert_eq!(
        notes,
        [ArchiveNote::new(
            "outer.zip",
            ArchiveNoteKind::Stopped(LimitHit::TotalBytes(500_000))
        )]
    );
}

#[test]
fn a_gzip_bomb_is_stopped_with_a_note_in_bounded_memory_and_time() {
    // Gzip members concatenate: one 16 MiB member of zeros repeated is a cheap bomb of
    // 1 GiB from about 1 MiB.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut encoder, &vec![0u8; 16 << 20]).unwrap();
    let zeros = encoder.finish().unwrap().repeat(64);
    let started = Instant::now();

    // A single compressed file is read no further than the member limit.
    let mut largest = 0;
    let notes = expand(
        "logs.gz",
        &zeros,
        &ArchiveLimits::default(),
        &mut |member| largest = largest.max(member.bytes.len()),
    );
    assert_eq!(largest, 0, "nothing is handed over");
    assert_eq!(
        notes,
        [ArchiveNote::new(
            "logs.gz!logs",
            ArchiveNoteKind::TooBig { limit: 10 << 20 }
        )]
    );

    // A compressed tar that claims a 1 GiB member: skipping it would inflate it all, so
    // the ratio limit stops the stream.
    let mut header = tar::Header::new_ustar();
    header.set_path("huge.bin").unwrap();
    header.set_size(1 << 30);
    header.set_cksum();
    let mut bomb = gzip(header.as_bytes());
    bomb.extend_from_slice(&zeros);
    let notes = expand("bomb.tgz", &bomb, &ArchiveLimits::default(), &mut |_| {
        panic!("nothing to hand over")
    });
    assert_eq!(
        notes,
        [
            ArchiveNote::new(
                "bomb.tgz!huge.bin",
                ArchiveNoteKind::TooBig { limit: 10 << 20 }
            ),
            ArchiveNote::new("bomb.tgz", ArchiveNoteKind::Stopped(LimitHit::Ratio(100))),
        ]
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn entries_past_the_limit_stop_the_archive() {
    let files: Vec<(String, &[u8])> = (0..30)
        .map(|index| (format!("f{index}"), &b"x"[..]))
        .collect();
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(name, data)| (name.as_str(), *data))
        .collect();
    let limits = ArchiveLimits {
        max_entries: 10,
        ..ArchiveLimits::default()
    };
    for (name, archive) in [("a.zip", zip_of(&files)), ("a.tar", tar_of(&files))] {
        let (members, notes) = expand_all(name, &archive, &limits);
        assert_eq!(members.len(), 10, "{name}");
        assert_eq!(
            notes,
            [ArchiveNote::new(
                name,
                ArchiveNoteKind::Stopped(LimitHit::Entries(10))
            )]
        );
    }
}

#[test]
fn a_member_over_the_size_limit_is_skipped_and_the_rest_read() {
    let big = vec![b'a'; 5000];
    let limits = ArchiveLimits {
        max_member_bytes: 4096,
        ..ArchiveLimits::default()
    };
    for (name, archive) in [
        ("a.zip", zip_of(&[("big", &big), ("small", b"s")])),
        ("a.tar", tar_of(&[("big", &big), ("small", b"s")])),
    ] {
        let (members, notes) = expand_all(name, &archive, &limits);
        assert_eq!(paths(&members), [format!("{name}!small")], "{name}");
        assert_eq!(
            notes,
            [ArchiveNote::new(
                &format!("{name}!big"),
                ArchiveNoteKind::TooBig { limit: 4096 }
            )]
        );
        assert_eq!(
            notes[0].to_note().skipped,
            Some(crate::source::SkipReason::TooLarge)
        );
    }
}

#[test]
fn a_corrupt_archive_gets_a_note_and_its_neighbours_are_still_read() {
    let mut broken_zip = zip_of(&[("a.txt", b"aaaa")]);
    broken_zip.truncate(broken_zip.len() - 10);
    let mut broken_gz = gzip(&b"some text ".repeat(1000));
    let middle = broken_gz.len() / 2;
    broken_gz[middle..middle + 8].fill(0xff);
    let outer = tar_of(&[
        ("one.zip", &broken_zip),
        ("two.txt.gz", &broken_gz),
        ("three.txt", b"fine"),
    ]);
    let (members, notes) = expand_all("outer.tar", &outer, &ArchiveLimits::default());
    assert_eq!(paths(&members), ["outer.tar!three.txt"]);
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        matches!(&notes[0].kind, ArchiveNoteKind::Corrupt(_))
            && notes[0].subject == "outer.tar!one.zip"
    );
    assert!(
        matches!(&notes[1].kind, ArchiveNoteKind::Corrupt(_))
            && notes[1].subject.starts_with("outer.tar!two.txt.gz")
    );
}

#[test]
fn a_corrupt_zip_member_gets_a_note_and_the_next_member_is_read() {
    let text = b"0123456789 abcdefghij ".repeat(500);
    let mut archive = zip_of(&[("first.txt", &text), ("second.txt", b"second")]);
    let start = {
        let mut reader = zip::ZipArchive::new(std::io::Cursor::new(&archive)).unwrap();
        let first = reader.by_index_raw(0).unwrap();
        first.data_start().unwrap() as usize + first.compressed_size() as usize / 2
    };
    archive[start..start + 16]
        .iter_mut()
        .for_each(|byte| *byte = !*byte);
    let (members, notes) = expand_all("a.zip", &archive, &ArchiveLimits::default());
    assert_eq!(paths(&members), ["a.zip!second.txt"]);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].subject, "a.zip!first.txt");
    assert!(
        matches!(notes[0].kind, ArchiveNoteKind::Corrupt(_)),
        "{notes:?}"
    );
}

#[test]
fn an_encrypted_zip_member_is_skipped_with_a_note() {
    // The zip writer only encrypts with its AES feature, which the reader does not need:
    // set the "encrypted" flag of the first member by hand, in its local header and in
    // the central directory.
    let mut archive = zip_with(
        &[
            ("locked.env", secret_line().as_bytes()),
            ("open.txt", b"open"),
        ],
        zip::CompressionMethod::Stored,
    );
    archive[6] |= 1;
    let central = archive
        .windows(4)
        .position(|window| window == b"PK\x01\x02")
        .unwrap();
    archive[central + 8] |= 1;
    let (members, notes) = expand_all("a.zip", &archive, &ArchiveLimits::default());
    assert_eq!(paths(&members), ["a.zip!open.txt"]);
    assert_eq!(
        notes,
        [ArchiveNote::new(
            "a.zip!locked.env",
            ArchiveNoteKind::Encrypted
        )]
    );
}

#[test]
fn traversal_and_control_character_names_are_only_names() {
    let archive = tar_of(&[
        ("../../etc/cron.d/x", b"one"),
        ("/abs/file", b"two"),
        ("evil\x1b[2Jname", b"three"),
    ]);
    let (members, notes) = expand_all("t.tar", &archive, &ArchiveLimits::default());
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(
        paths(&members),
        [
            "t.tar!../../etc/cron.d/x",
            "t.tar!/abs/file",
            "t.tar!evil\\u{1b}[2Jname"
        ]
    );
    let zip = zip_of(&[("../../x", b"z")]);
    let (members, _) = expand_all("z.zip", &zip, &ArchiveLimits::default());
    assert_eq!(paths(&members), ["z.zip!../../x"]);
}

#[test]
fn random_bytes_after_a_magic_number_never_panic() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let magics: [&[u8]; 6] = [
        b"PK\x03\x04",
        b"\x1f\x8b\x08",
        b"BZh91AY&SY",
        b"\xfd7zXZ\x00",
        b"\x28\xb5\x2f\xfd",
        b"",
    ];
    for magic in magics {
        for _ in 0..50 {
            let mut data = magic.to_vec();
            let length = (next() % 2048) as usize;
            data.extend((0..length).map(|_| next() as u8));
            let _ = expand_all("fuzz", &data, &ArchiveLimits::default());
        }
    }
}

/// Times expansions of archives of a few hundred MB; run in release:
/// `cargo test --release --lib archive::tests::throughput -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check: builds 300 MB archives"]
fn throughput_of_a_few_hundred_mb() {
    let files = text_files(3000, 100_000);
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(name, data)| (name.as_str(), data.as_slice()))
        .collect();
    let total: usize = files.iter().map(|(_, data)| data.len()).sum();
    let tar = tar_of(&borrowed);
    let archives = [
        ("tar", tar.clone()),
        ("tar.gz", gzip(&tar)),
        ("tar.zst", zstd(&tar)),
        ("zip (deflate)", zip_of(&borrowed)),
    ];
    drop(tar);
    for (kind, archive) in archives {
        let started = Instant::now();
        let mut seen = 0usize;
        let notes = expand(
            &format!("big.{kind}"),
            &archive,
            &ArchiveLimits::default(),
            &mut |member| seen += member.bytes.len(),
        );
        let elapsed = started.elapsed();
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(seen, total);
        println!(
            "{kind:14} {:>4} MB compressed, {} MB out: {:.2} s, {:.0} MB/s uncompressed",
            archive.len() >> 20,
            total >> 20,
            elapsed.as_secs_f64(),
            total as f64 / 1e6 / elapsed.as_secs_f64()
        );
    }
}

/// Expands every file under `$LEAKHOUND_ARCHIVE_DIR` (a Maven repository, a pip or cargo
/// cache) and prints what came out; run in release:
/// `LEAKHOUND_ARCHIVE_DIR=~/.cargo/registry/cache cargo test --release --lib
/// archive::tests::expand_a_real_tree -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement on a tree the caller names"]
fn expand_a_real_tree() {
    let Some(root) = std::env::var_os("LEAKHOUND_ARCHIVE_DIR") else {
        return;
    };
    let mut pending = vec![std::path::PathBuf::from(root)];
    let (mut files, mut archives, mut input, mut members, mut output) = (0, 0, 0u64, 0, 0u64);
    let mut notes_by_kind = std::collections::BTreeMap::<String, usize>::new();
    let started = Instant::now();
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            pending.extend(
                std::fs::read_dir(&path)
                    .unwrap()
                    .map(|entry| entry.unwrap().path()),
            );
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        files += 1;
        input += bytes.len() as u64;
        if !looks_like_archive(&bytes[..bytes.len().min(SNIFF_LEN)]) {
            continue;
        }
        archives += 1;
        let notes = expand(
            &path.display().to_string(),
            &bytes,
            &ArchiveLimits::default(),
            &mut |member| {
                members += 1;
                output += member.bytes.len() as u64;
            },
        );
        for note in notes {
            if matches!(
                note.kind,
                ArchiveNoteKind::Corrupt(_) | ArchiveNoteKind::Unsupported(_)
            ) {
                println!("{note}");
            }
            let kind = format!("{:?}", note.kind);
            *notes_by_kind
                .entry(kind.split(['(', ' ']).next().unwrap().to_owned())
                .or_default() += 1;
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{files} files ({} MB), {archives} archives: {members} members, {} MB out in {:.2} s; notes {notes_by_kind:?}",
        input >> 20,
        output >> 20,
        elapsed.as_secs_f64()
    );
}
