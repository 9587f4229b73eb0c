//! The real-browser test: headless Chromium (Debian's `chromium` + `chromium-driver`,
//! installed by `.ci/browser` when missing, once, under a `flock`) driven over chromedriver's
//! W3C WebDriver HTTP API. It opens the overview, searches for a word of the seed article,
//! opens the capture, checks the title and the provenance badges, saves a screenshot to
//! `target/serve-browser.png`, and asserts from the performance log that no request left
//! 127.0.0.1 (the replayed seed page links ad scripts, fonts and images on other hosts).

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{SEED_TITLE, Served, test_archive};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Install Chromium and ChromeDriver when missing (one process at a time).
fn ensure_browser() {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lock = File::create(repo.join(".browser.lock")).expect("create .browser.lock");
    // SAFETY: flock on a descriptor we own; the lock is released when `lock` is dropped.
    let rc = unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(
        rc,
        0,
        "flock .browser.lock: {}",
        std::io::Error::last_os_error()
    );
    if !(Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists()) {
        let st = Command::new("bash")
            .arg(repo.join(".ci/browser"))
            .status()
            .expect("run .ci/browser");
        assert!(
            st.success(),
            ".ci/browser failed (it needs apt-get and Debian's archive)"
        );
    }
    drop(lock);
}

/// A proxy that answers nothing: records the first line of every request it gets.
struct Tripwire {
    addr: std::net::SocketAddr,
    hits: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Tripwire {
    fn start() -> Tripwire {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let hits = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = hits.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let mut buf = [0u8; 2048];
                let n = std::io::Read::read(&mut conn, &mut buf).unwrap_or(0);
                let text = String::from_utf8_lossy(&buf[..n]);
                log.lock()
                    .unwrap()
                    .push(text.lines().next().unwrap_or("").to_string());
                let _ = std::io::Write::write_all(
                    &mut conn,
                    b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n",
                );
            }
        });
        Tripwire { addr, hits }
    }

    fn hits(&self) -> Vec<String> {
        self.hits.lock().unwrap().clone()
    }
}

/// chromedriver on a free loopback port, killed on drop.
struct Driver {
    child: Child,
    base: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_driver(http: &reqwest::Client) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(r) = http.get(format!("{}/status", driver.base)).send().await
            && let Ok(b) = r.bytes().await
            && let Ok(v) = serde_json::from_slice::<Value>(&b)
            && v["value"]["ready"] == true
        {
            return driver;
        }
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One WebDriver session.
struct Session<'a> {
    http: &'a reqwest::Client,
    url: String,
}

impl Session<'_> {
    async fn cmd(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.url));
        if method == reqwest::Method::POST {
            req = req
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let bytes = req.send().await.unwrap().bytes().await.unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert!(v["value"]["error"].is_null(), "{path}: {v}");
        v["value"].clone()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.cmd(reqwest::Method::POST, path, body).await
    }

    async fn get(&self, path: &str) -> Value {
        self.cmd(reqwest::Method::GET, path, Value::Null).await
    }

    /// Elements matching a CSS selector (their ids).
    async fn find_all(&self, css: &str) -> Vec<String> {
        let v = self
            .post("/elements", json!({"using": "css selector", "value": css}))
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| {
                e.as_object()
                    .unwrap()
                    .values()
                    .next()
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    async fn find(&self, css: &str) -> String {
        let all = self.find_all(css).await;
        assert!(!all.is_empty(), "no element matches {css}");
        all[0].clone()
    }

    async fn text(&self, el: &str) -> String {
        self.get(&format!("/element/{el}/text"))
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn current_url(&self) -> String {
        self.get("/url").await.as_str().unwrap().to_string()
    }

    async fn wait_url(&self, part: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let u = self.current_url().await;
            if u.contains(part) {
                return u;
            }
            assert!(Instant::now() < deadline, "never reached {part}; at {u}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// URLs of every request the page made so far (performance log).
    async fn requests(&self) -> Vec<String> {
        let v = self.post("/se/log", json!({"type": "performance"})).await;
        let mut out = Vec::new();
        for entry in v.as_array().unwrap() {
            let msg: Value = serde_json::from_str(entry["message"].as_str().unwrap()).unwrap();
            if msg["message"]["method"] == "Network.requestWillBeSent" {
                out.push(
                    msg["message"]["params"]["request"]["url"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                );
            }
        }
        out
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_searches_opens_the_capture_and_stays_on_loopback() {
    ensure_browser();
    let dir = test_archive();
    let served = Served::start(dir.path(), &[]);
    let http = reqwest::Client::new();
    let driver = start_driver(&http).await;
    let tripwire = Tripwire::start();
    let profile = tempfile::tempdir().unwrap();
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                     "--window-size=1400,1000",
                     // Keep the sandboxed replay frame in the page's process, so its
                     // requests are in this page's performance log.
                     "--disable-features=IsolateSandboxedIframes",
                     // Anything not for loopback (which Chromium never proxies) would
                     // go to the tripwire, which records it and refuses.
                     format!("--proxy-server=http://{}", tripwire.addr),
                     format!("--user-data-dir={}", profile.path().display())]
        },
        "goog:loggingPrefs": {"performance": "ALL"}
    }}});
    let bytes = http
        .post(format!("{}/session", driver.base))
        .header("content-type", "application/json")
        .body(caps.to_string())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    let id = v["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no session: {v}"));
    let s = Session {
        http: &http,
        url: format!("{}/session/{id}", driver.base),
    };

    // Overview.
    s.post("/url", json!({"url": served.url("/")})).await;
    let sites = s.find("table.sites").await;
    let text = s.text(&sites).await;
    assert!(
        text.contains("hstoday.us") && text.contains("bbc.com"),
        "{text}"
    );

    // Search for a word of the seed article, from the header's search box.
    let input = s.find("header form input[name=q]").await;
    s.post(
        &format!("/element/{input}/value"),
        json!({"text": "Voronkov"}),
    )
    .await;
    let button = s.find("header form button").await;
    s.post(&format!("/element/{button}/click"), json!({})).await;
    s.wait_url("/search?q=Voronkov").await;
    let hit = s.find(".hit h3 a").await;
    assert!(
        s.text(&hit)
            .await
            .contains("Reinvigorating Multilateralism")
    );
    let snippet = s.text(&s.find(".hit .snippet").await).await;
    assert!(snippet.contains("Voronkov"), "{snippet}");

    // The capture: title, provenance badges, the replay frame.
    s.post(&format!("/element/{hit}/click"), json!({})).await;
    s.wait_url("/capture?url=").await;
    let h1 = s.text(&s.find("h1").await).await;
    assert_eq!(h1, SEED_TITLE);
    let mut badges = Vec::new();
    for b in s.find_all(".article .badge").await {
        badges.push(s.text(&b).await.to_ascii_lowercase());
    }
    assert!(badges.len() >= 10, "{badges:?}");
    for want in ["json-ld", "meta"] {
        assert!(
            badges.iter().any(|b| b == want),
            "no {want} badge in {badges:?}"
        );
    }
    // Let the sandboxed frame load its page and sub-resources.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut requests = Vec::new();
    while Instant::now() < deadline {
        requests.extend(s.requests().await);
        if requests
            .iter()
            .any(|u| u.contains("/replay/") && u.contains("style.css"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    requests.extend(s.requests().await);
    let shot = s.get("/screenshot").await;
    let png = data_encoding::BASE64
        .decode(shot.as_str().unwrap().as_bytes())
        .unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/serve-browser.png");
    std::fs::write(&out, &png).unwrap();
    let _ = s.cmd(reqwest::Method::DELETE, "", Value::Null).await;

    // chrome:// pages (the new-tab page the session opens on) are the browser's own
    // resources, not network requests.
    requests.retain(|u| !u.starts_with("chrome://"));
    assert!(
        requests
            .iter()
            .any(|u| u.contains("/replay/") && u.contains("style.css")),
        "the replayed page did not load its archived style sheet: {requests:#?}"
    );
    let outside: Vec<&String> = requests
        .iter()
        .filter(|u| {
            !(u.starts_with(&format!("{}/", served.base))
                || u.starts_with("data:")
                || u.starts_with("about:"))
        })
        .collect();
    assert!(
        outside.is_empty(),
        "requests outside 127.0.0.1: {outside:#?}"
    );
    // The browser itself phones home (update checks, its start page, autofill): the
    // tripwire refuses those too. None of them may be for a host the archived page links.
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hstoday/page.html"),
    )
    .unwrap();
    let linked: std::collections::BTreeSet<String> =
        regex::Regex::new(r#"https?://([A-Za-z0-9.-]+)"#)
            .unwrap()
            .captures_iter(&seed)
            .map(|c| c[1].to_ascii_lowercase())
            .collect();
    assert!(
        linked.len() > 5 && linked.contains("securepubads.g.doubleclick.net"),
        "{linked:?}"
    );
    let tripped: Vec<String> = tripwire
        .hits()
        .into_iter()
        .filter(|line| {
            linked
                .iter()
                .any(|h| line.contains(&format!(" {h}:")) || line.contains(&format!("//{h}/")))
        })
        .collect();
    assert!(
        tripped.is_empty(),
        "requests for the archived page's hosts: {tripped:#?}"
    );
    assert!(requests.len() >= 5, "{requests:#?}");
}
