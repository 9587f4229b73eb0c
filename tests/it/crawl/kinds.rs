//! Page kinds in the crawl: only the parsed kinds get conversion records, the summary counts
//! pages per kind, and links found on listing pages are fetched before the links found on
//! article pages (footers, related stories) at the same depth.

use std::sync::Arc;

use newsarc::archive::RecordType;

use super::{article, listing, of_type, records, run_async};
use crate::server::{Reply, Server};

const SOFT_404: &str = "<html><head><title>404 - Page not found</title></head><body><nav><a href=/>Home</a></nav><h1>Page not found</h1><p>Sorry, the page you requested does not exist.</p></body></html>";

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crawl_counts_kinds_and_fetches_listing_links_before_article_footer_links() {
    // "/" lists a1, l1, a2 and a soft 404. a1 (an article, fetched first) has footer links
    // x1..x3; l1 (a listing, fetched after it) lists y1..y3. All six are depth 2: the y links
    // come from a listing, so they go first, although the x links were found (and queued)
    // earlier.
    let site = Server::start(
        "127.0.0.1",
        Arc::new(|p: &str, _h, _n| match p {
            "/robots.txt" => Reply::status(404),
            "/" => Reply::html(listing(&strs(&["/a1", "/l1", "/a2", "/oops"]))),
            "/a1" => Reply::html(article("Story a1", &strs(&["/x1", "/x2", "/x3", "/"]))),
            "/l1" => Reply::html(listing(&strs(&["/y1", "/y2", "/y3"]))),
            "/oops" => Reply::html(SOFT_404),
            "/a2" | "/x1" | "/x2" | "/x3" | "/y1" | "/y2" | "/y3" => {
                Reply::html(article(&format!("Story {p}"), &strs(&["/"])))
            }
            _ => Reply::status(404),
        }),
    )
    .await;
    let base = format!("http://127.0.0.1:{}", site.addr.port());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive");
    let o = run_async(vec![
        "crawl".into(),
        format!("{base}/"),
        "--out".into(),
        out.display().to_string(),
        // 200 ms between requests: every page is parsed (and its links queued) before the
        // next URL is picked.
        "--rate".into(),
        "5".into(),
        "--contact".into(),
        "t@example.org".into(),
        "--quiet".into(),
    ])
    .await;
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(0), "{err}");

    let paths = site.paths();
    let at = |p: &str| {
        paths
            .iter()
            .position(|x| x == p)
            .unwrap_or_else(|| panic!("{p} not fetched: {paths:?}"))
    };
    assert!(at("/a1") < at("/l1"), "{paths:?}");
    for y in ["/y1", "/y2", "/y3"] {
        for x in ["/x1", "/x2", "/x3"] {
            assert!(at(y) < at(x), "{y} after {x}: {paths:?}");
        }
    }
    // Depth first: every depth-1 page before any depth-2 page.
    assert!(at("/oops") < at("/y1"), "{paths:?}");

    // The summary counts pages per kind.
    let kinds = err
        .lines()
        .find(|l| l.trim_start().starts_with("kinds "))
        .unwrap_or_else(|| panic!("no kinds line: {err}"));
    assert_eq!(
        kinds.split_whitespace().collect::<Vec<_>>().join(" "),
        "kinds article 8, listing 2, error 1"
    );
    assert!(
        err.lines()
            .any(|l| l.contains("parsed records written") && l.trim_end().ends_with(" 8")),
        "{err}"
    );
    // Conversion records for the parsed kinds only.
    let recs = records(&out);
    let conv: Vec<&str> = of_type(&recs, RecordType::Conversion)
        .iter()
        .filter_map(|r| r.target_uri())
        .collect();
    assert_eq!(conv.len(), 8, "{conv:?}");
    for p in ["/", "/l1", "/oops"] {
        assert!(!conv.contains(&format!("{base}{p}").as_str()), "{p} stored");
    }
}
