//! Damaged archives: every case gives an error naming the file and offset, the good records
//! before and after stay readable, nothing panics.

use std::path::Path;

use newsarc::archive::{ArchiveError, ArchiveReader, ReadRecord, RecordType, read_record_at};

use super::write_sample;

/// Read leniently: (good records, errors).
fn lenient(path: &Path) -> (Vec<ReadRecord>, Vec<ArchiveError>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for item in ArchiveReader::open(path).unwrap().lenient(true) {
        match item {
            Ok(r) => good.push(r),
            Err(e) => bad.push(e),
        }
    }
    (good, bad)
}

fn assert_names(e: &ArchiveError, path: &Path, offset: u64) {
    let msg = e.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains(&format!("offset {offset}")), "{msg}");
    assert_eq!(e.offset(), Some(offset), "{msg}");
}

/// A sample archive and the (offset, length) of each of its 8 frames.
fn sample() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Vec<(u64, u64)>,
    Vec<u8>,
) {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, files) = write_sample(dir.path());
    let path = files[0].clone();
    let frames: Vec<(u64, u64)> = ArchiveReader::open(&path)
        .unwrap()
        .map(|r| {
            let r = r.unwrap();
            (r.offset, r.length)
        })
        .collect();
    assert_eq!(frames.len(), 8);
    let bytes = std::fs::read(&path).unwrap();
    (dir, path, frames, bytes)
}

#[test]
fn file_cut_in_the_middle_of_a_record() {
    let (_d, path, frames, bytes) = sample();
    let (off, len) = frames[5];
    std::fs::write(&path, &bytes[..(off + len / 2) as usize]).unwrap();
    let (good, bad) = lenient(&path);
    assert_eq!(good.len(), 5);
    assert_eq!(bad.len(), 1);
    assert!(
        matches!(bad[0], ArchiveError::Truncated { .. }),
        "{}",
        bad[0]
    );
    assert_names(&bad[0], &path, off);
    assert!(bad[0].to_string().contains("--repair"));
    // Strict mode stops with the same error after the good records.
    let strict: Vec<_> = ArchiveReader::open(&path).unwrap().collect();
    assert_eq!(strict.len(), 6);
    assert!(strict[5].is_err());
    // The cut frame itself is reported by random access too.
    let e = read_record_at(&path, off, len).unwrap_err();
    assert_names(&e, &path, off);
}

#[test]
fn random_garbage_between_records() {
    let (_d, path, frames, bytes) = sample();
    let at = frames[3].0 as usize;
    // Deterministic noise without a zstd magic in it.
    let mut x: u32 = 12345;
    let noise: Vec<u8> = (0..1000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            ((x >> 16) as u8) & 0x7f
        })
        .collect();
    let mut damaged = bytes[..at].to_vec();
    damaged.extend_from_slice(&noise);
    damaged.extend_from_slice(&bytes[at..]);
    std::fs::write(&path, &damaged).unwrap();
    let (good, bad) = lenient(&path);
    assert_eq!(good.len(), 8, "{bad:?}");
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(
        matches!(bad[0], ArchiveError::Garbage { length: 1000, .. }),
        "{}",
        bad[0]
    );
    assert_names(&bad[0], &path, at as u64);
    assert_eq!(good[3].offset, at as u64 + 1000);
    assert_eq!(good[3].record.record_type(), RecordType::Response);
}

#[test]
fn flipped_byte_inside_a_frame() {
    let (_d, path, frames, mut bytes) = sample();
    let (off, len) = frames[2];
    bytes[(off + len / 2) as usize] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();
    let (good, bad) = lenient(&path);
    assert_eq!(good.len(), 7, "{bad:?}");
    assert!(!bad.is_empty());
    assert!(
        matches!(bad[0], ArchiveError::BadFrame { .. }),
        "{}",
        bad[0]
    );
    assert_names(&bad[0], &path, off);
    // Records after the damaged one are still there, at their offsets.
    let after: Vec<u64> = good.iter().map(|r| r.offset).filter(|&o| o > off).collect();
    assert_eq!(after, frames[3..].iter().map(|f| f.0).collect::<Vec<_>>());
}

#[test]
fn header_without_content_length() {
    let dir = tempfile::tempdir().unwrap();
    // In a .warc.zst frame.
    let good_rec = b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: https://e.com/\r\nWARC-Date: 2024-05-03T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Length: 2\r\n\r\nok\r\n\r\n";
    let bad_rec = b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: https://e.com/x\r\n\r\nno length here\r\n\r\n";
    let mut zst = Vec::new();
    let mut offsets = Vec::new();
    for r in [&good_rec[..], &bad_rec[..], &good_rec[..]] {
        offsets.push(zst.len() as u64);
        zst.extend(zstd::bulk::compress(r, 3).unwrap());
    }
    let p = dir.path().join("nolen.warc.zst");
    std::fs::write(&p, &zst).unwrap();
    let (good, bad) = lenient(&p);
    assert_eq!(good.len(), 2);
    assert_eq!(bad.len(), 1);
    assert!(bad[0].to_string().contains("Content-Length"), "{}", bad[0]);
    assert_names(&bad[0], &p, offsets[1]);
    // In a plain .warc.
    let mut plain = good_rec.to_vec();
    let bad_at = plain.len() as u64;
    plain.extend_from_slice(bad_rec);
    plain.extend_from_slice(good_rec);
    let p = dir.path().join("nolen.warc");
    std::fs::write(&p, &plain).unwrap();
    let (good, bad) = lenient(&p);
    assert_eq!(good.len(), 2, "{bad:?}");
    assert!(bad[0].to_string().contains("Content-Length"), "{}", bad[0]);
    assert_names(&bad[0], &p, bad_at);
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.warc.zst");
    std::fs::write(&p, b"").unwrap();
    let items: Vec<_> = ArchiveReader::open(&p).unwrap().lenient(true).collect();
    assert_eq!(items.len(), 1);
    let e = items[0].as_ref().unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("empty") && msg.contains("offset 0"), "{msg}");
    assert!(msg.contains(&p.display().to_string()), "{msg}");
}

#[test]
fn file_that_is_not_zstd_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("text.warc.zst");
    std::fs::write(&p, b"just some text, certainly not an archive\n").unwrap();
    let items: Vec<_> = ArchiveReader::open(&p).unwrap().lenient(true).collect();
    assert_eq!(items.len(), 1);
    let msg = items[0].as_ref().unwrap_err().to_string();
    assert!(
        msg.contains("not a WARC file") && msg.contains("offset 0"),
        "{msg}"
    );
    assert!(msg.contains(&p.display().to_string()), "{msg}");
    // A missing file is an I/O error naming the path, not a panic.
    let missing = dir.path().join("missing.warc.zst");
    let e = ArchiveReader::open(&missing).err().unwrap();
    assert!(e.to_string().contains("missing.warc.zst"));
    // Random access past the end of a file.
    let e = read_record_at(&p, 10, 1_000_000).unwrap_err();
    assert!(e.to_string().contains("offset 10"), "{e}");
}

#[test]
fn hostile_content_length_and_frame_headers_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.warc");
    std::fs::write(
        &p,
        b"WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 18446744073709551615\r\n\r\nabc",
    )
    .unwrap();
    let (good, bad) = lenient(&p);
    assert!(good.is_empty());
    assert!(!bad.is_empty());
    // Large but allowed Content-Length in a tiny file: a truncation, not a 4 GB allocation.
    std::fs::write(
        &p,
        b"WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 4000000000\r\n\r\nabc",
    )
    .unwrap();
    let (good, bad) = lenient(&p);
    assert!(good.is_empty());
    assert!(
        matches!(bad[0], ArchiveError::Truncated { offset: 0, .. }),
        "{bad:?}"
    );
    // zstd magic followed by junk.
    let p = dir.path().join("junk.warc.zst");
    let mut junk = vec![0x28, 0xB5, 0x2F, 0xFD];
    junk.extend((0..500u32).map(|i| (i * 7 + 3) as u8));
    std::fs::write(&p, &junk).unwrap();
    let (good, bad) = lenient(&p);
    assert!(good.is_empty());
    assert!(!bad.is_empty());
    assert_eq!(bad[0].offset(), Some(0));
}

#[test]
fn digest_mismatch_is_reported_with_offset_and_neighbours_survive() {
    let dir = tempfile::tempdir().unwrap();
    let good = |i: usize| {
        newsarc::archive::build::response(
            &format!("https://e.com/{i}"),
            super::t0(),
            super::html_response("<p>fine</p>"),
            None,
            &mut newsarc::archive::SeqIds::default(),
        )
    };
    let liar = good(1).with_header("WARC-Block-Digest", "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    let mut file = Vec::new();
    let mut offsets = Vec::new();
    for r in [good(0), liar, good(2)] {
        offsets.push(file.len() as u64);
        file.extend(zstd::bulk::compress(&r.to_bytes(), 3).unwrap());
    }
    let p = dir.path().join("liar.warc.zst");
    std::fs::write(&p, &file).unwrap();
    let mut good_n = 0;
    let mut errors = Vec::new();
    for item in ArchiveReader::open(&p)
        .unwrap()
        .lenient(true)
        .verify_digests(true)
    {
        match item {
            Ok(_) => good_n += 1,
            Err(e) => errors.push(e),
        }
    }
    assert_eq!(good_n, 2);
    assert_eq!(errors.len(), 1);
    assert!(matches!(
        errors[0],
        ArchiveError::DigestMismatch {
            header: "WARC-Block-Digest",
            ..
        }
    ));
    assert_names(&errors[0], &p, offsets[1]);
    // Without verification the record is readable as stored.
    assert_eq!(ArchiveReader::open(&p).unwrap().count(), 3);
}

/// Many random mutations (flips, cuts, insertions, zeroed runs) of a real archive: the
/// lenient reader, random access and the checker never panic and never invent records.
#[test]
fn random_mutations_never_panic() {
    let (_d, path, frames, bytes) = sample();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n.max(1) as u64) as usize
    };
    for round in 0..200 {
        let mut m = bytes.clone();
        match round % 4 {
            0 => {
                for _ in 0..1 + next(5) {
                    let i = next(m.len());
                    m[i] ^= 1 << next(8);
                }
            }
            1 => m.truncate(next(m.len())),
            2 => {
                let at = next(m.len());
                let junk: Vec<u8> = (0..next(300)).map(|_| next(256) as u8).collect();
                m.splice(at..at, junk);
            }
            _ => {
                let at = next(m.len());
                let end = (at + next(200)).min(m.len());
                m[at..end].fill(0);
            }
        }
        std::fs::write(&path, &m).unwrap();
        let (good, _bad) = lenient(&path);
        assert!(good.len() <= frames.len() + 1, "round {round}");
        for (off, len) in &frames {
            let _ = read_record_at(&path, *off, *len);
        }
        let _ = newsarc::archive::repair::check_file(&path, true, |_| {});
    }
}
