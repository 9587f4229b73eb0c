//! `newsarc serve`: an archive built here (the seed page with a captured style sheet and
//! image, a revisit, a second site, two parses of the seed), the server started on
//! 127.0.0.1 with port 0, then every page and API asked over HTTP ([`http`]) and in a real
//! headless Chromium ([`browser`]).

mod browser;
mod http;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::{DateTime, Utc};
use newsarc::archive::{ArchiveWriter, RefersTo, SeqIds, WriterConfig, build};

pub const SEED_URL: &str = "https://www.hstoday.us/featured/third-high-level-conference-of-heads-of-counterterrorism-agencies-concludes-with-calls-for-reinvigorating-multilateralism/";
pub const SEED_TITLE: &str = "Third High-Level Conference of Heads of Counterterrorism Agencies Concludes with Calls for Reinvigorating Multilateralism";
pub const STYLE_URL: &str = "https://www.hstoday.us/wp-content/themes/Newspaper/style.css?ver=12.6";
pub const IMAGE_URL: &str =
    "https://www.hstoday.us/wp-content/uploads/2023/06/unoct-conference.jpg";
pub const BBC_URL: &str = "https://www.bbc.com/news/article-1";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn http_response(body: &[u8], ctype: &str) -> Vec<u8> {
    let mut v = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    v.extend_from_slice(body);
    v
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// Raw captures: the seed page, its style sheet and lead image, a revisit of the seed a
/// day later, a BBC article.
fn raw_archive(dir: &Path) {
    let seed = std::fs::read(repo().join("tests/fixtures/hstoday/page.html")).unwrap();
    let bbc = std::fs::read(repo().join("tests/fixtures/bbc/guns.html")).unwrap();
    let mut ids = SeqIds::default();
    let mut w = ArchiveWriter::open(WriterConfig::new(dir), t("2024-05-03T10:00:00Z")).unwrap();
    let first = build::response(
        SEED_URL,
        t("2024-05-03T10:00:01Z"),
        http_response(&seed, "text/html; charset=utf-8"),
        None,
        &mut ids,
    );
    w.write(&first).unwrap();
    for (url, body, ctype) in [
        (STYLE_URL, &b"body { color: rgb(1, 2, 3); }"[..], "text/css"),
        (IMAGE_URL, PNG, "image/png"),
    ] {
        w.write(&build::response(
            url,
            t("2024-05-03T10:00:02Z"),
            http_response(body, ctype),
            None,
            &mut ids,
        ))
        .unwrap();
    }
    let digest = first
        .headers
        .get("WARC-Payload-Digest")
        .unwrap()
        .to_string();
    let refers = RefersTo {
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
        BBC_URL,
        t("2024-05-03T11:00:00Z"),
        http_response(&bbc, "text/html"),
        None,
        &mut ids,
    ))
    .unwrap();
    w.finish().unwrap();
}

fn newsarc(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "newsarc {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The test archive: raw captures, parsed with the site rules, then the seed parsed again
/// without them (a second parse of the same capture, with other field sources).
pub fn test_archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    raw_archive(dir.path());
    let d = dir.path().to_str().unwrap();
    newsarc(&["reparse", d, "--quiet"]);
    newsarc(&[
        "reparse",
        d,
        "--quiet",
        "--no-site-rules",
        "--only-site",
        "hstoday.us",
    ]);
    dir
}

/// A running `newsarc serve`, killed on drop.
pub struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub base: String,
    /// Everything it printed on stderr up to the listening line.
    pub log: String,
}

impl Served {
    /// Start `newsarc serve <archive> --bind 127.0.0.1:0 <extra>` and wait until it listens.
    pub fn start(archive: &Path, extra: &[&str]) -> Served {
        Served::start_on(archive, "127.0.0.1:0", extra)
    }

    /// Start `newsarc serve <archive> --bind <bind> <extra>`; `base` is always on 127.0.0.1.
    pub fn start_on(archive: &Path, bind: &str, extra: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsarc"))
            .arg("serve")
            .arg(archive)
            .args(["--bind", bind, "--quiet"])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut log = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                log.push_str(&line);
                log.push('\n');
                if let Some(rest) = line.split("listening on ").nth(1) {
                    let url = rest.split_whitespace().next().unwrap_or_default();
                    let url = url.trim_end_matches('/').replace("0.0.0.0", "127.0.0.1");
                    let _ = tx.send((url, log.clone()));
                }
            }
            let _ = tx.send((String::new(), log));
        });
        let (base, log) = rx.recv_timeout(Duration::from_secs(300)).unwrap();
        assert!(!base.is_empty(), "newsarc serve did not start:\n{log}");
        Served { child, base, log }
    }

    /// `base + path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The serve index folder the server made beside `archive`.
pub fn index_dirs(archive: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(archive.join(".newsarc-serve"))
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default()
}
