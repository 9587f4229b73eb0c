//! Resume after `kill -9` and SIGTERM, content-encoding, decompression bombs, budgets.

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use newsarc::archive::RecordType;

use super::{article, count_uri, gzip, listing, many_pages, of_type, records, run_async};
use crate::server::{Reply, Server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_then_resume_loses_and_duplicates_nothing() {
    let n = 40;
    let servers = [
        Server::start("127.0.0.1", many_pages("a", n)).await,
        Server::start("127.0.0.1", many_pages("b", n)).await,
        Server::start("127.0.0.2", many_pages("c", n)).await,
    ];
    let bases = [
        format!("http://127.0.0.1:{}", servers[0].addr.port()),
        format!("http://localhost:{}", servers[1].addr.port()),
        format!("http://127.0.0.2:{}", servers[2].addr.port()),
    ];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive");
    let mut args: Vec<String> = vec!["crawl".into()];
    args.extend(bases.iter().map(|b| format!("{b}/")));
    args.extend(
        [
            "--out",
            &out.display().to_string(),
            "--rate",
            "15",
            "--contact",
            "t@example.org",
            "--quiet",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    eprintln!("kill schedule seed {seed}");
    let mut rng = seed | 1;
    let mut kills = 0;
    for _ in 0..4 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let wait = Duration::from_millis(200 + rng % 600);
        let a2 = args.clone();
        let killed = tokio::task::spawn_blocking(move || {
            let mut child = Command::new(env!("CARGO_BIN_EXE_newsarc"))
                .args(&a2)
                .env("NEWSARC_LOG", "warn")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(wait);
            let done = child.try_wait().unwrap().is_some();
            if !done {
                // SIGKILL: no chance to flush or clean up.
                child.kill().unwrap();
            }
            child.wait().unwrap();
            !done
        })
        .await
        .unwrap();
        kills += usize::from(killed);
    }
    let o = run_async(args.clone()).await;
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        kills >= 2,
        "the crawl finished too fast to be killed ({kills} kills)"
    );

    let recs = records(&out);
    let responses = of_type(&recs, RecordType::Response);
    let conversions = of_type(&recs, RecordType::Conversion);
    assert!(of_type(&recs, RecordType::Revisit).is_empty());
    let mut dup_requests = 0;
    for (s, base) in servers.iter().zip(&bases) {
        let mut per_path: std::collections::HashMap<String, usize> = Default::default();
        for p in s.paths() {
            *per_path.entry(p).or_default() += 1;
        }
        for (p, k) in &per_path {
            if p == "/robots.txt" {
                continue;
            }
            let uri = format!("{base}{p}");
            assert_eq!(
                count_uri(&responses, &uri),
                1,
                "{uri} must be archived exactly once"
            );
            if p != "/" {
                assert_eq!(
                    count_uri(&conversions, &uri),
                    1,
                    "{uri} must be parsed exactly once"
                );
            }
            dup_requests += k - 1;
        }
        assert_eq!(per_path.len(), n + 2, "every page of {base} fetched");
    }
    // Only a request in flight at a kill (one per host) may be repeated.
    assert!(
        dup_requests <= kills * 3,
        "{dup_requests} repeated requests after {kills} kills"
    );
    // The archive is whole: framing, digests and index all check out.
    let v = run_async(vec!["verify".into(), out.display().to_string()]).await;
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_flushes_prints_summary_and_exits_130() {
    let s = Server::start("127.0.0.1", many_pages("t", 30)).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive");
    let args: Vec<String> = vec![
        "crawl".into(),
        format!("http://127.0.0.1:{}/", s.addr.port()),
        "--out".into(),
        out.display().to_string(),
        "--rate".into(),
        "10".into(),
        "--contact".into(),
        "t@example.org".into(),
        "--quiet".into(),
    ];
    let a2 = args.clone();
    let o = tokio::task::spawn_blocking(move || {
        let child = Command::new(env!("CARGO_BIN_EXE_newsarc"))
            .args(&a2)
            .env("NEWSARC_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(900));
        let st = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(
        err.contains("crawl summary") && err.contains("interrupted"),
        "{err}"
    );
    let fetched_before = s.hits().len();
    assert!(fetched_before < 30, "stopped early");
    // The archive was closed properly (index written) and the crawl resumes to the end.
    let v = run_async(vec!["verify".into(), out.display().to_string()]).await;
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
    let o = run_async(args).await;
    assert_eq!(o.status.code(), Some(0));
    let recs = records(&out);
    let responses = of_type(&recs, RecordType::Response);
    for i in 0..30 {
        let uri = format!("http://127.0.0.1:{}/t/{i}", s.addr.port());
        assert_eq!(count_uri(&responses, &uri), 1, "{uri}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_pages_archived_encoded_bombs_contained_budget_respected() {
    let page = gzip(article("Compressed story", &[]).as_bytes());
    // Inflates past the crawl's default decoded-size cap (max(5 × max_body, DEFAULT_DECODE_CAP)).
    let bomb_len = (newsarc::codec::DEFAULT_DECODE_CAP + (4 << 20)) as usize;
    let bomb = gzip(&vec![b' '; bomb_len]);
    let s = Server::start(
        "127.0.0.1",
        Arc::new(move |p: &str, _h, _n| match p {
            "/robots.txt" => Reply::status(404),
            "/" => Reply::html(listing(&["/gz".into(), "/bomb".into()])),
            "/gz" => Reply::ok("text/html", page.clone()).header("content-encoding", "gzip"),
            "/bomb" => Reply::ok("text/html", bomb.clone()).header("content-encoding", "gzip"),
            _ => Reply::status(404),
        }),
    )
    .await;
    let base = format!("http://127.0.0.1:{}", s.addr.port());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive");
    let o = run_async(vec![
        "crawl".into(),
        format!("{base}/"),
        "--out".into(),
        out.display().to_string(),
        "--rate".into(),
        "50".into(),
        "--contact".into(),
        "t@example.org".into(),
        "--quiet".into(),
    ])
    .await;
    // The bomb is archived as received but cannot be decoded for parsing: the run finishes,
    // counts that page as a parse failure, and exits 1.
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("parse failures") && l.trim_end().ends_with(" 1")),
        "{err}"
    );
    let recs = records(&out);
    let responses = of_type(&recs, RecordType::Response);
    let conversions = of_type(&recs, RecordType::Conversion);
    let gz = responses
        .iter()
        .find(|r| r.target_uri() == Some(format!("{base}/gz").as_str()))
        .unwrap();
    assert!(
        gz.http().unwrap().body.starts_with(&[0x1f, 0x8b]),
        "stored as received"
    );
    assert_eq!(count_uri(&conversions, &format!("{base}/gz")), 1);
    assert_eq!(count_uri(&responses, &format!("{base}/bomb")), 1);
    assert_eq!(count_uri(&conversions, &format!("{base}/bomb")), 0);

    // --max-pages stops the crawl after that many pages (robots.txt not counted).
    let m = Server::start("127.0.0.1", many_pages("m", 20)).await;
    let out2 = dir.path().join("archive2");
    let o = run_async(vec![
        "crawl".into(),
        format!("http://127.0.0.1:{}/", m.addr.port()),
        "--out".into(),
        out2.display().to_string(),
        "--rate".into(),
        "50".into(),
        "--max-pages".into(),
        "5".into(),
        "--contact".into(),
        "t@example.org".into(),
        "--quiet".into(),
    ])
    .await;
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(m.paths().iter().filter(|p| *p != "/robots.txt").count(), 5);
    assert!(String::from_utf8_lossy(&o.stderr).contains("still queued"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_page_budget_and_json_logs() {
    let s = Server::start("127.0.0.1", many_pages("j", 20)).await;
    let base = format!("http://127.0.0.1:{}", s.addr.port());
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("crawl.toml");
    std::fs::write(
        &cfg,
        format!(
            "contact = \"https://example.org/about-our-crawler\"\n\
             [defaults]\nrate = 50\n\n[[site]]\nname = \"jsite\"\nseeds = [\"{base}/\"]\nmax_pages = 4\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("archive");
    let args = vec![
        "crawl".to_string(),
        "--config".into(),
        cfg.display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--log-format".into(),
        "json".into(),
    ];
    let o = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_newsarc"))
            .args(&args)
            .env("NEWSARC_LOG", "info")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // The site budget caps the crawler's pages of the host at 4 (the home page may be
    // fetched by discovery instead, outside the crawl budget).
    let articles = s.paths().iter().filter(|p| p.starts_with("/j/")).count();
    let home = s.count("/");
    assert_eq!(home, 1);
    assert!((3..=4).contains(&articles), "{:?}", s.paths());
    let ua = s.hits()[0].headers["user-agent"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        ua.ends_with("(+https://example.org/about-our-crawler)"),
        "{ua}"
    );
    let json_lines: Vec<serde_json::Value> = err
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!json_lines.is_empty(), "{err}");
    assert!(json_lines.iter().all(|v| v.get("level").is_some()));
}
