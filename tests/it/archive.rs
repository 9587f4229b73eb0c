//! Archive layer: round trips of every record type, index lookups, crash repair, bad input,
//! and interop with independent readers (fastwarc, warcio, plain zstd).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use newsarc::archive::cdxj::{self, Index};
use newsarc::archive::{
    ArchiveError, ArchiveReader, ArchiveWriter, IdGen, Record, RecordType, RefersTo, SeqIds,
    WriterConfig, Written, build, read_record_at,
};

pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-05-03T10:00:00.123456Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub fn html_response(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// One record of every type newsarc writes, in writing order.
pub fn sample_records(ids: &mut dyn IdGen) -> Vec<Record> {
    let url = "https://news.example.com/2024/05/story?id=7";
    let req = build::request(
        url,
        t0(),
        b"GET /2024/05/story?id=7 HTTP/1.1\r\nHost: news.example.com\r\n\r\n".to_vec(),
        ids,
    );
    let resp = build::response(
        url,
        t0(),
        html_response("<html><body><h1>Story</h1><p>Text</p></body></html>"),
        Some("127.0.0.1".parse().unwrap()),
        ids,
    )
    .with_concurrent_to(req.id().unwrap());
    let req = req.with_concurrent_to(resp.id().unwrap());
    let chunked = build::response(
        "https://news.example.com/chunked",
        t0(),
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n".to_vec(),
        None,
        ids,
    );
    let refers = RefersTo {
        record_id: resp.id().unwrap().to_string(),
        target_uri: url.to_string(),
        date: t0(),
    };
    let later = t0() + Duration::hours(1);
    let rev = build::revisit_identical(
        url,
        later,
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec(),
        resp.headers.get("WARC-Payload-Digest").unwrap(),
        &refers,
        ids,
    );
    let nm = build::revisit_not_modified(
        url,
        later + Duration::hours(1),
        b"HTTP/1.1 304 Not Modified\r\n\r\n".to_vec(),
        Some(&refers),
        ids,
    );
    let conv = build::conversion(
        url,
        t0(),
        br#"{"schema":1,"title":"Story"}"#.to_vec(),
        build::ParseOf {
            record_id: resp.id().unwrap(),
            captured: resp.date().unwrap(),
        },
        "newsarc/0.1.0",
        Some("example@abc123"),
        ids,
    );
    let meta = build::metadata(
        url,
        t0(),
        b"outlinks: https://news.example.com/other\r\n".to_vec(),
        resp.id(),
        ids,
    );
    vec![req, resp, chunked, rev, nm, conv, meta]
}

pub fn write_sample(dir: &Path) -> (Vec<Record>, Vec<Written>, Vec<PathBuf>) {
    let mut ids = SeqIds::default();
    write_records(dir, sample_records(&mut ids))
}

/// Write `recs` into a fresh archive in `dir`.
pub fn write_records(dir: &Path, recs: Vec<Record>) -> (Vec<Record>, Vec<Written>, Vec<PathBuf>) {
    let mut w =
        ArchiveWriter::open_with_ids(WriterConfig::new(dir), t0(), Box::new(SeqIds::default()))
            .unwrap();
    let written: Vec<Written> = recs.iter().map(|r| w.write(r).unwrap()).collect();
    let files = w.finish().unwrap();
    (recs, written, files)
}

fn assert_same_record(got: &Record, want: &Record) {
    for (n, v) in want.headers.iter() {
        assert_eq!(got.headers.get(n), Some(v), "header {n}");
    }
    assert_eq!(got.block, want.block);
    assert!(got.headers.get("WARC-Warcinfo-ID").is_some());
}

#[test]
fn every_record_type_round_trips_byte_exact_and_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let (recs, written, files) = write_sample(dir.path());
    assert_eq!(files.len(), 1);
    let name = files[0].file_name().unwrap().to_str().unwrap();
    assert_eq!(name, "newsarc-20240503100000-00001.warc.zst");
    assert!(cdxj::cdxj_path(&files[0]).exists());

    // Streaming: warcinfo first, then the records in order, each byte-exact on re-serialization.
    let read: Vec<_> = ArchiveReader::open(&files[0])
        .unwrap()
        .verify_digests(true)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(read.len(), recs.len() + 1);
    assert_eq!(read[0].record.record_type(), RecordType::Warcinfo);
    assert_eq!(read[0].offset, 0);
    for ((r, want), w) in read[1..].iter().zip(&recs).zip(&written) {
        assert_same_record(&r.record, want);
        assert_eq!((r.offset, r.length), (w.offset, w.length));
        // Random access gives the very same bytes.
        let again = read_record_at(&files[0], w.offset, w.length).unwrap();
        assert_eq!(again.to_bytes(), r.record.to_bytes());
        assert_eq!(again.headers.get("WARC-Warcinfo-ID"), read[0].record.id());
    }
    let types: Vec<_> = read.iter().map(|r| r.record.record_type()).collect();
    assert_eq!(
        types,
        [
            RecordType::Warcinfo,
            RecordType::Request,
            RecordType::Response,
            RecordType::Response,
            RecordType::Revisit,
            RecordType::Revisit,
            RecordType::Conversion,
            RecordType::Metadata
        ]
    );
    // Chunked payload digest is over the de-chunked body.
    assert_eq!(
        read[3].record.headers.get("WARC-Payload-Digest").unwrap(),
        newsarc::archive::sha1_digest(b"hello world")
    );

    // The index finds the response, both revisits, the conversion and the metadata.
    let index = Index::load(&files).unwrap();
    let hits = index.lookup("https://news.example.com/2024/05/story?id=7");
    let kinds: Vec<&str> = hits.iter().map(|e| e.record_type.as_str()).collect();
    assert_eq!(hits.len(), 5, "{kinds:?}");
    for k in ["response", "revisit", "conversion", "metadata"] {
        assert!(kinds.contains(&k), "{kinds:?}");
    }
    let resp = hits.iter().find(|e| e.record_type == "response").unwrap();
    assert_eq!(resp.status, Some(200));
    assert_eq!(resp.mime.as_deref(), Some("text/html"));
    assert_eq!(resp.timestamp, "20240503100000");
    let rec = read_record_at(&resp.path, resp.offset, resp.length).unwrap();
    assert_eq!(rec.id(), recs[1].id());
    assert_eq!(
        rec.http().unwrap().decoded_body().unwrap(),
        b"<html><body><h1>Story</h1><p>Text</p></body></html>"
    );
    // The index file itself is sorted.
    let text = std::fs::read_to_string(cdxj::cdxj_path(&files[0])).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
}

#[test]
fn writer_rotates_by_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = WriterConfig::new(dir.path());
    cfg.max_file_size = 2048;
    let mut w = ArchiveWriter::open(cfg, t0()).unwrap();
    let mut ids = SeqIds::default();
    for i in 0..20 {
        let body: String = (0..200).map(|j| format!("{i}-{j} ")).collect();
        let r = build::response(
            &format!("https://e.com/{i}"),
            t0() + Duration::seconds(i),
            html_response(&body),
            None,
            &mut ids,
        );
        w.write(&r).unwrap();
    }
    let files = w.finish().unwrap();
    assert!(files.len() > 2, "{files:?}");
    let index = Index::load(&files).unwrap();
    assert_eq!(index.entries().len(), 20);
    for f in &files {
        let n = ArchiveReader::open(f).unwrap().count();
        assert!(n >= 2, "every file starts with warcinfo: {f:?}");
        assert!(cdxj::cdxj_path(f).exists());
    }
}

#[test]
fn reopening_after_kill_repairs_the_cut_tail() {
    let dir = tempfile::tempdir().unwrap();
    let mut ids = SeqIds::default();
    let recs = sample_records(&mut ids);
    let mut w = ArchiveWriter::open(WriterConfig::new(dir.path()), t0()).unwrap();
    let mut last = None;
    for r in &recs {
        last = Some(w.write(r).unwrap());
    }
    let last = last.unwrap();
    let path = last.path.clone();
    // Simulate kill -9: no finish, no Drop, then half a frame written.
    std::mem::forget(w);
    let whole = std::fs::read(&path).unwrap();
    let good_len = whole.len() as u64;
    let frame = whole[last.offset as usize..].to_vec();
    let mut cut = whole.clone();
    cut.extend_from_slice(&frame[..frame.len() / 2]);
    std::fs::write(&path, &cut).unwrap();
    assert!(!cdxj::cdxj_path(&path).exists());

    let w = ArchiveWriter::open(WriterConfig::new(dir.path()), t0()).unwrap();
    let rep = w.repaired();
    assert_eq!(rep.len(), 1);
    assert_eq!(rep[0].truncated, Some((cut.len() as u64, good_len)));
    assert_eq!(std::fs::metadata(&path).unwrap().len(), good_len);
    assert!(cdxj::cdxj_path(&path).exists());
    drop(w);
    let n = ArchiveReader::open(&path)
        .unwrap()
        .collect::<Result<Vec<_>, ArchiveError>>()
        .unwrap()
        .len();
    assert_eq!(n, recs.len() + 1);

    // The next file gets the next serial.
    let mut w = ArchiveWriter::open(WriterConfig::new(dir.path()), t0()).unwrap();
    let written = w.write(&recs[1]).unwrap();
    assert!(written.path.to_string_lossy().ends_with("-00002.warc.zst"));
}

mod bad_input;
mod commands;
mod import;
mod interop;

#[test]
fn reads_files_with_a_dictionary_frame() {
    use newsarc::archive::frame::{DICT_MAGIC, skippable_frame};
    let dir = tempfile::tempdir().unwrap();
    let recs = sample_records(&mut SeqIds::default());
    let samples: Vec<Vec<u8>> = (0..50)
        .map(|i| {
            build::response(
                &format!("https://e.com/{i}"),
                t0(),
                html_response(&format!("<p>sample {i} {}</p>", "lorem ipsum ".repeat(i))),
                None,
                &mut SeqIds::default(),
            )
            .to_bytes()
        })
        .collect();
    let dict = zstd::dict::from_samples(&samples, 4096).unwrap();
    for compressed_dict in [false, true] {
        let data = if compressed_dict {
            zstd::bulk::compress(&dict, 3).unwrap()
        } else {
            dict.clone()
        };
        let mut file = skippable_frame(DICT_MAGIC, &data);
        let mut c = zstd::bulk::Compressor::with_dictionary(3, &dict).unwrap();
        let mut spans = Vec::new();
        for r in &recs {
            let f = c.compress(&r.to_bytes()).unwrap();
            spans.push((file.len() as u64, f.len() as u64));
            file.extend(f);
        }
        let p = dir.path().join(format!("dict-{compressed_dict}.warc.zst"));
        std::fs::write(&p, &file).unwrap();
        let got: Vec<_> = ArchiveReader::open(&p)
            .unwrap()
            .verify_digests(true)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(got.len(), recs.len());
        for ((g, want), (off, len)) in got.iter().zip(&recs).zip(&spans) {
            assert_eq!(g.record.to_bytes(), want.to_bytes());
            assert_eq!((g.offset, g.length), (*off, *len));
            assert_eq!(read_record_at(&p, *off, *len).unwrap(), g.record);
        }
    }
}

#[test]
fn reopening_removes_files_cut_before_their_first_record() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("newsarc-20240503100000-00001.warc.zst");
    std::fs::write(&empty, b"").unwrap();
    let mut frame = zstd::bulk::compress(&vec![b'x'; 5000], 3).unwrap();
    frame.truncate(frame.len() / 2);
    let cut = dir.path().join("newsarc-20240503100001-00002.warc.zst");
    std::fs::write(&cut, &frame).unwrap();
    let mut w = ArchiveWriter::open(WriterConfig::new(dir.path()), t0()).unwrap();
    assert!(!empty.exists() && !cut.exists());
    assert!(!cdxj::cdxj_path(&cut).exists());
    let written = w.write(&sample_records(&mut SeqIds::default())[1]).unwrap();
    assert!(written.path.to_string_lossy().ends_with("-00003.warc.zst"));
}

#[test]
fn writer_with_a_dictionary_stores_it_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let samples: Vec<Vec<u8>> = (0..60)
        .map(|i| {
            html_response(&format!(
                "<html><p>story {i}</p>{}</html>",
                "news ".repeat(i)
            ))
        })
        .collect();
    let mut cfg = WriterConfig::new(dir.path());
    cfg.dictionary = Some(zstd::dict::from_samples(&samples, 2048).unwrap());
    let mut w = ArchiveWriter::open(cfg, t0()).unwrap();
    let recs = sample_records(&mut SeqIds::default());
    let written: Vec<Written> = recs.iter().map(|r| w.write(r).unwrap()).collect();
    let files = w.finish().unwrap();
    let bytes = std::fs::read(&files[0]).unwrap();
    assert_eq!(&bytes[..4], &0x184D_2A5Du32.to_le_bytes());
    let read: Vec<_> = ArchiveReader::open(&files[0])
        .unwrap()
        .verify_digests(true)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(read.len(), recs.len() + 1);
    assert!(
        read[0].offset > 8,
        "warcinfo comes after the dictionary frame"
    );
    for (w, want) in written.iter().zip(&recs) {
        let r = read_record_at(&w.path, w.offset, w.length).unwrap();
        assert_same_record(&r, want);
    }
    let index = Index::load(&files).unwrap();
    assert_eq!(index.lookup("https://news.example.com/chunked").len(), 1);
    // Reopening sees a whole file (no repair) and continues with the next serial.
    let w = ArchiveWriter::open(WriterConfig::new(dir.path()), t0()).unwrap();
    assert!(w.repaired().is_empty());
}
