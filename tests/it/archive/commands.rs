//! The archive commands end to end: `ls`, `get`, `verify [--repair]`, `index`.

use std::path::Path;
use std::process::{Command, Output};

use newsarc::archive::cdxj;

use super::write_sample;

fn newsarc(args: &[&str], archive: &Path) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsarc"));
    c.arg(args[0]).arg(archive).args(&args[1..]);
    c.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn ls_lists_one_line_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let (_, written, _) = write_sample(dir.path());
    let out = newsarc(&["ls"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 8, "{stdout}");
    assert!(lines[0].contains("warcinfo"));
    let resp = lines[2];
    assert!(
        resp.trim_start()
            .starts_with(&written[1].offset.to_string()),
        "{resp}"
    );
    for part in [
        "response",
        "2024-05-03T10:00:00.123456Z",
        "200",
        "text/html",
        "https://news.example.com/2024/05/story?id=7",
    ] {
        assert!(resp.contains(part), "{part} missing in {resp}");
    }
    assert!(
        lines[5].contains("revisit") && lines[5].contains("304"),
        "{}",
        lines[5]
    );
}

#[test]
fn get_prints_payload_parsed_and_nearest() {
    let dir = tempfile::tempdir().unwrap();
    write_sample(dir.path());
    let url = "https://news.example.com/2024/05/story?id=7";
    // Newest capture is a 304 revisit: resolved to the original response's payload.
    let out = newsarc(&["get", url], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "<html><body><h1>Story</h1><p>Text</p></body></html>"
    );
    let out = newsarc(&["get", url, "--parsed"], dir.path());
    assert_eq!(text(&out.stdout).trim(), r#"{"schema":1,"title":"Story"}"#);
    let out = newsarc(&["get", url, "--at", "20240503100000"], dir.path());
    assert!(
        text(&out.stderr).contains("response 20240503100000"),
        "{}",
        text(&out.stderr)
    );
    let out = newsarc(&["get", url, "--at", "someday"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = newsarc(&["get", "https://nowhere.example/"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no capture of https://nowhere.example/"));
}

#[test]
fn verify_detects_and_repairs_a_crash_cut_tail() {
    let dir = tempfile::tempdir().unwrap();
    let (_, written, files) = write_sample(dir.path());
    let out = newsarc(&["verify"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("8 records, 0 problems"),
        "{}",
        text(&out.stderr)
    );

    let last = written.last().unwrap();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&files[0])
        .unwrap();
    f.set_len(last.offset + last.length / 2).unwrap();
    drop(f);
    let out = newsarc(&["verify"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains(&files[0].display().to_string()), "{err}");
    assert!(err.contains(&format!("offset {}", last.offset)), "{err}");
    assert!(err.contains("--repair"), "{err}");

    let out = newsarc(&["verify", "--repair"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::metadata(&files[0]).unwrap().len(), last.offset);
    let out = newsarc(&["verify"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("7 records, 0 problems"));
}

#[test]
fn verify_flags_a_stale_index_and_index_rebuilds_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, files) = write_sample(dir.path());
    let idx = cdxj::cdxj_path(&files[0]);
    let full = std::fs::read_to_string(&idx).unwrap();
    let first_line_dropped: String = full.lines().skip(1).map(|l| format!("{l}\n")).collect();
    std::fs::write(&idx, first_line_dropped).unwrap();
    let out = newsarc(&["verify"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("1 records missing from the index"),
        "{}",
        text(&out.stderr)
    );
    let out = newsarc(&["index"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&idx).unwrap(), full);
    // Damaged file: verify names file and offset; exit 1.
    let mut bytes = std::fs::read(&files[0]).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0xff;
    std::fs::write(&files[0], &bytes).unwrap();
    let out = newsarc(&["verify"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("offset"),
        "{}",
        text(&out.stderr)
    );
}

/// A real `kill -9` in the middle of writing: reopening repairs the tail, every kept record
/// is byte-exact, and `verify` is clean afterwards.
#[test]
fn kill_9_during_import_loses_at_most_the_record_in_flight() {
    use newsarc::archive::{ArchiveReader, ArchiveWriter, WriterConfig, build};
    let dir = tempfile::tempdir().unwrap();
    let mut ids = newsarc::archive::SeqIds::default();
    let mut input = Vec::new();
    let mut originals = Vec::new();
    for i in 0..400 {
        let body: String = (0..3000)
            .map(|j| format!("w{} ", (i * 7 + j) % 997))
            .collect();
        let r = build::response(
            &format!("https://e.com/{i}"),
            super::t0(),
            super::html_response(&body),
            None,
            &mut ids,
        );
        input.extend(r.to_bytes());
        originals.push(r.to_bytes());
    }
    let src = dir.path().join("big.warc");
    std::fs::write(&src, &input).unwrap();
    let out_dir = dir.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .arg("import")
        .arg(&src)
        .arg("--out")
        .arg(&out_dir)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();

    let w = ArchiveWriter::open(WriterConfig::new(&out_dir), super::t0()).unwrap();
    drop(w);
    let files = newsarc::archive::archive_files(std::slice::from_ref(&out_dir)).unwrap();
    assert!(!files.is_empty());
    let got: Vec<Vec<u8>> = ArchiveReader::open(&files[0])
        .unwrap()
        .skip(1)
        .map(|r| r.unwrap().record.to_bytes())
        .collect();
    eprintln!("kept {} of {} records", got.len(), originals.len());
    assert!(got.len() <= originals.len());
    assert_eq!(got[..], originals[..got.len()]);
    let out = newsarc(&["verify"], &out_dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}
