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

/// A chunked response as a WARC record whose payload digest covers `digested`.
fn chunked_response(i: u32, digested: &[u8]) -> Vec<u8> {
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n{}",
        String::from_utf8_lossy(CHUNKED_BODY)
    );
    format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://chunked.example.org/{i}\r\nWARC-Date: 2020-01-01T00:00:0{i}Z\r\nWARC-Record-ID: <urn:uuid:c0000000-0000-4000-8000-00000000000{i}>\r\nContent-Type: application/http; msgtype=response\r\nWARC-Block-Digest: {}\r\nWARC-Payload-Digest: {}\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        newsarc::archive::sha1_digest(http.as_bytes()),
        newsarc::archive::sha1_digest(digested),
        http.len()
    )
    .into_bytes()
}

const CHUNKED_BODY: &[u8] = b"7\r\n<p>news\r\n9\r\n at noon<\r\n3\r\n/p>\r\n0\r\n\r\n";
const DECHUNKED_BODY: &[u8] = b"<p>news at noon</p>";

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// WARC 1.1 digests a chunked payload de-chunked; wget, warcprox and warcio digest it as
/// transferred. Both are accepted by `import` and `verify` (exit 0), `-v` says which one a
/// file uses, and a digest that matches neither is still a mismatch.
#[test]
fn chunked_payload_digests_of_either_convention_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("both.warc");
    let mut data = chunked_response(1, DECHUNKED_BODY); // newsarc, Heritrix
    data.extend(chunked_response(2, CHUNKED_BODY)); // wget, warcprox, warcio
    std::fs::write(&good, &data).unwrap();
    let out_dir = dir.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args(["import", "-v"])
        .arg(&good)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("0 digest mismatches"), "{}", text(&o));
    assert!(
        text(&o).contains(
            "both.warc: payload digests: 1 de-chunked (WARC 1.1), 1 as transferred (wget/warcprox/warcio)"
        ),
        "{}",
        text(&o)
    );
    for (args, says) in [(vec!["verify"], false), (vec!["verify", "--verbose"], true)] {
        let v = Command::new(env!("CARGO_BIN_EXE_newsarc"))
            .args(&args)
            .arg(&out_dir)
            .output()
            .unwrap();
        assert_eq!(v.status.code(), Some(0), "{}", text(&v));
        assert!(text(&v).contains("0 problems"), "{}", text(&v));
        assert_eq!(text(&v).contains("1 as transferred"), says, "{}", text(&v));
    }

    let bad = dir.path().join("neither.warc");
    std::fs::write(&bad, chunked_response(3, b"<p>news")).unwrap();
    let o = import(&[&bad], &dir.path().join("out2"));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("neither.warc at offset 0: WARC-Payload-Digest mismatch"),
        "{}",
        text(&o)
    );
    assert!(
        text(&o).contains("1 digest mismatches (kept)"),
        "{}",
        text(&o)
    );
}

/// warcio's own capture (`capture_http`) of a chunked response from a server on 127.0.0.1:
/// warcio digests the payload as transferred; `import` keeps it with 0 mismatches and exit 0.
#[test]
fn warcio_capture_of_a_chunked_response_imports_clean() {
    const CAPTURE: &str = r#"
import socket, sys, threading, urllib.request
from warcio.capture_http import capture_http
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
port = srv.getsockname()[1]
def serve():
    c, _ = srv.accept()
    c.recv(65536)
    body = b"<html><body><p>chunked news</p></body></html>"
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
              b"Connection: close\r\n\r\n" + b"a\r\n" + body[:10] + b"\r\n"
              + b"%x\r\n" % (len(body) - 10) + body[10:] + b"\r\n0\r\n\r\n")
    c.close()
threading.Thread(target=serve, daemon=True).start()
with capture_http(sys.argv[1]):
    urllib.request.urlopen(f"http://127.0.0.1:{port}/news/1", timeout=10).read()
"#;
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("warcio.warc.gz");
    let py = Command::new(crate::python::python())
        .args(["-c", CAPTURE])
        .arg(&gz)
        .output()
        .unwrap();
    assert!(py.status.success(), "{}", text(&py));
    let check = crate::python::warcio()
        .args(["check", "-v"])
        .arg(&gz)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", text(&check));
    let raw = std::fs::read(&gz).unwrap();
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&raw[..]), &mut plain)
        .unwrap();
    assert!(
        String::from_utf8_lossy(&plain).contains("Transfer-Encoding: chunked"),
        "the capture must hold a chunked body"
    );
    let out_dir = dir.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args(["import", "--verbose"])
        .arg(&gz)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("0 digest mismatches"), "{}", text(&o));
    assert!(text(&o).contains("1 as transferred"), "{}", text(&o));
    let ls = Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .arg("ls")
        .arg(&out_dir)
        .output()
        .unwrap();
    let url = text(&ls)
        .split_whitespace()
        .find(|w| w.ends_with("/news/1"))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no /news/1 in {}", text(&ls)));
    let get = Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .arg("get")
        .arg(&out_dir)
        .arg(&url)
        .output()
        .unwrap();
    assert_eq!(get.status.code(), Some(0), "{}", text(&get));
    assert_eq!(
        String::from_utf8_lossy(&get.stdout),
        "<html><body><p>chunked news</p></body></html>"
    );
}
