//! The whole tool end to end against a local news site: `crawl` → `verify` / `ls` / `get` →
//! FastWARC reads the crawl's `.warc.zst` → `reparse` (nothing to do) → `export` (Parquet rows
//! trace back to their raw responses; `.warc.gz` passes `warcio check`) → a second crawl
//! re-fetches nothing already archived. Then the same `import` / `reparse` / `export` chain on
//! an archive written by `wget --warc-file`.
//!
//! The seed page (`tests/fixtures/hstoday/page.html`) is served at the path of its real URL on
//! 127.0.0.1: the crawler keys selector configs on the URL's host and cannot be pointed at
//! another address for a host name, so the test runs `selectors/hstoday.toml` with its
//! `domains`/`article_urls` rewritten to 127.0.0.1 — the selector path, not the generic one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, OnceLock};

use newsarc::archive::{ArchiveReader, Record, RecordType, archive_files, read_record_at};
use serde_json::Value;

use crate::python::{python, warcio};
use crate::server::{Handler, Reply, Server};

const SEED_PATH: &str = "/featured/third-high-level-conference-of-heads-of-counterterrorism-agencies-concludes-with-calls-for-reinvigorating-multilateralism/";
const SEED_TITLE: &str = "Third High-Level Conference of Heads of Counterterrorism Agencies Concludes with Calls for Reinvigorating Multilateralism";
const ARTICLES: [(&str, &str); 2] = [
    (
        "/news/2026/11/budget-vote/",
        "Council Passes the Budget After a Long Night",
    ),
    (
        "/news/2026/11/bridge-repair/",
        "Old Bridge to Close for Repairs in Spring",
    ),
];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn article(title: &str) -> String {
    let para = "The council met on Tuesday evening to discuss the new budget for the coming year. \
        Members argued for hours about the cost of repairing the old bridge, the future of the \
        library and the pay of the town's teachers, before agreeing on a compromise late at night.";
    let mut s = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | Town News</title>\
         <meta property=\"og:type\" content=\"article\"><meta property=\"og:title\" content=\"{title}\">\
         <meta property=\"article:published_time\" content=\"2026-11-20T08:00:00+00:00\"></head>\
         <body><header><nav><a href=\"/\">Home</a></nav></header><article><h1 class=\"entry-title\">{title}</h1>"
    );
    for i in 0..6 {
        s.push_str(&format!("<p>{para} Paragraph {i}.</p>"));
    }
    s.push_str("</article><footer>(c) Town News</footer></body></html>");
    s
}

/// The local news site: home page, three articles, robots.txt, an RSS feed.
fn site(base: Arc<OnceLock<String>>) -> Handler {
    let seed = std::fs::read(repo().join("tests/fixtures/hstoday/page.html")).unwrap();
    Arc::new(move |path: &str, _headers, _n| match path {
        "/robots.txt" => Reply::ok(
            "text/plain",
            "User-agent: *\nDisallow: /private/\nAllow: /\n",
        ),
        "/" => {
            let mut s = String::from(
                "<!doctype html><html><head><title>Town News</title>\
                 <link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed/\"></head><body><ul>",
            );
            s.push_str(&format!(
                "<li><a href=\"{SEED_PATH}\">CT conference</a></li>"
            ));
            for (p, t) in ARTICLES {
                s.push_str(&format!("<li><a href=\"{p}\">{t}</a></li>"));
            }
            s.push_str("<li><a href=\"/private/draft\">draft</a></li></ul></body></html>");
            Reply::html(s)
        }
        "/feed/" => {
            let mut s = String::from(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Town News</title>",
            );
            for (p, t) in ARTICLES {
                let base = base.get().map(String::as_str).unwrap_or_default();
                s.push_str(&format!(
                    "<item><title>{t}</title><link>{base}{p}</link>\
                     <pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate></item>"
                ));
            }
            s.push_str("</channel></rss>");
            Reply::ok("application/rss+xml", s)
        }
        p if p == SEED_PATH => Reply::html(seed.clone()),
        // the second article comes gzip-encoded (archived encoded, decoded for parsing)
        p if p == ARTICLES[1].0 => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            std::io::Write::write_all(&mut gz, article(ARTICLES[1].1).as_bytes()).unwrap();
            Reply::html(gz.finish().unwrap()).header("content-encoding", "gzip")
        }
        p => match ARTICLES.iter().find(|(ap, _)| *ap == p) {
            Some((_, t)) => Reply::html(article(t)),
            None => Reply::status(404),
        },
    })
}

/// `selectors/hstoday.toml` for 127.0.0.1 (see the module doc), alone in a folder.
fn local_selectors(dir: &Path) -> PathBuf {
    let toml = std::fs::read_to_string(repo().join("selectors/hstoday.toml")).unwrap();
    let mut out = String::new();
    for line in toml.lines() {
        if line.starts_with("[[tests]]") {
            break; // the fixture paths are relative to the real selectors folder
        }
        if line.starts_with("domains") {
            out.push_str("domains = [\"127.0.0.1\"]\n");
        } else if line.starts_with("article_urls") {
            out.push_str(
                "article_urls = ['^https?://127\\.0\\.0\\.1(:\\d+)?/[^?#]+/[^/?#]+/?$']\n",
            );
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    let sel = dir.join("selectors");
    std::fs::create_dir_all(&sel).unwrap();
    std::fs::write(sel.join("hstoday.toml"), out).unwrap();
    sel
}

fn newsarc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args(args)
        .env("NEWSARC_LOG", "warn")
        .current_dir(repo())
        .output()
        .unwrap()
}

async fn newsarc_async(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        newsarc(&a)
    })
    .await
    .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn ok(o: Output) -> Output {
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    o
}

fn records(dir: &Path) -> Vec<(PathBuf, Record)> {
    let mut out = Vec::new();
    for f in archive_files(&[dir.to_path_buf()]).unwrap() {
        for r in ArchiveReader::open(&f).unwrap() {
            out.push((f.clone(), r.unwrap().record));
        }
    }
    out
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn crawl_args(home: &str, out: &Path, sel: &Path) -> Vec<String> {
    [
        "crawl",
        home,
        "--out",
        out.to_str().unwrap(),
        "--selectors",
        sel.to_str().unwrap(),
        "--rate",
        "50",
        "--contact",
        "test@example.org",
        // belt and braces: the seed page links to www.hstoday.us; nothing may leave 127.0.0.1
        "--deny",
        "hstoday\\.us",
        // turns feed discovery on (the home page's <link rel="alternate">); items are recent
        "--since",
        "30d",
        "--quiet",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// FastWARC iterates every record of `file` with digest verification on.
const FASTWARC_COUNT: &str = r#"
import sys
from fastwarc.warc import ArchiveIterator, WarcRecordType
n = 0
for rec in ArchiveIterator(open(sys.argv[1], 'rb'), record_types=WarcRecordType.any_type,
                           verify_digests=True, parse_http=False):
    n += 1
print(n)
"#;

/// One JSON object per Parquet row.
const PYARROW_ROWS: &str = r#"
import sys, json, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
assert str(t.schema.field('capture_time').type) == 'timestamp[us, tz=UTC]', t.schema
for r in t.to_pylist():
    print(json.dumps({k: (v.isoformat() if hasattr(v, 'isoformat') else v) for k, v in r.items()}))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crawl_verify_get_reparse_export_recrawl() {
    // the feed needs the base URL, known once the server is bound
    let cell = Arc::new(OnceLock::new());
    let server = Server::start("127.0.0.1", site(cell.clone())).await;
    cell.set(format!("http://{}", server.addr)).unwrap();
    let base = format!("http://{}", server.addr);
    let home = format!("{base}/");
    let tmp = tempfile::tempdir().unwrap();
    let sel = local_selectors(tmp.path());
    let out = tmp.path().join("archive");

    // 1. crawl
    let o = ok(newsarc_async(crawl_args(&home, &out, &sel)).await);
    assert!(
        !text(&o).contains("does not have yet"),
        "stale warning: {}",
        text(&o)
    );
    let first_hits = server.paths();
    for p in [
        "/robots.txt",
        "/feed/",
        SEED_PATH,
        ARTICLES[0].0,
        ARTICLES[1].0,
    ] {
        assert_eq!(
            first_hits.iter().filter(|h| *h == p).count(),
            1,
            "{p} fetched once: {first_hits:?}\n{}",
            text(&o)
        );
    }
    assert!(!first_hits.iter().any(|h| h.starts_with("/private/")));
    assert!(
        files_in(&out).iter().any(|f| f.ends_with(".warc.zst")),
        "{:?}",
        files_in(&out)
    );

    // verify
    ok(newsarc(&["verify", out.to_str().unwrap()]));

    // ls: request, response and conversion records for the pages
    let ls = ok(newsarc(&["ls", out.to_str().unwrap()]));
    let ls = String::from_utf8_lossy(&ls.stdout).into_owned();
    let seed_url = format!("{base}{SEED_PATH}");
    for t in ["request", "response", "conversion"] {
        assert!(
            ls.lines()
                .any(|l| l.contains(&format!(" {t} ")) && l.contains(&seed_url)),
            "no {t} for the seed page in ls:\n{ls}"
        );
    }

    // our reader and FastWARC (digests verified) agree on the record count of every file
    let recs = records(&out);
    for f in archive_files(std::slice::from_ref(&out)).unwrap() {
        let ours = recs.iter().filter(|(p, _)| *p == f).count();
        let fw = Command::new(python())
            .args(["-c", FASTWARC_COUNT])
            .arg(&f)
            .output()
            .unwrap();
        assert!(fw.status.success(), "{}", text(&fw));
        let n: usize = String::from_utf8_lossy(&fw.stdout).trim().parse().unwrap();
        assert_eq!(n, ours, "FastWARC vs newsarc on {}", f.display());
    }

    // get --parsed: the selector config's title for the seed, the fallbacks' for the others
    let got = ok(newsarc(&[
        "get",
        out.to_str().unwrap(),
        &seed_url,
        "--parsed",
    ]));
    let art: Value = serde_json::from_slice(&got.stdout).unwrap();
    assert_eq!(art["title"], SEED_TITLE, "{art:#}");
    assert_eq!(art["url"], seed_url.as_str());
    for (p, t) in ARTICLES {
        let got = ok(newsarc(&[
            "get",
            out.to_str().unwrap(),
            &format!("{base}{p}"),
            "--parsed",
        ]));
        let art: Value = serde_json::from_slice(&got.stdout).unwrap();
        assert_eq!(art["title"], t, "{art:#}");
    }

    // reparse with the same selectors: everything up to date, no new file
    let before = files_in(&out);
    let rp = ok(newsarc(&[
        "reparse",
        out.to_str().unwrap(),
        "--selectors",
        sel.to_str().unwrap(),
        "--quiet",
    ]));
    let rp_text = text(&rp);
    let field = |name: &str| -> u64 {
        rp_text
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .and_then(|l| l.trim_start()[name.len()..].split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {name:?} line:\n{rp_text}"))
    };
    assert_eq!(field("pages parsed"), 0, "{rp_text}\n{ls}");
    assert_eq!(field("already up to date"), 3, "{rp_text}");
    // the home page (twice: discovery fetches it, then the crawl again — a revisit)
    assert!(field("kind not stored") >= 1, "the home page: {rp_text}");
    assert_eq!(field("failures"), 0, "{rp_text}");
    assert_eq!(files_in(&out), before, "reparse wrote a file:\n{rp_text}");
    // the crawl's parse and a re-parse of the archived bytes agree field for field
    let forced = tmp.path().join("forced");
    let fp = text(&ok(newsarc(&[
        "reparse",
        out.to_str().unwrap(),
        "--selectors",
        sel.to_str().unwrap(),
        "--force",
        "--quiet",
        "--out",
        forced.to_str().unwrap(),
    ])));
    assert!(fp.contains("pages parsed        3 ("), "{fp}");
    assert!(fp.contains("kinds               article 3"), "{fp}");
    assert!(
        fp.contains("changed pages       0"),
        "crawl and reparse disagree: {fp}"
    );

    // export parquet: one row per article, each traced back to its raw response
    let pq = tmp.path().join("articles.parquet");
    ok(newsarc(&[
        "export",
        out.to_str().unwrap(),
        "--format",
        "parquet",
        "--out",
        pq.to_str().unwrap(),
    ]));
    let py = Command::new(python())
        .args(["-c", PYARROW_ROWS])
        .arg(&pq)
        .output()
        .unwrap();
    assert!(py.status.success(), "{}", text(&py));
    let rows: Vec<Value> = String::from_utf8_lossy(&py.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by_url: BTreeMap<String, &Value> = rows
        .iter()
        .map(|r| (r["url"].as_str().unwrap().to_string(), r))
        .collect();
    let mut want: Vec<String> = ARTICLES.iter().map(|(p, _)| format!("{base}{p}")).collect();
    want.push(seed_url.clone());
    want.sort();
    let mut have: Vec<String> = rows
        .iter()
        .map(|r| r["url"].as_str().unwrap().to_string())
        .collect();
    have.sort();
    assert_eq!(have, want, "one row per article: {rows:#?}");
    assert_eq!(rows.len(), by_url.len(), "duplicate rows: {rows:#?}");
    for u in &want {
        let r = by_url[u];
        assert!(
            r["capture_time"]
                .as_str()
                .is_some_and(|t| t.starts_with("20")),
            "{r:#}"
        );
        let file = out.join(r["warc_file"].as_str().unwrap());
        let offset = r["warc_offset"].as_u64().unwrap();
        let length = r["warc_length"].as_u64().unwrap();
        let rec = read_record_at(&file, offset, length).unwrap();
        assert_eq!(rec.record_type(), RecordType::Response, "{u}");
        assert_eq!(rec.target_uri(), Some(u.as_str()));
        // `newsarc get` resolves the same URL to the same raw payload
        let got = ok(newsarc(&["get", out.to_str().unwrap(), u]));
        // (`get` prints the payload with its Content-Encoding removed)
        let body = rec.http().unwrap().decoded_body().unwrap();
        if u.ends_with(ARTICLES[1].0) {
            // archived exactly as received: still gzip
            let raw = newsarc::archive::payload(&rec.block).unwrap();
            assert!(raw.starts_with(&[0x1f, 0x8b]), "{u} not archived encoded");
        }
        assert!(got.stdout == body, "{u}: `get` printed other bytes");
    }

    // export warc.gz passes warcio check
    let gz = tmp.path().join("crawl.warc.gz");
    ok(newsarc(&[
        "export",
        out.to_str().unwrap(),
        "--format",
        "warc.gz",
        "--out",
        gz.to_str().unwrap(),
    ]));
    let check = warcio().args(["check", "-v"]).arg(&gz).output().unwrap();
    assert!(check.status.success(), "{}", text(&check));

    // 2. crawl again into the same folder: nothing already archived is fetched again
    let n_first = first_hits.len();
    let o2 = ok(newsarc_async(crawl_args(&home, &out, &sel)).await);
    let again: Vec<String> = server.paths()[n_first..].to_vec();
    for p in [SEED_PATH, ARTICLES[0].0, ARTICLES[1].0] {
        assert!(
            !again.iter().any(|h| h == p),
            "{p} fetched again: {again:?}\n{}",
            text(&o2)
        );
    }
    // what may be asked again: robots.txt, discovery's home page, feed and sitemap guesses
    let expected_again = [
        "/robots.txt",
        "/",
        "/feed/",
        "/sitemap.xml",
        "/sitemap_index.xml",
        "/news-sitemap.xml",
        "/sitemap-news.xml",
    ];
    assert!(
        again.iter().all(|p| expected_again.contains(&p.as_str())),
        "{again:?}\n{}",
        text(&o2)
    );
    ok(newsarc(&["verify", out.to_str().unwrap()]));
    // the newest capture of the home page is a revisit: `get` resolves it to the payload
    let got = ok(newsarc(&["get", out.to_str().unwrap(), &home]));
    assert!(
        String::from_utf8_lossy(&got.stdout).contains("<title>Town News</title>"),
        "{}",
        text(&got)
    );
    // and a re-parse after the second crawl still has nothing to write
    let before = files_in(&out);
    let rp = ok(newsarc(&[
        "reparse",
        out.to_str().unwrap(),
        "--selectors",
        sel.to_str().unwrap(),
        "--quiet",
    ]));
    assert_eq!(files_in(&out), before, "{}", text(&rp));

    // a new version of the selector config (another hash): the articles are parsed again,
    // into a new file, and the export still has one row per article — the newest parse
    let toml = sel.join("hstoday.toml");
    let mut cfg = std::fs::read_to_string(&toml).unwrap();
    cfg.push_str("# revised\n");
    std::fs::write(&toml, cfg).unwrap();
    let rp = text(&ok(newsarc(&[
        "reparse",
        out.to_str().unwrap(),
        "--selectors",
        sel.to_str().unwrap(),
        "--quiet",
    ])));
    assert!(rp.contains("pages parsed        3 ("), "{rp}");
    assert!(rp.contains("kinds               article 3"), "{rp}");
    assert!(rp.contains("changed pages       0"), "{rp}");
    assert_eq!(
        files_in(&out).len(),
        before.len() + 2,
        "new .warc.zst + .cdxj: {rp}"
    );
    let js = tmp.path().join("after.jsonl");
    ok(newsarc(&[
        "export",
        out.to_str().unwrap(),
        "--format",
        "jsonl",
        "--out",
        js.to_str().unwrap(),
    ]));
    let rows = jsonl(&js);
    assert_eq!(rows.len(), 3, "{rows:#?}");
    let hash = newsarc::selectors::config_hash(&std::fs::read(&toml).unwrap());
    for r in &rows {
        let label = serde_json::to_string(&r["selectors"]).unwrap();
        assert!(label.contains(&hash), "newest parse expected: {r:#}");
    }
    // every parse of every capture: the crawl's and the re-parse's
    ok(newsarc(&[
        "export",
        out.to_str().unwrap(),
        "--format",
        "jsonl",
        "--all-versions",
        "--out",
        js.to_str().unwrap(),
    ]));
    assert_eq!(jsonl(&js).len(), 6);

    // a third crawl into the folder that now also holds re-parse output
    let n_before = server.paths().len();
    let o3 = ok(newsarc_async(crawl_args(&home, &out, &sel)).await);
    let again: Vec<String> = server.paths()[n_before..].to_vec();
    assert!(
        again.iter().all(|p| expected_again.contains(&p.as_str())),
        "{again:?}\n{}",
        text(&o3)
    );
    ok(newsarc(&["verify", out.to_str().unwrap()]));
}

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Where wget's capture of [`site`] was served (its URLs keep this address).
const WGET_BASE: &str = "http://127.0.0.1:39795";

/// An archive from another tool: `wget --warc-file` mirrored [`site`] (the capture is
/// `tests/fixtures/foreign/wget-1.21.3-site.warc.gz`, made as its README says), then `import`,
/// `reparse` (first parse of every article) and `export` make a dataset of it.
#[test]
fn wget_warc_import_reparse_export() {
    let tmp = tempfile::tempdir().unwrap();
    let sel = local_selectors(tmp.path());
    let gz = repo().join("tests/fixtures/foreign/wget-1.21.3-site.warc.gz");
    let base = WGET_BASE;
    let out = tmp.path().join("archive");
    let imp = ok(newsarc(&[
        "import",
        gz.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(
        String::from_utf8_lossy(&imp.stderr).contains("0 digest mismatches"),
        "{}",
        text(&imp)
    );
    ok(newsarc(&["verify", out.to_str().unwrap()]));

    let reparse = |extra: &[&str]| {
        let mut a = vec!["reparse", out.to_str().unwrap(), "--selectors"];
        a.push(sel.to_str().unwrap());
        a.push("--quiet");
        a.extend_from_slice(extra);
        ok(newsarc(&a))
    };
    let rp = text(&reparse(&[]));
    assert!(rp.contains("first parse         3"), "{rp}");
    assert!(rp.contains("failures            0"), "{rp}");
    // and a second run has nothing to do
    let rp2 = text(&reparse(&[]));
    assert!(rp2.contains("already up to date  3"), "{rp2}");
    assert!(rp2.contains("pages parsed        0"), "{rp2}");

    let js = tmp.path().join("wget.jsonl");
    ok(newsarc(&[
        "export",
        out.to_str().unwrap(),
        "--format",
        "jsonl",
        "--out",
        js.to_str().unwrap(),
    ]));
    let rows = jsonl(&js);
    let mut titles: BTreeMap<String, String> = rows
        .iter()
        .map(|r| {
            (
                r["url"].as_str().unwrap().to_string(),
                r["title"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert_eq!(
        titles.remove(&format!("{base}{SEED_PATH}")).as_deref(),
        Some(SEED_TITLE)
    );
    for (p, t) in ARTICLES {
        assert_eq!(titles.remove(&format!("{base}{p}")).as_deref(), Some(t));
    }
    // every row leads back to wget's raw response, re-framed in the imported archive
    for r in &rows {
        let file = out.join(r["warc_file"].as_str().unwrap());
        let rec = read_record_at(
            &file,
            r["warc_offset"].as_u64().unwrap(),
            r["warc_length"].as_u64().unwrap(),
        )
        .unwrap();
        assert_eq!(rec.record_type(), RecordType::Response);
        assert_eq!(rec.target_uri(), r["url"].as_str());
    }
}

/// `Content-Encoding: none` (sent by some servers) means no coding: the crawl parses the page
/// as `reparse` and `get` do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_encoding_none_is_parsed_by_the_crawl() {
    let handler: Handler = Arc::new(|path: &str, _h, _n| match path {
        "/robots.txt" => Reply::ok("text/plain", "User-agent: *\nAllow: /\n"),
        "/" => Reply::html("<html><body><a href=\"/news/2026/11/none/\">a</a></body></html>"),
        "/news/2026/11/none/" => {
            Reply::html(article("Plain Bytes Labelled None")).header("content-encoding", "none")
        }
        _ => Reply::status(404),
    });
    let server = Server::start("127.0.0.1", handler).await;
    let home = format!("http://{}/", server.addr);
    let tmp = tempfile::tempdir().unwrap();
    let sel = local_selectors(tmp.path());
    let out = tmp.path().join("archive");
    let o = ok(newsarc_async(crawl_args(&home, &out, &sel)).await);
    let url = format!("http://{}/news/2026/11/none/", server.addr);
    let got = newsarc(&["get", out.to_str().unwrap(), &url, "--parsed"]);
    assert_eq!(
        got.status.code(),
        Some(0),
        "no conversion record for the page: {}\n{}",
        text(&got),
        text(&o)
    );
    let art: Value = serde_json::from_slice(&got.stdout).unwrap();
    assert_eq!(art["title"], "Plain Bytes Labelled None");
}

/// A page that cannot be parsed (here: `Content-Encoding: gzip` over bytes that are not gzip)
/// is archived, and the failed parse is counted in the crawl summary, not only logged
/// (ARCHITECTURE: "nothing is silently dropped").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_parse_is_counted_in_the_crawl_summary() {
    let handler: Handler = Arc::new(|path: &str, _h, _n| match path {
        "/robots.txt" => Reply::ok("text/plain", "User-agent: *\nAllow: /\n"),
        "/" => Reply::html("<html><body><a href=\"/news/2026/11/broken/\">a</a></body></html>"),
        "/news/2026/11/broken/" => {
            Reply::html("this is not gzip at all").header("content-encoding", "gzip")
        }
        _ => Reply::status(404),
    });
    let server = Server::start("127.0.0.1", handler).await;
    let home = format!("http://{}/", server.addr);
    let tmp = tempfile::tempdir().unwrap();
    let sel = local_selectors(tmp.path());
    let out = tmp.path().join("archive");
    let o = newsarc_async(crawl_args(&home, &out, &sel)).await;
    let err = String::from_utf8_lossy(&o.stderr).to_lowercase();
    let counted = err.lines().any(|l| {
        l.contains("pars")
            && (l.contains("fail") || l.contains("not parsed"))
            && l.split_whitespace().any(|w| w == "1")
    });
    assert!(
        counted,
        "no summary line counts the failed parse:\n{}",
        text(&o)
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "a failed parse makes the run partial"
    );
}
