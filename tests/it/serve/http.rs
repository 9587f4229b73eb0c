//! Every page and API of `newsarc serve` over HTTP: contents, headers (CSP on replay and on
//! the app), bad parameters (400 with a message), traversal attempts, the access token, and
//! the index kept on disk and rebuilt when the archive changes.

use std::io::{Read, Write};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::{BBC_URL, SEED_TITLE, SEED_URL, STYLE_URL, Served, index_dirs, test_archive};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(s: &Served, path: &str) -> (StatusCode, HeaderMap, String) {
    get_with(s, path, &[]).await
}

async fn get_with(
    s: &Served,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let mut req = client().get(s.url(path));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let h = r.headers().clone();
    (status, h, r.text().await.unwrap())
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A request sent byte for byte (reqwest would normalise `..` away).
fn raw_get(s: &Served, path: &str) -> String {
    let addr = s.base.trim_start_matches("http://");
    let mut tcp = std::net::TcpStream::connect(addr).unwrap();
    write!(
        tcp,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    tcp.read_to_string(&mut out).unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_pages_apis_and_replay() {
    let dir = test_archive();
    let s = Served::start(dir.path(), &[]);
    assert!(s.log.contains("index built"), "{}", s.log);

    // Overview.
    let (st, h, body) = get(&s, "/").await;
    assert_eq!(st, 200);
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'none'") && csp.contains("default-src 'self'"),
        "{csp}"
    );
    assert_eq!(h["x-frame-options"], "DENY");
    for want in ["hstoday.us", "bbc.com", "<svg class=\"bars\"", "article 2"] {
        assert!(body.contains(want), "overview lacks {want:?}:\n{body}");
    }
    let (st, h, css) = get(&s, "/static/app.css").await;
    assert_eq!(st, 200);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/css"));
    assert!(css.contains(".badge"));

    // Site list: the seed and its revisit (pages), not the style sheet or image.
    let (st, _, body) = get(&s, "/site/hstoday.us").await;
    assert_eq!(st, 200);
    assert!(body.contains("2 page captures"), "{body}");
    assert!(body.contains(SEED_TITLE));
    assert!(!body.contains("style.css"));
    assert!(body.contains("2024-05-04 10:00:01") && body.contains("2024-05-03 10:00:01"));
    assert!(
        body.find("2024-05-04 10:00:01") < body.find("2024-05-03 10:00:01"),
        "newest first"
    );
    let (_, _, body) = get(&s, "/site/hstoday.us?from=2024-05-04").await;
    assert!(body.contains("1 page captures"), "{body}");
    let (_, _, body) = get(&s, "/site/hstoday.us?to=2024-05-03&kind=article&lang=en").await;
    assert!(body.contains("1 page captures"), "{body}");
    let (_, _, body) = get(&s, "/site/hstoday.us?kind=listing").await;
    assert!(body.contains("0 page captures"), "{body}");
    let (_, _, body) = get(&s, "/site/www.hstoday.us?lang=de").await;
    assert!(body.contains("0 page captures"), "{body}");

    // Search with highlighted snippets, per site.
    let (st, _, body) = get(&s, "/search?q=multilateralism").await;
    assert_eq!(st, 200);
    assert!(body.contains("2 articles match"), "{body}");
    assert!(
        body.contains("<b>Multilateralism</b>") || body.contains("<b>multilateralism</b>"),
        "{body}"
    );
    assert!(body.contains(&format!("/capture?url={}", enc(SEED_URL))));
    let (_, _, body) = get(&s, "/search?q=multilateralism&site=bbc.com").await;
    assert!(body.contains("0 articles match"), "{body}");
    let (st, h, body) = get(&s, "/search?q=%22%3Cscript%3Ealert%22").await;
    assert_eq!(st, 200, "{body}");
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(
        !body.contains("<script>") && (body.contains("&lt;script") || body.contains("&#60;script")),
        "the query is escaped"
    );

    // Capture page: fields with badges, sandboxed iframe, timeline, parses, diff.
    let cap = format!("/capture?url={}&ts=20240503100001", enc(SEED_URL));
    let (st, _, body) = get(&s, &cap).await;
    assert_eq!(st, 200);
    assert!(body.contains(&format!("<h1>{SEED_TITLE}</h1>")), "{body}");
    for badge in ["badge src-json-ld", "badge src-meta"] {
        assert!(body.contains(badge), "no {badge}:\n{body}");
    }
    let iframe = body
        .split("<iframe")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert!(
        iframe.starts_with(" sandbox src=\"/replay/20240503100001/https://www.hstoday.us/"),
        "{iframe}"
    );
    assert!(!iframe.contains("allow-"), "{iframe}");
    assert_eq!(body.matches("<li class=\"current\">").count(), 1);
    assert!(
        body.contains("2024-05-04 10:00:01"),
        "timeline has the revisit"
    );
    assert!(
        body.contains("<td>hstoday@"),
        "first parse used the site config:\n{body}"
    );
    let (st, _, body) = get(&s, &format!("{cap}&a=1&b=2")).await;
    assert_eq!(st, 200);
    assert!(body.contains("Parse 1 → parse 2"), "{body}");
    assert!(
        body.contains("<tr class=\"changed\"><td>selectors</td>"),
        "{body}"
    );
    let (st, _, body) = get(&s, &format!("/capture?url={}", enc(BBC_URL))).await;
    assert_eq!(st, 200);
    assert!(body.contains("badge src-"), "{body}");

    // Replay: CSP sandbox, links into the archive, captured sub-resources served, others 404.
    let (st, h, body) = get(&s, &format!("/replay/20240503100001/{SEED_URL}")).await;
    assert_eq!(st, 200);
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("sandbox;"), "{csp}");
    assert!(
        csp.contains(&format!("default-src {}/replay/ ", s.base)),
        "{csp}"
    );
    assert!(csp.contains("script-src 'none'"), "{csp}");
    assert!(h.get("x-frame-options").is_none());
    assert!(body.contains("/replay/20240503100001/https://www.hstoday.us/wp-content/themes/Newspaper/style.css?ver=12.6"));
    assert!(
        !body.contains("src=\"https://"),
        "a live src is left in the replayed page"
    );
    assert!(
        body.contains(
            "/replay/20240503100001/https://securepubads.g.doubleclick.net/tag/js/gpt.js"
        )
    );
    let (st, h, css) = get(&s, &format!("/replay/20240503100001/{STYLE_URL}")).await;
    assert_eq!(st, 200);
    assert_eq!(h["content-type"], "text/css");
    assert!(css.contains("rgb(1, 2, 3)"));
    let (st, h, _) = get(
        &s,
        "/replay/20240503100001/https://securepubads.g.doubleclick.net/tag/js/gpt.js",
    )
    .await;
    assert_eq!(st, 404);
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("sandbox;")
    );
    // The revisit replays its original's payload.
    let (st, _, body) = get(&s, &format!("/replay/20240504100001/{SEED_URL}")).await;
    assert_eq!(st, 200);
    assert!(body.contains("Reinvigorating Multilateralism"));

    // Raw record and its download.
    let (st, _, body) = get(&s, &format!("/raw?url={}&ts=20240503100001", enc(SEED_URL))).await;
    assert_eq!(st, 200);
    assert!(
        body.contains("WARC-Type: response") && body.contains("HTTP/1.1 200 OK"),
        "{body}"
    );
    let dl = body
        .split("href=\"/record?")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let (st, h, rec) = get(
        &s,
        &format!("/record?{}", dl.replace("&#38;", "&").replace("&amp;", "&")),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(h["content-type"], "application/warc");
    assert!(rec.starts_with("WARC/1.1\r\n") && rec.contains("WARC-Type: response"));

    // CDX API (pywb's JSON lines and CDXJ).
    let (st, _, body) = get(&s, "/cdx?url=hstoday.us/*&output=json").await;
    assert_eq!(st, 200);
    let rows: Vec<serde_json::Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4, "{body}");
    let archive_file = newsarc::archive::archive_files(&[dir.path().to_path_buf()]).unwrap()[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    for r in &rows {
        assert!(
            r["urlkey"].as_str().unwrap().starts_with("us,hstoday)/"),
            "{r}"
        );
        assert_eq!(r["filename"], archive_file.as_str());
        assert!(r["offset"].as_str().unwrap().parse::<u64>().is_ok());
    }
    let (_, _, body) = get(&s, &format!("/cdx?url={}", enc(SEED_URL))).await;
    assert_eq!(body.lines().count(), 2, "{body}");
    assert!(
        body.starts_with("us,hstoday)/featured/third-high-level"),
        "{body}"
    );
    let (_, _, body) = get(
        &s,
        "/cdx?url=hstoday.us&matchType=domain&from=20240504&output=json",
    )
    .await;
    assert_eq!(body.lines().count(), 1, "{body}");
    let (_, _, body) = get(&s, "/cdx?url=hstoday.us&matchType=host&limit=1").await;
    assert_eq!(body.lines().count(), 1, "{body}");

    // Articles API: the export's JSON rows.
    let (st, h, body) = get(&s, "/api/articles?site=hstoday.us").await;
    assert_eq!(st, 200);
    assert_eq!(h["content-type"], "application/x-ndjson");
    let rows: Vec<serde_json::Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "{body}");
    assert_eq!(rows[0]["capture_time"], "2024-05-04T10:00:01Z");
    assert_eq!(rows[1]["warc_file"], archive_file.as_str());
    assert!(
        rows[1]["conversion_record_id"]
            .as_str()
            .unwrap()
            .starts_with("<urn:")
    );
    assert!(
        rows[1]["title"]
            .as_str()
            .unwrap()
            .contains("Counterterrorism")
    );
    let (_, _, body) = get(&s, "/api/articles?lang=en&limit=1&page=2").await;
    assert_eq!(body.lines().count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_parameters_are_400_with_a_message_and_traversal_fails() {
    let dir = test_archive();
    let s = Served::start(dir.path(), &[]);
    let seed = enc(SEED_URL);
    let cases: Vec<(String, &str)> = vec![
        ("/site/hstoday.us?from=2024-13-45".into(), "from"),
        ("/site/hstoday.us?to=yesterday".into(), "to"),
        ("/site/hstoday.us?page=0".into(), "page"),
        ("/site/hstoday.us?kind=blog".into(), "kind"),
        ("/site/hstoday.us?lang=e%25".into(), "lang"),
        ("/search".into(), "q"),
        ("/search?q=title:(unclosed".into(), "search query"),
        ("/search?q=x&page=abc".into(), "page"),
        ("/search?q=x&page=1000000".into(), "first 10000 hits"),
        ("/search?q=x&page=502".into(), "1 to 501"),
        ("/search?q=x&site=a%20b".into(), "site"),
        ("/capture".into(), "url"),
        ("/capture?url=notaurl".into(), "url"),
        (format!("/capture?url={seed}&ts=abc"), "ts"),
        (format!("/capture?url={seed}&a=1&b=99"), "b=99"),
        ("/raw?url=ftp%3A%2F%2Fx".into(), "url"),
        ("/cdx".into(), "url"),
        ("/cdx?url=x.com&matchType=foo".into(), "matchType"),
        ("/cdx?url=x.com&limit=0".into(), "limit"),
        ("/cdx?url=x.com&output=xml".into(), "output"),
        ("/cdx?url=x.com&from=yesterday".into(), "from"),
        ("/api/articles?to=2024-02-30".into(), "to"),
        ("/api/articles?limit=100000".into(), "limit"),
        ("/replay/abc/https://x.com/".into(), "timestamp"),
        ("/replay/2024/javascript:alert(1)".into(), "URL"),
        ("/record?file=x.warc.zst&offset=-1".into(), "offset"),
        (
            "/record?file=..%2F..%2Fetc%2Fpasswd&offset=0".into(),
            "file",
        ),
        ("/record?file=%2Fetc%2Fpasswd&offset=0".into(), "file"),
        ("/record?file=%2e%2e%2fx.warc.zst&offset=0".into(), "file"),
        ("/record?file=/tmp/x.warc&offset=0".into(), "file"),
    ];
    for (path, names) in &cases {
        let (st, h, body) = get(&s, path).await;
        assert_eq!(st, 400, "{path}: {body}");
        assert!(
            body.contains(names),
            "{path}: message {body:?} should name {names}"
        );
        assert!(
            h["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
    }
    for path in [
        "/site/nosuch.example",
        "/capture?url=https%3A%2F%2Fnosuch.example%2F",
        "/record?file=other.warc.zst&offset=0",
        "/nope",
    ] {
        let (st, _, body) = get(&s, path).await;
        assert_eq!(st, 404, "{path}: {body}");
    }
    let file = newsarc::archive::archive_files(&[dir.path().to_path_buf()]).unwrap()[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let (st, _, _) = get(&s, &format!("/record?file={file}&offset=1")).await;
    assert_eq!(st, 404, "an offset that is no indexed record");
    // Sent byte for byte: dot segments, encoded or not, never reach a file.
    for path in [
        "/static/../../Cargo.toml",
        "/static/%2e%2e/%2e%2e/Cargo.toml",
        "/site/..%2F..%2Fetc%2Fpasswd",
        "/replay/2024/..%2F..%2Fetc%2Fpasswd",
        "/record?file=..%2F..%2F..%2F..%2Fetc%2Fpasswd&offset=0",
        "/..%2F..%2Fetc%2Fpasswd",
    ] {
        let resp = raw_get(&s, path);
        let status: u16 = resp.split(' ').nth(1).unwrap().parse().unwrap();
        assert!((400..500).contains(&status), "{path}: {resp}");
        assert!(
            !resp.contains("root:") && !resp.contains("[package]"),
            "{path}: {resp}"
        );
    }
}

/// A request with a `Host` header of our choosing, as `(status, whole answer)`.
fn get_with_host(s: &Served, path: &str, host: &str) -> (u16, String) {
    let addr = s.base.trim_start_matches("http://");
    let mut tcp = std::net::TcpStream::connect(addr).unwrap();
    write!(
        tcp,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    tcp.read_to_string(&mut out).unwrap();
    (out.split(' ').nth(1).unwrap().parse().unwrap(), out)
}

#[test]
fn without_a_token_only_local_hosts_are_answered() {
    let dir = test_archive();
    let s = Served::start(dir.path(), &[]);
    let port = s.base.rsplit(':').next().unwrap().to_string();
    let replay = format!("/replay/20240503100001/{SEED_URL}");
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "10.1.2.3".to_string(),
    ] {
        for path in ["/", "/api/articles", replay.as_str()] {
            let (st, out) = get_with_host(&s, path, &host);
            assert_eq!(st, 403, "{host} {path}: {out}");
            assert!(out.contains("DNS rebinding"), "{out}");
            assert!(!out.contains("hstoday"), "{out}");
        }
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "[::1]".to_string(),
        "LOCALHOST".to_string(),
    ] {
        let (st, out) = get_with_host(&s, "/", &host);
        assert_eq!(st, 200, "{host}: {out}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_token_is_enforced_and_a_public_bind_warns() {
    let dir = test_archive();
    let token = "s3cret-token-123";
    let s = Served::start_on(dir.path(), "0.0.0.0:0", &["--auth-token", token]);
    assert!(
        s.log
            .contains("warning: serving on 0.0.0.0:0, reachable from other machines"),
        "{}",
        s.log
    );
    for path in [
        "/",
        "/site/hstoday.us",
        "/cdx?url=hstoday.us/*",
        "/api/articles",
    ] {
        let (st, h, _) = get(&s, path).await;
        assert_eq!(st, 401, "{path}");
        assert_eq!(h["www-authenticate"], "Bearer");
        let (st, _, _) = get_with(&s, path, &[("authorization", "Bearer wrong-token-123")]).await;
        assert_eq!(st, 401, "{path}");
        let (st, _, _) = get_with(&s, path, &[("authorization", &format!("Bearer {token}"))]).await;
        assert_eq!(st, 200, "{path}");
    }
    // A wrong `?token=` never sets the cookie (it would carry the real token), nor does
    // any token on a replay path, which skips the check.
    for path in [
        "/?token=x".to_string(),
        "/?token=s3cret-token-124".to_string(),
        "/replay/20240503100001/http://a/?token=x".to_string(),
        format!("/replay/20240503100001/{SEED_URL}?token=x"),
        format!("/replay/20240503100001/{SEED_URL}?token={token}"),
    ] {
        let (_, h, body) = get(&s, &path).await;
        assert!(h.get("set-cookie").is_none(), "{path}: {h:?}");
        assert!(!body.contains(token), "{path}: {body}");
    }
    let (st, h, _) = get(&s, &format!("/?token={token}")).await;
    assert_eq!(st, 200);
    let cookie = h["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_string();
    let cap = format!("/capture?url={}&ts=20240503100001", enc(SEED_URL));
    let (st, _, body) = get_with(&s, &cap, &[("cookie", &pair)]).await;
    assert_eq!(st, 200);
    // The iframe's replay URL carries the key a sandboxed page needs (it sends no cookie).
    let src = body
        .split("<iframe sandbox src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(src.starts_with("/replay/_k"), "{src}");
    let (st, _, page) = get(&s, src).await;
    assert_eq!(st, 200);
    assert!(page.contains(&format!(
        "{}20240503100001/https://www.hstoday.us/wp-content",
        &src[..src.find("2024").unwrap()]
    )));
    let (st, _, _) = get(&s, &format!("/replay/20240503100001/{SEED_URL}")).await;
    assert_eq!(st, 401, "replay without the key");
    let (st, _, _) = get(&s, &format!("/replay/_kdeadbeef/20240503100001/{SEED_URL}")).await;
    assert_eq!(st, 401, "replay with a wrong key");
}

#[test]
fn index_is_reused_then_rebuilt_when_the_archive_changes() {
    let dir = test_archive();
    let first = Served::start(dir.path(), &[]);
    assert!(first.log.contains("index built"), "{}", first.log);
    drop(first);
    assert_eq!(index_dirs(dir.path()).len(), 1);
    let again = Served::start(dir.path(), &[]);
    assert!(again.log.contains("index opened"), "{}", again.log);
    drop(again);
    // A re-parse adds a file and its CDXJ: the index is rebuilt and shows the new parse.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args([
            "reparse",
            dir.path().to_str().unwrap(),
            "--quiet",
            "--force",
            "--only-site",
            "bbc.com",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let third = Served::start(dir.path(), &[]);
    assert!(third.log.contains("index built"), "{}", third.log);
    assert_eq!(
        index_dirs(dir.path()).len(),
        1,
        "the old index was replaced"
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let body = rt.block_on(async {
        let (_, _, b) = get(&third, &format!("/capture?url={}", enc(BBC_URL))).await;
        b
    });
    assert_eq!(
        body.matches("<tr><td>").count(),
        2,
        "two parses of the BBC page:\n{body}"
    );
}

#[test]
fn bad_usage_is_exit_2_with_the_fix() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args(["serve", ".", "--bind", "localhost"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("127.0.0.1:8080"));
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args([
            "serve",
            empty.path().to_str().unwrap(),
            "--bind",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no archive files"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsarc"))
        .args(["serve", "/nonexistent/archive", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/archive"));
}
