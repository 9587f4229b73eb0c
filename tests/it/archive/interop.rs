//! Interop: independent readers (FastWARC on the `.warc.zst`; warcio `check`/`index` on the
//! plain-zstd-decompressed file) see every record with the right type, URL and digests.

use std::path::{Path, PathBuf};
use std::process::Command;

use newsarc::archive::ArchiveReader;

use newsarc::archive::{SeqIds, sha1_digest};

use super::{sample_records, write_records};
use crate::python::{python, warcio};

/// The sample without its chunked response (see `chunked_payload_digest_follows_warc_1_1`).
fn write_unchunked(dir: &Path) -> Vec<PathBuf> {
    let mut recs = sample_records(&mut SeqIds::default());
    recs.remove(2);
    write_records(dir, recs).2
}

const FASTWARC: &str = r#"
import sys, json
from fastwarc.warc import ArchiveIterator, WarcRecordType
names = {int(getattr(WarcRecordType, n)): n for n in
         ["warcinfo","response","resource","request","metadata","revisit","conversion"]}
path = sys.argv[1]
for rec in ArchiveIterator(open(path, 'rb'), record_types=WarcRecordType.any_type, parse_http=False):
    h = rec.headers
    print(json.dumps({"type": names.get(int(rec.record_type), "?"), "url": h.get('WARC-Target-URI'),
        "id": rec.record_id, "pos": rec.stream_pos, "block_ok": rec.verify_block_digest(),
        "block_digest": h.get('WARC-Block-Digest'), "payload_digest": h.get('WARC-Payload-Digest')}))
ok = [rec.verify_payload_digest() for rec in ArchiveIterator(open(path, 'rb'),
      record_types=WarcRecordType.response, parse_http=True)]
print(json.dumps({"payload_ok": ok}))
print(json.dumps({"verified_count": sum(1 for _ in ArchiveIterator(open(path, 'rb'),
      record_types=WarcRecordType.any_type, verify_digests=True))}))
"#;

#[test]
fn fastwarc_reads_every_record_with_type_url_and_digests() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_unchunked(dir.path());
    let ours: Vec<_> = ArchiveReader::open(&files[0])
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let out = Command::new(python())
        .args(["-c", FASTWARC])
        .arg(&files[0])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "fastwarc failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), ours.len() + 2, "{stdout}");
    for (theirs, mine) in lines.iter().zip(&ours) {
        let r = &mine.record;
        assert_eq!(theirs["type"], r.record_type().as_str(), "{theirs}");
        assert_eq!(theirs["url"].as_str(), r.target_uri(), "{theirs}");
        assert_eq!(theirs["id"].as_str(), r.id(), "{theirs}");
        assert_eq!(theirs["pos"].as_u64(), Some(mine.offset), "{theirs}");
        assert_eq!(theirs["block_ok"], true, "{theirs}");
        assert_eq!(
            theirs["block_digest"].as_str(),
            r.headers.get("WARC-Block-Digest")
        );
        assert_eq!(
            theirs["payload_digest"].as_str(),
            r.headers.get("WARC-Payload-Digest")
        );
    }
    let payload_ok = &lines[ours.len()]["payload_ok"];
    assert_eq!(payload_ok, &serde_json::json!([true]), "{stdout}");
    assert_eq!(
        lines[ours.len() + 1]["verified_count"].as_u64(),
        Some(ours.len() as u64)
    );
}

#[test]
fn plain_zstd_decompression_passes_warcio_check_and_index() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_unchunked(dir.path());
    let ours: Vec<_> = ArchiveReader::open(&files[0])
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    // Any zstd decoder gets the plain WARC: frames simply concatenate.
    let plain = zstd::stream::decode_all(&std::fs::read(&files[0]).unwrap()[..]).unwrap();
    let expected: Vec<u8> = ours.iter().flat_map(|r| r.record.to_bytes()).collect();
    assert_eq!(plain, expected);
    let warc = dir.path().join("plain.warc");
    std::fs::write(&warc, &plain).unwrap();

    let check = warcio().args(["check", "-v"]).arg(&warc).output().unwrap();
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "warcio check failed:\n{text}\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(!text.contains("fail"), "{text}");

    let index = warcio()
        .args(["index", "-f", "warc-type,warc-target-uri,offset,length"])
        .arg(&warc)
        .output()
        .unwrap();
    assert!(index.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&index.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), ours.len());
    let mut offset = 0u64;
    for (theirs, mine) in lines.iter().zip(&ours) {
        assert_eq!(theirs["warc-type"], mine.record.record_type().as_str());
        assert_eq!(theirs["warc-target-uri"].as_str(), mine.record.target_uri());
        assert_eq!(theirs["offset"].as_str(), Some(offset.to_string().as_str()));
        offset += mine.record.serialized_len() as u64;
    }
}

/// WARC 1.1 §6.3.2 defines the payload of an HTTP response as the entity-body "with any
/// transfer-encoding removed"; newsarc digests the de-chunked body (as wget and current
/// Heritrix do). warcio and FastWARC digest the still-chunked bytes (warcio issues #74/#75),
/// so on a chunked record they — and only they — disagree, and exactly by that difference.
#[test]
fn chunked_payload_digest_follows_warc_1_1() {
    let dir = tempfile::tempdir().unwrap();
    let recs = sample_records(&mut SeqIds::default());
    let chunked = recs[2].clone();
    let (_, _, files) = write_records(dir.path(), vec![chunked.clone()]);
    let head_end = chunked
        .block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap()
        + 4;
    let raw_body = &chunked.block[head_end..];
    assert_eq!(
        chunked.headers.get("WARC-Payload-Digest").unwrap(),
        sha1_digest(b"hello world")
    );
    assert_ne!(sha1_digest(raw_body), sha1_digest(b"hello world"));
    let plain = zstd::stream::decode_all(&std::fs::read(&files[0]).unwrap()[..]).unwrap();
    let warc = dir.path().join("chunked.warc");
    std::fs::write(&warc, &plain).unwrap();
    let check = warcio().args(["check", "-v"]).arg(&warc).output().unwrap();
    let text = String::from_utf8_lossy(&check.stdout);
    // The block digest passes; only the payload digest is disputed.
    assert_eq!(text.matches("failed").count(), 1, "{text}");
    assert!(text.contains("payload digest failed"), "{text}");
    // Our own reader checks the WARC 1.1 definition and passes.
    for r in ArchiveReader::open(&files[0]).unwrap().verify_digests(true) {
        r.unwrap();
    }
}

/// FastWARC also reads files whose frames use a dictionary stored in the leading skippable
/// frame (the WARC-zstd proposal), as `WriterConfig::dictionary` writes them.
#[test]
fn fastwarc_reads_dictionary_archives() {
    use newsarc::archive::{ArchiveWriter, WriterConfig};
    let dir = tempfile::tempdir().unwrap();
    let samples: Vec<Vec<u8>> = (0..60)
        .map(|i| super::html_response(&format!("<p>story {i}</p>{}", "news ".repeat(i))))
        .collect();
    let mut cfg = WriterConfig::new(dir.path());
    cfg.dictionary = Some(zstd::dict::from_samples(&samples, 2048).unwrap());
    let mut w = ArchiveWriter::open(cfg, super::t0()).unwrap();
    let mut recs = sample_records(&mut SeqIds::default());
    recs.remove(2);
    for r in &recs {
        w.write(r).unwrap();
    }
    let files = w.finish().unwrap();
    let out = Command::new(python())
        .args(["-c", FASTWARC])
        .arg(&files[0])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), recs.len() + 1 + 2, "{stdout}");
    for (theirs, mine) in lines[1..].iter().zip(&recs) {
        assert_eq!(theirs["id"].as_str(), mine.id());
        assert_eq!(theirs["block_ok"], true);
    }
}
