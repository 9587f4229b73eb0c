//! Archives read from web servers and S3 (issue #12): `ls`, `get`, `verify`, `reparse` and
//! `export` over `http://` (nginx with Range support) and `s3://` (moto's S3 server) give what
//! they give on the local copy; `get` fetches only the index and ranges; a dropped connection
//! and a 403 end with clear errors and the README's exit codes, leaving nothing at `--out`;
//! `--inputs` / `--shard` parts concatenate to one job's output. Every server is on 127.0.0.1.

mod s3;
mod servers;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::Ordering;

use chrono::{DateTime, Duration, Utc};
use newsarc::archive::{ArchiveWriter, SeqIds, WriterConfig, build};
use newsarc::extract::{ExtractInput, ExtractOptions, extract};
use newsarc::selectors::RuleSet;

use servers::{Fault, fault_server, nginx};

/// Every page kind, so the fixture pages are all exported whatever their kind.
const ALL_KINDS: &str =
    "article,liveblog,gallery,video,listing,forum,product,documentation,service,error,other";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `newsarc ARGS` with no AWS settings from the caller's environment, plus `env`.
fn newsarc_env(args: &[&str], env: &[(&str, String)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsarc"));
    c.args(args).current_dir(repo());
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") {
            c.env_remove(k);
        }
    }
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    eprintln!("newsarc {args:?}\n{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn newsarc(args: &[&str]) -> Output {
    newsarc_env(args, &[])
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The fixture pages, as (URL, HTML).
fn pages() -> Vec<(String, Vec<u8>)> {
    let files = [
        "bbc/guns.html",
        "cnn/birth-lottery.html",
        "guardian/whales.html",
        "lemonde/renseignement.html",
        "nytimes/sudan.html",
        "seattletimes/halibut.html",
        "telegraph/zimbabwe.html",
        "washingtonpost/north-africa.html",
        "hstoday/page.html",
    ];
    files
        .iter()
        .map(|f| {
            let html = std::fs::read(repo().join("tests/fixtures").join(f)).unwrap();
            (format!("https://news.example/{f}"), html)
        })
        .collect()
}

fn http(body: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    v.extend_from_slice(body);
    v
}

/// `files` archive files in `dir`, as a crawl writes them: each page's response followed by
/// its conversion record (the pages spread over the files), each file with its CDXJ.
fn parsed_archives(dir: &Path, files: usize) -> Vec<PathBuf> {
    let t0 = DateTime::parse_from_rfc3339("2024-05-03T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let mut ids = SeqIds::default();
    let pages = pages();
    let per = pages.len().div_ceil(files);
    let mut out = Vec::new();
    for (i, chunk) in pages.chunks(per).enumerate() {
        let start = t0 + Duration::hours(i as i64);
        let mut w = ArchiveWriter::open(WriterConfig::new(dir), start).unwrap();
        for (j, (url, html)) in chunk.iter().enumerate() {
            let at = start + Duration::seconds(j as i64);
            let resp = build::response(url, at, http(html), None, &mut ids);
            w.write(&resp).unwrap();
            let input = ExtractInput::new(html, url);
            let article = extract(&input, &RuleSet::empty(), &ExtractOptions::default()).article;
            let of = build::ParseOf {
                record_id: resp.id().unwrap(),
                captured: at,
            };
            let json = serde_json::to_vec(&article).unwrap();
            w.write(&build::conversion(
                url,
                at,
                json,
                of,
                "newsarc/test",
                None,
                &mut ids,
            ))
            .unwrap();
        }
        out.extend(w.finish().unwrap());
    }
    out.sort();
    out
}

fn name(p: &Path) -> &str {
    p.file_name().unwrap().to_str().unwrap()
}

/// Export `inputs` (plus `extra` flags) to `out` and return the output's bytes.
fn export(inputs: &[&str], format: &str, out: &Path, extra: &[&str]) -> Vec<u8> {
    let o = out.to_str().unwrap();
    let mut args = vec![
        "export", "--quiet", "--format", format, "--out", o, "--kinds", ALL_KINDS,
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(inputs);
    let r = newsarc(&args);
    assert!(r.status.success(), "export failed: {}", stderr(&r));
    std::fs::read(out).unwrap()
}

#[test]
fn http_inputs_read_like_the_local_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("www");
    std::fs::create_dir_all(&root).unwrap();
    let files = parsed_archives(&root, 2);
    let srv = nginx(&root, &tmp.path().join("nginx"));
    let local = files[0].to_str().unwrap();
    let url = format!("{}/{}", srv.base(), name(&files[0]));

    let ls_local = newsarc(&["ls", local]);
    let ls_http = newsarc(&["ls", &url]);
    assert!(ls_http.status.success());
    assert!(!ls_local.stdout.is_empty());
    assert_eq!(ls_http.stdout, ls_local.stdout);

    let v = newsarc(&["verify", &url]);
    assert!(v.status.success(), "verify over http: {}", stderr(&v));
    assert!(stderr(&v).contains("0 problems"));

    let urls: Vec<String> = files
        .iter()
        .map(|f| format!("{}/{}", srv.base(), name(f)))
        .collect();
    let url_refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let local_refs: Vec<&str> = files.iter().map(|f| f.to_str().unwrap()).collect();
    let a = export(&local_refs, "jsonl", &tmp.path().join("local.jsonl"), &[]);
    let b = export(&url_refs, "jsonl", &tmp.path().join("http.jsonl"), &[]);
    assert_eq!(String::from_utf8_lossy(&a).lines().count(), pages().len());
    assert_eq!(a, b);
    let card = std::fs::read_to_string(tmp.path().join("http.jsonl.schema.md")).unwrap();
    assert!(card.contains(&urls[0]), "the card names the URLs read");
    // Streamed: one GET per file for the export, no Range needed.
    let log = srv.access_log();
    assert!(
        log.iter()
            .all(|l| l.contains(" 200 ") || l.contains(" 206 ")),
        "{log:?}"
    );
}

#[test]
fn get_over_http_fetches_the_index_and_one_range() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("www");
    std::fs::create_dir_all(&root).unwrap();
    let files = parsed_archives(&root, 1);
    let size = std::fs::metadata(&files[0]).unwrap().len();
    let srv = nginx(&root, &tmp.path().join("nginx"));
    let url = format!("{}/{}", srv.base(), name(&files[0]));
    let page = "https://news.example/guardian/whales.html";
    let local = newsarc(&["get", files[0].to_str().unwrap(), page]);
    let remote = newsarc(&["get", &url, page]);
    assert!(remote.status.success(), "{}", stderr(&remote));
    assert!(remote.stdout.len() > 1000);
    assert_eq!(remote.stdout, local.stdout);
    let parsed = newsarc(&["get", &url, page, "--parsed"]);
    let article: serde_json::Value = serde_json::from_slice(&parsed.stdout).unwrap();
    assert_eq!(article["url"], page);

    let log = srv.access_log();
    // Per run: the index, a HEAD for the size, the 8-byte dictionary probe, one record.
    let warc: Vec<&String> = log
        .iter()
        .filter(|l| l.starts_with("GET ") && l.contains(".warc.zst"))
        .filter(|l| !l.contains("\"bytes=0-7\""))
        .collect();
    assert_eq!(warc.len(), 2, "one range per record read: {log:?}");
    let mut sent = 0u64;
    for l in &warc {
        assert!(
            l.contains(" 206 ") && l.contains("\"bytes="),
            "not a range request: {l}"
        );
        sent += l.split(' ').nth(3).unwrap().parse::<u64>().unwrap();
    }
    assert!(sent < size, "{sent} of {size} bytes fetched");
    assert!(
        log.iter()
            .any(|l| l.contains(".cdxj") && l.contains(" 200 "))
    );
}

#[test]
fn dropped_connection_is_retried_then_named_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let files = parsed_archives(tmp.path(), 1);
    let data = std::fs::read(&files[0]).unwrap();
    let cut = data.len() / 2;
    let (base, hits) = fault_server(data, Fault::DropAt(cut));
    let url = format!("{base}/{}", name(&files[0]));
    let out = tmp.path().join("out.jsonl");
    let r = newsarc(&[
        "export",
        &url,
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(3), "fatal per the README's table");
    let err = stderr(&r);
    assert!(err.contains(&url), "{err}");
    assert!(err.contains(&format!("byte offset {cut}")), "{err}");
    assert!(err.contains("after 4 tries"), "{err}");
    assert!(hits.load(Ordering::SeqCst) >= 4, "retried");
    assert!(!out.exists());
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("out"))
        .collect();
    assert!(left.is_empty(), "half-written output left: {left:?}");

    // reparse: the same error, and the archive file it had started is removed.
    let parsed = tmp.path().join("parsed");
    let r = newsarc(&[
        "reparse",
        &url,
        "--force",
        "--quiet",
        "--no-site-rules",
        "--out",
        parsed.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(3));
    assert!(stderr(&r).contains(&format!("byte offset {cut}")));
    let kept: Vec<_> = std::fs::read_dir(&parsed)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(kept.is_empty(), "files left by a failed reparse: {kept:?}");

    // ls streams what it got, then names the place it stopped; the exit code says "partial".
    let ls = newsarc(&["ls", &url]);
    assert_eq!(ls.status.code(), Some(1));
    assert!(stderr(&ls).contains(&format!("byte offset {cut}")));
}

#[test]
fn forbidden_is_a_clear_usage_error() {
    let (base, _) = fault_server(Vec::new(), Fault::Forbidden);
    let url = format!("{base}/private.warc.zst");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x.jsonl");
    for args in [
        vec!["ls", url.as_str()],
        vec![
            "export",
            url.as_str(),
            "--format",
            "jsonl",
            "--out",
            out.to_str().unwrap(),
        ],
    ] {
        let r = newsarc(&args);
        assert_eq!(r.status.code(), Some(2), "{args:?}");
        let err = stderr(&r);
        assert!(err.contains("access denied") && err.contains(&url), "{err}");
        assert!(err.contains("--anonymous"), "says what to do: {err}");
    }
    assert!(!out.exists());
}

#[test]
fn bad_urls_are_usage_errors() {
    for (arg, says) in [
        ("ftp://host/x.warc.gz", "unsupported scheme"),
        ("s3:///key.warc.gz", "no bucket"),
        ("http://127.0.0.1:9/dir/", "cannot list a folder"),
        (
            "http://127.0.0.1:9/x.warc.zst?X-Amz-Signature=SECRET",
            "query string",
        ),
        ("http://u:SECRET@127.0.0.1:9/x.warc.zst", "credentials"),
    ] {
        let r = newsarc(&["ls", arg]);
        assert_eq!(r.status.code(), Some(2), "{arg}");
        assert!(stderr(&r).contains(says), "{arg}: {}", stderr(&r));
        assert!(!stderr(&r).contains("SECRET"), "{arg}: {}", stderr(&r));
    }
}

#[test]
fn shards_concatenate_to_one_jobs_output() {
    let tmp = tempfile::tempdir().unwrap();
    let arch = tmp.path().join("a");
    std::fs::create_dir_all(&arch).unwrap();
    let files = parsed_archives(&arch, 5);
    assert_eq!(files.len(), 5);
    // The list in another order, with a comment and a blank line: sorted before the split.
    let mut list = String::from("# five files\n\n");
    for f in files.iter().rev() {
        list.push_str(&format!("{}\n", f.display()));
    }
    let list_path = tmp.path().join("inputs.txt");
    std::fs::write(&list_path, list).unwrap();
    let l = list_path.to_str().unwrap();
    for format in ["jsonl", "csv", "warc.gz"] {
        let whole = export(
            &[],
            format,
            &tmp.path().join(format!("all.{format}")),
            &["--inputs", l],
        );
        let mut joined = Vec::new();
        for i in 0..3 {
            let shard = format!("{i}/3");
            let out = tmp.path().join(format!("part{i}.{format}"));
            joined.extend(export(
                &[],
                format,
                &out,
                &["--inputs", l, "--shard", &shard],
            ));
        }
        assert!(!whole.is_empty());
        assert_eq!(
            joined, whole,
            "{format}: parts concatenated differ from one job"
        );
    }
    let csv = std::fs::read_to_string(tmp.path().join("part1.csv")).unwrap();
    assert!(
        !csv.starts_with("url,") && !csv.contains("\nurl,"),
        "header only in part 0"
    );

    // More parts than files: the extra parts are empty, not errors.
    let out = tmp.path().join("empty.jsonl");
    assert!(export(&[], "jsonl", &out, &["--inputs", l, "--shard", "0/8"]).is_empty());

    // Bad --shard values are usage errors.
    let r = newsarc(&[
        "export", "--inputs", l, "--shard", "3/3", "--format", "jsonl", "--out", "x",
    ]);
    assert_eq!(r.status.code(), Some(2));
    assert!(stderr(&r).contains("0 <= I < N"));
}

#[test]
fn sharded_reparse_jobs_write_their_own_files() {
    let tmp = tempfile::tempdir().unwrap();
    let arch = tmp.path().join("a");
    std::fs::create_dir_all(&arch).unwrap();
    parsed_archives(&arch, 3);
    let out = tmp.path().join("parsed");
    let o = out.to_str().unwrap();
    let a = arch.to_str().unwrap();
    for i in 0..2 {
        let shard = format!("{i}/2");
        let r = newsarc(&[
            "reparse",
            a,
            "--force",
            "--no-site-rules",
            "--quiet",
            "--out",
            o,
            "--shard",
            &shard,
        ]);
        assert!(r.status.success());
    }
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".warc.zst"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names[0].starts_with("newsarc-shard0000of0002-"),
        "{names:?}"
    );
    assert!(
        names[1].starts_with("newsarc-shard0001of0002-"),
        "{names:?}"
    );
    // Together they hold one new parse per page.
    let ls = newsarc(&["ls", o]);
    let conv = String::from_utf8_lossy(&ls.stdout)
        .lines()
        .filter(|l| l.contains("conversion"))
        .count();
    assert_eq!(conv, pages().len());
}

#[test]
fn library_reader_over_a_url_outlives_its_handles() {
    use newsarc::archive::ArchiveReader;
    use newsarc::store::{Location, Stores};
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("www");
    std::fs::create_dir_all(&root).unwrap();
    let files = parsed_archives(&root, 1);
    let srv = nginx(&root, &tmp.path().join("nginx"));
    let url = format!("{}/{}", srv.base(), name(&files[0]));
    // What a binding does: parse, open, make a reader, and drop everything else.
    let reader = {
        let stores = Stores::default();
        let src = stores.open(&Location::parse(&url).unwrap()).unwrap();
        ArchiveReader::from_source(src.as_ref()).unwrap()
    };
    let remote: Vec<(u64, String)> = reader
        .map(|r| r.unwrap())
        .map(|r| (r.offset, r.record.id().unwrap().to_string()))
        .collect();
    let local: Vec<(u64, String)> = ArchiveReader::open(&files[0])
        .unwrap()
        .map(|r| r.unwrap())
        .map(|r| (r.offset, r.record.id().unwrap().to_string()))
        .collect();
    assert_eq!(remote.len(), 2 * pages().len() + 1, "warcinfo + pairs");
    assert_eq!(remote, local);
}
