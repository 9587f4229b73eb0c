//! Inputs found by the fuzz targets in `fuzz/` (see `fuzz/README.md`), each minimised and kept
//! here so that stable `cargo test` keeps the fix: no panic, no hang, a sensible result or an
//! error that names where the input went wrong. Also checks that the committed WARC seeds
//! still read cleanly, so the fuzzer starts from valid files.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use newsarc::archive::cdxj::{CdxjEntry, surt};
use newsarc::archive::{ArchiveError, ArchiveReader, Format, Record, WarcHeaders};

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn warc_seeds_read_cleanly_from_memory() {
    for (path, bytes) in seeds("warc_read") {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut reader = ArchiveReader::from_reader(&path, Cursor::new(bytes))
            .lenient(true)
            .verify_digests(true);
        let items: Vec<_> = reader.by_ref().collect();
        let errors: Vec<String> = items
            .iter()
            .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
            .collect();
        let good = items.len() - errors.len();
        let expected_format = if name.ends_with(".zst") {
            Format::Zstd
        } else if name.ends_with(".gz") {
            Format::Gzip
        } else {
            Format::Plain
        };
        assert_eq!(reader.format(), Some(expected_format), "{name}");
        if name.starts_with("garbage") {
            // Garbage after the first record, a cut last record: both reported, the rest read.
            assert_eq!((good, errors.len()), (7, 2), "{name}: {errors:?}");
        } else {
            assert_eq!((good, errors.len()), (8, 0), "{name}: {errors:?}");
        }
    }
}

/// Lenient read of a plain WARC held in memory: (good records, errors).
fn read_lenient(bytes: Vec<u8>) -> (Vec<Record>, Vec<ArchiveError>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for item in ArchiveReader::from_reader("/mem/junk.warc", Cursor::new(bytes)).lenient(true) {
        match item {
            Ok(r) => good.push(r.record),
            Err(e) => bad.push(e),
        }
    }
    (good, bad)
}

fn one_record() -> Vec<u8> {
    let mut h = WarcHeaders::new();
    h.set("WARC-Type", "resource");
    h.set("WARC-Target-URI", "https://example.com/after-the-junk");
    Record::new(h, b"still here".to_vec()).to_bytes()
}

/// Found by review and confirmed with the `warc_read` target (900 KB of `WARC/1.1` lines
/// took over 30 s): after a bad header the lenient reader skipped 5 bytes and parsed again
/// from the next `WARC/1.` line, and each attempt first searched for the end of the header
/// section, so every line rescanned the rest of the file. Now the header is read line by line
/// up to its first bad line and reading resumes there.
#[test]
fn lenient_reader_is_linear_on_lines_of_warc_versions() {
    let lines = 20_000;
    let mut bytes = b"WARC/1.1\n".repeat(lines);
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(&one_record());
    let started = Instant::now();
    let (good, bad) = read_lenient(bytes);
    // Debug build: the old code needed minutes here, the linear one well under a second.
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(good.len(), 1);
    assert_eq!(
        good[0].target_uri(),
        Some("https://example.com/after-the-junk")
    );
    // One error per junk line (each is a header whose second line has no colon), the blank
    // line after them is skipped like blank lines between records.
    assert_eq!(bad.len(), lines);
    assert!(
        bad.iter()
            .all(|e| matches!(e, ArchiveError::BadHeader { .. })),
        "{:?}",
        bad.first()
    );
    assert_eq!(bad[1].offset(), Some(9));
}

/// The same with lines that are valid header fields: each attempt read the whole section
/// before finding no Content-Length. Now the whole section is one error.
#[test]
fn lenient_reader_skips_a_long_header_without_content_length_at_once() {
    let mut bytes = b"WARC/1.1: x\n".repeat(20_000);
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(&one_record());
    let started = Instant::now();
    let (good, bad) = read_lenient(bytes);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(good.len(), 1);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(
        bad[0].to_string().contains("no Content-Length"),
        "{}",
        bad[0]
    );
    assert_eq!(bad[0].offset(), Some(0));
}

/// Found by `warc_read`: a record whose WARC-Target-URI is not a URL and contains a space got
/// a SURT key with that space, so its index line split in the wrong place and did not parse
/// back ("expected value at line 1 column 1"). Such keys now percent-encode whitespace and
/// control characters.
#[test]
fn index_line_of_a_target_uri_with_spaces_reads_back() {
    for uri in [
        "not a url",
        "https:\u{1f} e1p\t-x",
        "mailto:a b@example.com",
    ] {
        let mut h = WarcHeaders::new();
        h.set("WARC-Type", "resource");
        h.set("WARC-Target-URI", uri);
        h.set("WARC-Date", "2024-05-03T10:00:00Z");
        let rec = Record::new(h, b"x".to_vec());
        let path = Path::new("/fuzz/a.warc.zst");
        let entry = CdxjEntry::for_record(&rec, 0, 10, path).unwrap();
        assert!(
            !entry.surt.contains(char::is_whitespace),
            "{:?}",
            entry.surt
        );
        let line = entry.to_line();
        let back = CdxjEntry::parse_line(&line, Path::new("/fuzz")).unwrap();
        assert_eq!(back, entry, "{line}");
        assert_eq!(back.url, uri);
    }
    assert_eq!(surt("Not A URL"), "not%20a%20url");
}

/// Found reviewing the fuzz findings: a compressed dictionary frame was decompressed without
/// a cap, so a 3 KB file could ask for gigabytes. Now a dictionary over 16 MiB is a clear
/// error on the dictionary frame, and the records after it are still reported, not lost.
#[test]
fn a_dictionary_bomb_is_an_error_not_an_allocation() {
    use newsarc::archive::frame::{DICT_MAGIC, skippable_frame};
    let bomb = zstd::stream::encode_all(&vec![0u8; 64 << 20][..], 19).unwrap();
    assert!(bomb.len() < 16 * 1024, "bomb is {} bytes", bomb.len());
    let mut file = skippable_frame(DICT_MAGIC, &bomb);
    file.extend(zstd::bulk::compress(&one_record(), 3).unwrap());
    let started = Instant::now();
    let items: Vec<_> = ArchiveReader::from_reader("/mem/bomb.warc.zst", Cursor::new(file))
        .lenient(true)
        .collect();
    assert!(started.elapsed() < Duration::from_secs(5));
    let errors: Vec<String> = items
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("dictionary"), "{}", errors[0]);
    assert!(errors[0].contains("cap"), "{}", errors[0]);
    assert_eq!(
        items.len(),
        2,
        "the record after the bad dictionary is still read"
    );
}

/// A zstd frame written by a streaming compressor carries no content size: both the reader
/// and random access decode it (bounded), in a file with and without a dictionary.
#[test]
fn frames_without_content_size_read_by_scan_and_by_offset() {
    use newsarc::archive::frame::{DICT_MAGIC, skippable_frame};
    use newsarc::archive::read_record_at;
    let record = one_record();
    let dict =
        b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: https://example.com/".repeat(4);
    for with_dict in [false, true] {
        let mut file = Vec::new();
        if with_dict {
            file = skippable_frame(DICT_MAGIC, &dict);
        }
        let start = file.len() as u64;
        let mut enc = zstd::stream::write::Encoder::with_dictionary(
            Vec::new(),
            3,
            if with_dict { &dict[..] } else { &[] },
        )
        .unwrap();
        enc.include_contentsize(false).unwrap();
        std::io::Write::write_all(&mut enc, &record).unwrap();
        let frame = enc.finish().unwrap();
        file.extend(&frame);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nosize.warc.zst");
        std::fs::write(&path, &file).unwrap();
        let read: Vec<_> = ArchiveReader::open(&path).unwrap().collect();
        assert_eq!(read.len(), 1, "dict={with_dict}");
        let r = read.into_iter().next().unwrap().unwrap();
        assert_eq!(r.record.block, b"still here", "dict={with_dict}");
        let at = read_record_at(&path, start, frame.len() as u64).unwrap();
        assert_eq!(at.block, b"still here", "dict={with_dict}");
    }
}
