//! `newsarc import`: foreign `.warc`, `.warc.gz` (per-record and whole-file) and `.warc.zst`
//! come out as newsarc archives with every record kept byte for byte.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use newsarc::archive::cdxj::Index;
use newsarc::archive::{ArchiveReader, Record, RecordType, archive_files};

/// Records as another tool might write them: WARC/1.0, no space after colons, odd order.
fn foreign_records() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    out.push(b"WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Record-ID:<urn:uuid:f0000000-0000-4000-8000-000000000000>\r\nWARC-Date: 2020-01-01T00:00:00Z\r\nContent-Length: 17\r\nContent-Type: application/warc-fields\r\n\r\nsoftware: other\r\n\r\n\r\n".to_vec());
    for i in 0..3 {
        let body = format!("<html>page {i}</html>");
        let http = format!("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n{body}");
        let digest = newsarc::archive::sha1_digest(http.as_bytes());
        let payload = if i == 2 {
            "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_string() // wrong on purpose
        } else {
            newsarc::archive::sha1_digest(body.as_bytes())
        };
        out.push(format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://old.example.org/{i}\r\nWARC-Date: 2020-01-0{}T00:00:00Z\r\nWARC-Record-ID:<urn:uuid:f0000000-0000-4000-8000-00000000000{i}>\r\nContent-Type: application/http; msgtype=response\r\nWARC-Block-Digest: {digest}\r\nWARC-Payload-Digest: {payload}\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
            i + 1,
            http.len()
        ).into_bytes());
    }
    out
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn import(files: &[&Path], out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .arg("import")
        .args(files)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn import_keeps_every_record_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let recs = foreign_records();
    let plain: Vec<u8> = recs.concat();
    let per_record: Vec<u8> = recs.iter().flat_map(|r| gz(r)).collect();
    let whole = gz(&plain);
    let zst: Vec<u8> = recs
        .iter()
        .flat_map(|r| zstd::bulk::compress(r, 5).unwrap())
        .collect();
    let inputs = [
        ("a.warc", plain),
        ("b.warc.gz", per_record),
        ("c.warc.gz", whole),
        ("d.warc.zst", zst),
    ];
    let mut paths = Vec::new();
    for (name, data) in &inputs {
        let p = dir.path().join(name);
        std::fs::write(&p, data).unwrap();
        paths.push(p);
    }
    let out_dir = dir.path().join("out");
    let refs: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    let out = import(&refs, &out_dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // One wrong payload digest per input: reported (file + offset), record still kept.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("16 records"), "{stderr}");
    assert!(stderr.contains("4 digest mismatches (kept)"), "{stderr}");
    assert!(stderr.contains("a.warc at offset"), "{stderr}");

    let files = archive_files(std::slice::from_ref(&out_dir)).unwrap();
    assert_eq!(files.len(), 1);
    let got: Vec<Record> = ArchiveReader::open(&files[0])
        .unwrap()
        .map(|r| r.unwrap().record)
        .collect();
    assert_eq!(got[0].record_type(), RecordType::Warcinfo);
    assert_eq!(got.len(), 1 + 16);
    for (i, rec) in got[1..].iter().enumerate() {
        assert_eq!(rec.to_bytes(), recs[i % 4], "record {i} not byte-exact");
    }
    let index = Index::load(&files).unwrap();
    assert_eq!(index.lookup("http://old.example.org/1").len(), 4);
}

#[test]
fn import_of_unreadable_input_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.warc");
    std::fs::write(&bad, b"<html>not a warc</html>").unwrap();
    let out = import(&[&bad], &dir.path().join("out"));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.warc") && stderr.contains("not a WARC file"),
        "{stderr}"
    );
}
