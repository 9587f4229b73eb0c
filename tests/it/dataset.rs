//! Re-parse and export: conversions appended (never rewritten), skip when current, datasets
//! read back by independent readers (pyarrow, duckdb, warcio).

use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, Utc};
use newsarc::archive::{ArchiveReader, ArchiveWriter, RecordType, SeqIds, WriterConfig, build};

use crate::python::{python, warcio};

const SEED_URL: &str = "https://www.hstoday.us/featured/third-high-level-conference-of-heads-of-counterterrorism-agencies-concludes-with-calls-for-reinvigorating-multilateralism/";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn newsarc(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap();
    eprintln!("newsarc {args:?}\n{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn http(body: &[u8], ctype: &str) -> Vec<u8> {
    let mut v = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    v.extend_from_slice(body);
    v
}

/// An archive as a crawl without parsing would leave it: the seed page twice (the second a
/// revisit), one devset page, one image.
fn raw_archive(dir: &Path) {
    let seed = std::fs::read(repo().join("tests/fixtures/hstoday/page.html")).unwrap();
    let other = std::fs::read(repo().join("tests/fixtures/bbc/guns.html")).unwrap();
    let mut ids = SeqIds::default();
    let mut w = ArchiveWriter::open(WriterConfig::new(dir), t("2024-05-03T10:00:00Z")).unwrap();
    let first = build::response(
        SEED_URL,
        t("2024-05-03T10:00:01Z"),
        http(&seed, "text/html; charset=utf-8"),
        None,
        &mut ids,
    );
    w.write(&first).unwrap();
    let digest = first
        .headers
        .get("WARC-Payload-Digest")
        .unwrap()
        .to_string();
    let refers = newsarc::archive::RefersTo {
        record_id: first.id().unwrap().to_string(),
        target_uri: SEED_URL.to_string(),
        date: t("2024-05-03T10:00:01Z"),
    };
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
    w.write(&build::revisit_identical(
        SEED_URL,
        t("2024-05-04T10:00:01Z"),
        head,
        &digest,
        &refers,
        &mut ids,
    ))
    .unwrap();
    w.write(&build::response(
        "https://www.bbc.com/news/article-1",
        t("2024-05-03T11:00:00Z"),
        http(&other, "text/html"),
        None,
        &mut ids,
    ))
    .unwrap();
    w.write(&build::response(
        "https://www.bbc.com/logo.png",
        t("2024-05-03T11:00:01Z"),
        http(b"\x89PNG\r\n", "image/png"),
        None,
        &mut ids,
    ))
    .unwrap();
    w.finish().unwrap();
}

fn conversions(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in newsarc::archive::archive_files(&[dir.to_path_buf()]).unwrap() {
        for r in ArchiveReader::open(&f).unwrap() {
            let r = r.unwrap().record;
            if r.record_type() == RecordType::Conversion {
                out.push((
                    r.target_uri().unwrap().to_string(),
                    r.headers
                        .get("Newsarc-Selectors")
                        .unwrap_or("-")
                        .to_string(),
                ));
            }
        }
    }
    out
}

#[test]
fn reparse_appends_conversions_and_skips_when_current() {
    let dir = tempfile::tempdir().unwrap();
    raw_archive(dir.path());
    let d = dir.path().to_str().unwrap();
    let out = newsarc(&["reparse", d, "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    let conv = conversions(dir.path());
    // seed response, its revisit (same payload, later capture), the bbc page; not the image
    assert_eq!(conv.len(), 3, "{conv:?}");
    assert!(
        conv.iter()
            .any(|(u, s)| u == SEED_URL && s.starts_with("hstoday@")),
        "{conv:?}"
    );
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(err.contains("first parse         3"), "{err}");

    // Second run: everything is current.
    let out = newsarc(&["reparse", d, "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(conversions(dir.path()).len(), 3);
    assert!(String::from_utf8_lossy(&out.stderr).contains("already up to date  3"));

    // Without site rules the seed page's config no longer applies: parsed again, kept beside.
    let out = newsarc(&[
        "reparse",
        d,
        "--quiet",
        "--no-site-rules",
        "--only-site",
        "hstoday.us",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let conv = conversions(dir.path());
    assert_eq!(conv.len(), 5, "{conv:?}");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(err.contains("left out by filters 1"), "{err}");
    // Both hstoday captures were parsed before: nothing here is a first parse.
    assert!(err.contains("first parse         0"), "{err}");

    // --force parses again even when current.
    let out = newsarc(&["reparse", d, "--quiet", "--force", "--since", "2024-05-04"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(conversions(dir.path()).len(), 6);
}

fn parsed_archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    raw_archive(dir.path());
    let out = newsarc(&["reparse", dir.path().to_str().unwrap(), "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    dir
}

const PARQUET_CHECK: &str = r#"
import sys, json
import pyarrow.parquet as pq, duckdb
t = pq.read_table(sys.argv[1])
s = t.schema
out = {"rows": t.num_rows, "published": str(s.field("published").type),
       "authors": str(s.field("authors").type), "word_count": str(s.field("word_count").type),
       "paywalled": str(s.field("paywalled").type)}
d = t.to_pydict()
i = d["url"].index(sys.argv[2])
out["seed_title"] = d["title"][i]
out["seed_authors"] = d["authors"][i]
out["seed_published"] = d["published"][i].isoformat()
out["seed_offset"] = d["warc_offset"][i]
con = duckdb.connect()
r = con.execute(f"select count(*), max(word_count), typeof(any_value(published)), typeof(any_value(authors)) from read_parquet('{sys.argv[1]}')").fetchone()
out["duckdb"] = [r[0], r[1], r[2], r[3]]
print(json.dumps(out))
"#;

#[test]
fn parquet_export_reads_back_in_pyarrow_and_duckdb_with_proper_types() {
    let dir = parsed_archive();
    let pq = dir.path().join("articles.parquet");
    let out = newsarc(&[
        "export",
        dir.path().to_str().unwrap(),
        "--format",
        "parquet",
        "--out",
        pq.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let py = Command::new(python())
        .args(["-c", PARQUET_CHECK, pq.to_str().unwrap(), SEED_URL])
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
    // The seed page twice (response + revisit) is one article: newest capture wins.
    assert_eq!(v["rows"], 2, "{v}");
    assert_eq!(v["published"], "timestamp[us, tz=UTC]");
    assert_eq!(v["authors"], "list<element: string not null>");
    assert_eq!(v["word_count"], "int64");
    assert_eq!(v["paywalled"], "bool");
    assert_eq!(
        v["seed_authors"],
        serde_json::json!(["Homeland Security Today"])
    );
    assert_eq!(v["seed_published"], "2023-06-22T14:35:12+00:00");
    assert!(
        v["seed_title"]
            .as_str()
            .unwrap()
            .starts_with("Third High-Level Conference")
    );
    assert_eq!(v["duckdb"][0], 2);
    assert_eq!(v["duckdb"][2], "TIMESTAMP WITH TIME ZONE");
    assert_eq!(v["duckdb"][3], "VARCHAR[]");
    // The row points at the revisit (the newest capture) and the card describes the dataset.
    assert!(v["seed_offset"].as_u64().unwrap() > 0);
    let card = std::fs::read_to_string(dir.path().join("articles.parquet.schema.md")).unwrap();
    assert!(card.contains("| hstoday.us | 1 |"), "{card}");
    assert!(card.contains("| `authors` | list<string> |"), "{card}");
}

#[test]
fn csv_and_jsonl_exports_filter_and_trace_back_to_the_raw_record() {
    let dir = parsed_archive();
    let d = dir.path().to_str().unwrap();
    let csv_path = dir.path().join("a.csv");
    let out = newsarc(&[
        "export",
        d,
        "--format",
        "csv",
        "--out",
        csv_path.to_str().unwrap(),
        "--site",
        "hstoday.us",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let mut r = csv::Reader::from_path(&csv_path).unwrap();
    let headers = r.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    let get = |n: &str| {
        rows[0]
            .get(headers.iter().position(|h| h == n).unwrap())
            .unwrap()
            .to_string()
    };
    assert_eq!(get("published"), "2023-06-22T10:35:12-04:00");
    assert_eq!(get("authors"), r#"["Homeland Security Today"]"#);
    // warc_file + warc_offset locate the raw record.
    let file = dir.path().join(get("warc_file"));
    let offset: u64 = get("warc_offset").parse().unwrap();
    let length: u64 = get("warc_length").parse().unwrap();
    let raw = newsarc::archive::read_record_at(&file, offset, length).unwrap();
    assert_eq!(raw.target_uri(), Some(SEED_URL));

    let jl = dir.path().join("a.jsonl");
    let out = newsarc(&[
        "export",
        d,
        "--format",
        "jsonl",
        "--out",
        jl.to_str().unwrap(),
        "--all-versions",
        "--since",
        "2023-01-01",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&jl).unwrap();
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // every version: both captures of the seed page; the bbc page has no date in 2023+ or has one
    assert!(
        rows.iter().filter(|r| r["url"] == SEED_URL).count() == 2,
        "{text}"
    );
    assert!(
        rows.iter()
            .all(|r| r["published"].as_str().is_some_and(|p| p >= "2023"))
    );
}

#[test]
fn warc_gz_export_passes_warcio_check_and_reparses_from_foreign_gzip() {
    let dir = parsed_archive();
    let gz = dir.path().join("out.warc.gz");
    let out = newsarc(&[
        "export",
        dir.path().to_str().unwrap(),
        "--format",
        "warc.gz",
        "--out",
        gz.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let check = warcio()
        .args(["check", "-v", gz.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let index = warcio()
        .args(["index", gz.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(index.status.success());
    let lines = String::from_utf8_lossy(&index.stdout).lines().count();
    assert!(lines >= 8, "warcio index saw {lines} records");

    // A .warc.gz written by warcio itself re-parses like our own archives.
    let foreign = tempfile::tempdir().unwrap();
    let fpath = foreign.path().join("warcio.warc.gz");
    let script = r#"
import sys, io
from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders
page = open(sys.argv[2], 'rb').read()
with open(sys.argv[1], 'wb') as f:
    w = WARCWriter(f, gzip=True)
    h = StatusAndHeaders('200 OK', [('Content-Type', 'text/html; charset=utf-8')], protocol='HTTP/1.1')
    w.write_record(w.create_warc_record(sys.argv[3], 'response', payload=io.BytesIO(page), http_headers=h))
"#;
    let page = repo().join("tests/fixtures/hstoday/page.html");
    let py = Command::new(python())
        .args([
            "-c",
            script,
            fpath.to_str().unwrap(),
            page.to_str().unwrap(),
            SEED_URL,
        ])
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let out_dir = foreign.path().join("parsed");
    let out = newsarc(&[
        "reparse",
        fpath.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let jl = foreign.path().join("a.jsonl");
    let out = newsarc(&[
        "export",
        fpath.to_str().unwrap(),
        out_dir.to_str().unwrap(),
        "--format",
        "jsonl",
        "--out",
        jl.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let row: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&jl)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        row["authors"],
        serde_json::json!(["Homeland Security Today"])
    );
    assert_eq!(row["warc_file"], "warcio.warc.gz");
}

#[test]
fn export_of_a_missing_archive_is_a_clear_error() {
    let out = newsarc(&[
        "export",
        "/nonexistent/archive",
        "--format",
        "csv",
        "--out",
        "/tmp/x.csv",
    ]);
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/archive"), "{err}");
}

/// An archive with one capture + parse per page kind listed, some with a classifier score,
/// plus a page parsed twice: first as an article, later (a reparse) as a listing.
fn kinds_archive(dir: &Path) {
    use newsarc::model::{Article, PageKind};
    let kinds: [(&str, PageKind, Option<f32>); 7] = [
        ("a", PageKind::Article, Some(0.875)),
        ("l", PageKind::Liveblog, None),
        ("g", PageKind::Gallery, Some(0.5)),
        ("v", PageKind::Video, None),
        ("list", PageKind::Listing, Some(0.75)),
        ("e", PageKind::Error, None),
        ("f", PageKind::Forum, Some(0.25)),
    ];
    let mut ids = SeqIds::default();
    let mut w = ArchiveWriter::open(WriterConfig::new(dir), t("2024-05-03T10:00:00Z")).unwrap();
    let mut capture_and_parse = |path: &str, versions: &[(PageKind, Option<f32>)]| {
        let url = format!("https://news.example/{path}");
        let resp = build::response(
            &url,
            t("2024-05-03T10:00:01Z"),
            http(b"<html><body>x</body></html>", "text/html"),
            None,
            &mut ids,
        );
        w.write(&resp).unwrap();
        let rid = resp.id().unwrap().to_string();
        for (i, (kind, confidence)) in versions.iter().enumerate() {
            let mut a = Article::empty(&url);
            a.site = Some("news.example".into());
            a.title = Some(format!("{kind} page"));
            a.page_kind = *kind;
            a.page_kind_confidence = *confidence;
            let rec = build::conversion(
                &url,
                t(&format!("2024-05-0{}T12:00:00Z", 3 + i)),
                serde_json::to_vec(&a).unwrap(),
                build::ParseOf {
                    record_id: &rid,
                    captured: t("2024-05-03T10:00:01Z"),
                },
                "newsarc/test",
                None,
                &mut ids,
            );
            w.write(&rec).unwrap();
        }
    };
    for (path, kind, confidence) in kinds {
        capture_and_parse(path, &[(kind, confidence)]);
    }
    capture_and_parse(
        "was-article",
        &[(PageKind::Article, None), (PageKind::Listing, Some(0.625))],
    );
    w.finish().unwrap();
}

fn export(dir: &Path, format: &str, name: &str, extra: &[&str]) -> (Output, std::path::PathBuf) {
    let out_path = dir.join(name);
    let mut args = vec![
        "export",
        dir.to_str().unwrap(),
        "--format",
        format,
        "--out",
        out_path.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    (newsarc(&args), out_path)
}

fn jsonl_rows(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn urls_of(rows: &[serde_json::Value]) -> Vec<String> {
    let mut u: Vec<String> = rows
        .iter()
        .map(|r| {
            r["url"]
                .as_str()
                .unwrap()
                .trim_start_matches("https://news.example/")
                .to_string()
        })
        .collect();
    u.sort();
    u
}

#[test]
fn dataset_export_keeps_the_parsed_kinds_by_default_and_kinds_picks_others() {
    let dir = tempfile::tempdir().unwrap();
    kinds_archive(dir.path());

    // Default: article, liveblog, gallery, video. The page whose newest parse is a listing is
    // left out (not exported from its older article parse).
    let (out, jl) = export(dir.path(), "jsonl", "default.jsonl", &[]);
    assert_eq!(out.status.code(), Some(0));
    let rows = jsonl_rows(&jl);
    assert_eq!(urls_of(&rows), ["a", "g", "l", "v"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("left out by filters 4"), "{err}");
    assert!(
        err.contains("kinds article 1, liveblog 1, gallery 1, video 1"),
        "{err}"
    );
    let by_url = |rows: &[serde_json::Value], u: &str| {
        rows.iter()
            .find(|r| r["url"] == format!("https://news.example/{u}"))
            .cloned()
            .unwrap()
    };
    assert_eq!(by_url(&rows, "a")["page_kind"], "article");
    assert_eq!(by_url(&rows, "a")["page_kind_confidence"], 0.875);
    assert!(by_url(&rows, "l")["page_kind_confidence"].is_null());
    let card = std::fs::read_to_string(dir.path().join("default.jsonl.schema.md")).unwrap();
    assert!(
        card.contains("- filters: kinds=article,liveblog,gallery,video (default"),
        "{card}"
    );
    assert!(card.contains("## Rows per page kind"), "{card}");
    assert!(card.contains("| liveblog | 1 |"), "{card}");
    assert!(!card.contains("| listing |"), "{card}");
    assert!(card.contains("Article schema version 2"), "{card}");
    assert!(
        card.contains("rows per schema version: version 2: 4"),
        "{card}"
    );
    assert!(card.contains("page_kind_confidence"), "{card}");

    // --kinds: exactly the kinds named, the newest parse of each page.
    let (out, jl) = export(
        dir.path(),
        "jsonl",
        "other.jsonl",
        &["--kinds", "listing, error"],
    );
    assert_eq!(out.status.code(), Some(0));
    let rows = jsonl_rows(&jl);
    assert_eq!(urls_of(&rows), ["e", "list", "was-article"]);
    assert_eq!(by_url(&rows, "was-article")["page_kind_confidence"], 0.625);
    let card = std::fs::read_to_string(dir.path().join("other.jsonl.schema.md")).unwrap();
    assert!(card.contains("- filters: kinds=listing,error\n"), "{card}");
    assert!(card.contains("| listing | 2 |"), "{card}");

    // Every version: the older article parse of the superseded page is there too.
    let (out, jl) = export(
        dir.path(),
        "jsonl",
        "versions.jsonl",
        &["--kinds", "article", "--all-versions"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(urls_of(&jsonl_rows(&jl)), ["a", "was-article"]);
}

#[test]
fn dataset_page_kind_confidence_column_in_csv_and_parquet() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let dir = tempfile::tempdir().unwrap();
    kinds_archive(dir.path());

    let (out, csv_path) = export(
        dir.path(),
        "csv",
        "k.csv",
        &["--kinds", "article,liveblog,forum"],
    );
    assert_eq!(out.status.code(), Some(0));
    let mut r = csv::Reader::from_path(&csv_path).unwrap();
    let headers = r.headers().unwrap().clone();
    let at = headers.iter().position(|h| h == "page_kind").unwrap();
    assert_eq!(headers.get(at + 1), Some("page_kind_confidence"));
    let mut got: Vec<(String, String)> = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[at].to_string(), rec[at + 1].to_string())
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("article".to_string(), "0.875".to_string()),
            ("forum".to_string(), "0.25".to_string()),
            ("liveblog".to_string(), String::new()),
        ]
    );

    let (out, pq) = export(
        dir.path(),
        "parquet",
        "k.parquet",
        &["--kinds", "gallery,video"],
    );
    assert_eq!(out.status.code(), Some(0));
    let reader = SerializedFileReader::new(std::fs::File::open(&pq).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr();
    let col = schema
        .columns()
        .iter()
        .find(|c| c.name() == "page_kind_confidence")
        .unwrap();
    assert_eq!(col.physical_type(), parquet::basic::Type::FLOAT);
    assert_eq!(col.max_def_level(), 1, "nullable");
    let mut rows: Vec<String> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| r.unwrap().to_string())
        .collect();
    rows.sort();
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].contains("page_kind: \"gallery\", page_kind_confidence: 0.5,"),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].contains("page_kind: \"video\", page_kind_confidence: null,"),
        "{}",
        rows[1]
    );
    let card = std::fs::read_to_string(dir.path().join("k.parquet.schema.md")).unwrap();
    assert!(
        card.contains("| `page_kind_confidence` | float32 (nullable) |"),
        "{card}"
    );
}

#[test]
fn dataset_export_with_an_unknown_kind_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    kinds_archive(dir.path());
    let (out, path) = export(
        dir.path(),
        "csv",
        "bad.csv",
        &["--kinds", "article,blogpost"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--kinds"), "{err}");
    assert!(err.contains("\"blogpost\""), "{err}");
    assert!(
        err.contains(
            "article, liveblog, gallery, video, listing, forum, product, documentation, service, error, other"
        ),
        "{err}"
    );
    assert!(!path.exists(), "nothing written on a usage error");
    let (out, _) = export(dir.path(), "csv", "empty.csv", &["--kinds", ","]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn reparse_summary_counts_pages_per_kind() {
    let dir = tempfile::tempdir().unwrap();
    raw_archive(dir.path());
    let mut listing =
        String::from("<html><head><title>Politics</title></head><body><h1>Politics</h1><ul>");
    for i in 0..40 {
        listing.push_str(&format!(
            "<li><a href=\"/politics/story-{i}\">Council story number {i} about the budget and the trams</a></li>"
        ));
    }
    listing.push_str("</ul></body></html>");
    let error = "<html><head><title>404 - Page not found</title></head><body><nav><a href=/>Home</a></nav><h1>Page not found</h1><p>Sorry, the page you requested does not exist.</p></body></html>";
    let mut ids = SeqIds::default();
    let mut w =
        ArchiveWriter::open(WriterConfig::new(dir.path()), t("2024-05-05T10:00:00Z")).unwrap();
    for (url, body) in [
        ("https://news.example/politics/", listing.as_str()),
        ("https://news.example/old-story", error),
    ] {
        w.write(&build::response(
            url,
            t("2024-05-05T10:00:01Z"),
            http(body.as_bytes(), "text/html"),
            None,
            &mut ids,
        ))
        .unwrap();
    }
    w.finish().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = newsarc(&["reparse", d, "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    // the seed page, its revisit and the bbc article; the listing and the soft 404
    assert!(
        err.contains("  kinds               article 3, listing 1, error 1\n"),
        "{err}"
    );
    assert!(err.contains("  pages parsed        3 ("), "{err}");
    assert!(err.contains("  kind not stored     2 "), "{err}");
    // only the parsed kinds got a record
    let conv = conversions(dir.path());
    assert_eq!(conv.len(), 3, "{conv:?}");
    assert!(
        conv.iter()
            .all(|(u, _)| !u.starts_with("https://news.example/"))
    );

    // Second run: the articles are current; the listing and the error page (no record) are
    // parsed again and counted again.
    let out = newsarc(&["reparse", d, "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains("  kinds               listing 1, error 1\n"),
        "{err}"
    );
    assert!(err.contains("already up to date  3"), "{err}");
}

#[test]
fn fresh_rows_parse_the_newest_capture_per_url_and_follow_revisits() {
    use std::sync::Arc;

    use newsarc::archive::local_sources;
    use newsarc::export::FreshRows;
    use newsarc::extract::ExtractOptions;
    use newsarc::selectors::RuleSet;

    let dir = tempfile::tempdir().unwrap();
    raw_archive(dir.path());
    let files = newsarc::archive::archive_files(&[dir.path().to_path_buf()]).unwrap();
    let now = t("2024-06-01T00:00:00Z");
    let rows = |all: bool| -> Vec<newsarc::export::DatasetRow> {
        let it = FreshRows::new(
            local_sources(&files),
            Arc::new(RuleSet::empty()),
            ExtractOptions::default(),
            all,
            now,
        )
        .unwrap();
        it.map(|r| r.unwrap()).collect()
    };
    // Newest capture per URL: the seed's revisit (day 2), parsed from the payload it repeats;
    // the image is not HTML.
    let newest = rows(false);
    let urls: Vec<&str> = newest.iter().map(|r| r.article.url.as_str()).collect();
    assert_eq!(urls, [SEED_URL, "https://www.bbc.com/news/article-1"]);
    let seed = &newest[0];
    assert_eq!(seed.capture_time, Some(t("2024-05-04T10:00:01Z")));
    assert!(
        seed.article
            .title
            .as_deref()
            .unwrap()
            .starts_with("Third High-Level")
    );
    assert_eq!(seed.parsed_time, Some(now));
    assert_eq!(seed.conversion_record_id, None);
    assert!(seed.warc_offset.unwrap() > 0);
    // Every capture: the seed twice, same article.
    let all = rows(true);
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].article.body, all[1].article.body);
    assert_eq!(all[0].capture_time, Some(t("2024-05-03T10:00:01Z")));
}
