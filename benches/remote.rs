//! Export over HTTP from loopback against export from local files (issue #12: "≥ 80 % of the
//! local-file rate"). The same archives (fixture pages as response + conversion pairs, several
//! files) are exported to JSONL from disk and from nginx on 127.0.0.1 (installed by
//! `.ci/nginx`), alternating, several runs each; medians and their ratio are printed.
//! Run: `cargo bench --bench remote` (NEWSARC_BENCH_REPEAT / NEWSARC_BENCH_RUNS to change).

/// The `newsarc` CLI's allocator (see `src/main.rs`): measured as users run it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use newsarc::archive::{ArchiveWriter, SeqIds, WriterConfig, build, local_sources};
use newsarc::export::{DatasetFormat, DatasetOptions, RowFilter, export_dataset, parse_kinds};
use newsarc::extract::{ExtractInput, ExtractOptions, extract};
use newsarc::selectors::RuleSet;
use newsarc::store::{Location, Stores};

const PAGES: [&str; 9] = [
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

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// `files` archive files of `repeat` rounds over the fixture pages, each page a response and
/// its conversion; returns the files and the bytes written.
fn corpus(dir: &Path, repeat: usize, files: usize) -> (Vec<PathBuf>, u64) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let t0: DateTime<Utc> = "2024-05-03T10:00:00Z".parse().unwrap();
    let pages: Vec<(String, Vec<u8>, Vec<u8>)> = PAGES
        .iter()
        .map(|p| {
            let html = std::fs::read(root.join(p)).unwrap();
            let url = format!("https://news.example/{p}");
            let a = extract(
                &ExtractInput::new(&html, &url),
                &RuleSet::empty(),
                &ExtractOptions::default(),
            )
            .article;
            let mut resp = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
                html.len()
            )
            .into_bytes();
            resp.extend_from_slice(&html);
            (url, resp, serde_json::to_vec(&a).unwrap())
        })
        .collect();
    let mut ids = SeqIds::default();
    let mut out = Vec::new();
    let per = repeat.div_ceil(files);
    for f in 0..files {
        let start = t0 + chrono::Duration::hours(f as i64);
        let mut w = ArchiveWriter::open(WriterConfig::new(dir), start).unwrap();
        for r in (f * per)..((f + 1) * per).min(repeat) {
            for (i, (url, resp, json)) in pages.iter().enumerate() {
                let at = start + chrono::Duration::seconds((r * 10 + i) as i64);
                let url = format!("{url}?r={r}");
                let rec = build::response(&url, at, resp.clone(), None, &mut ids);
                w.write(&rec).unwrap();
                let of = build::ParseOf {
                    record_id: rec.id().unwrap(),
                    captured: at,
                };
                let conv =
                    build::conversion(&url, at, json.clone(), of, "newsarc/bench", None, &mut ids);
                w.write(&conv).unwrap();
            }
        }
        out.extend(w.finish().unwrap());
    }
    out.sort();
    let bytes = out
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    (out, bytes)
}

/// nginx serving `root` on 127.0.0.1 (killed on drop).
struct Nginx(Child, u16);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn nginx(root: &Path, work: &Path) -> Nginx {
    if !Path::new("/usr/sbin/nginx").exists() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/nginx");
        assert!(Command::new("bash").arg(script).status().unwrap().success());
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let d = work.display();
    std::fs::create_dir_all(work.join("tmp")).unwrap();
    let conf = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\n\
         error_log {d}/error.log;\nevents {{ worker_connections 64; }}\nhttp {{\n\
         access_log off; sendfile on;\n\
         client_body_temp_path {d}/tmp; proxy_temp_path {d}/tmp; fastcgi_temp_path {d}/tmp;\n\
         uwsgi_temp_path {d}/tmp; scgi_temp_path {d}/tmp;\n\
         server {{ listen 127.0.0.1:{port}; root {}; }}\n}}\n",
        root.display()
    );
    std::fs::write(work.join("nginx.conf"), conf).unwrap();
    let child = Command::new("/usr/sbin/nginx")
        .arg("-p")
        .arg(work)
        .arg("-c")
        .arg(work.join("nginx.conf"))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < until, "nginx did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    Nginx(child, port)
}

fn main() {
    let repeat = env_num("NEWSARC_BENCH_REPEAT", 60);
    let runs = env_num("NEWSARC_BENCH_RUNS", 5);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("www");
    std::fs::create_dir_all(&root).unwrap();
    let (files, bytes) = corpus(&root, repeat, 4);
    let srv = nginx(&root, &tmp.path().join("nginx"));
    let stores = Stores::default();
    let urls: Vec<_> = files
        .iter()
        .map(|f| {
            let name = f.file_name().unwrap().to_str().unwrap();
            let loc = Location::parse(format!("http://127.0.0.1:{}/{name}", srv.1)).unwrap();
            stores.open(&loc).unwrap()
        })
        .collect();
    let local = local_sources(&files);
    let filter = RowFilter {
        kinds: Some(parse_kinds("article,liveblog,gallery,video,listing,forum,product,documentation,service,error,other").unwrap()),
        ..RowFilter::default()
    };
    let opts = DatasetOptions {
        all_versions: true,
        ..DatasetOptions::new(DatasetFormat::Jsonl)
    };
    let out = tmp.path().join("out.jsonl");
    let rate = |sources: &[newsarc::archive::Source]| {
        let t = Instant::now();
        let s = export_dataset(sources, &out, &opts, &filter, |_| {}).unwrap();
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        (s.rows as f64 / t.elapsed().as_secs_f64(), s.rows)
    };
    rate(&local); // warm the page cache and nginx
    let (mut l, mut h) = (Vec::new(), Vec::new());
    let mut rows = 0;
    for _ in 0..runs {
        let (r, n) = rate(&local);
        l.push(r);
        h.push(rate(&urls).0);
        rows = n;
    }
    let (lm, hm) = (median(l.clone()), median(h.clone()));
    println!(
        "export jsonl, {} files, {:.1} MB, {rows} rows, {runs} runs each (alternating)",
        files.len(),
        bytes as f64 / 1e6
    );
    println!(
        "  local files:       median {lm:.0} rows/s ({:.0} MB/s)  runs {l:.0?}",
        lm * bytes as f64 / rows as f64 / 1e6
    );
    println!(
        "  HTTP on loopback:  median {hm:.0} rows/s ({:.0} MB/s)  runs {h:.0?}",
        hm * bytes as f64 / rows as f64 / 1e6
    );
    println!("  HTTP / local:      {:.0} %", 100.0 * hm / lm);
}
