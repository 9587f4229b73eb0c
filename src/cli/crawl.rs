//! `newsarc crawl`: the main job.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use newsarc::config::{self, Overrides};
use newsarc::crawl::{Crawler, RunOptions, Summary};

use super::Exit;

/// Crawl news sites into a WARC archive, parsing articles on the way.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc crawl https://www.example-news.com/ --contact you@example.org --max-pages 500
  newsarc crawl https://www.example-news.com/ --max-depth 0 --since 2d   # sitemaps + feeds only, newest first
  newsarc crawl --config sites.toml --quiet --log-format json             # cron / systemd
  newsarc crawl --config sites.toml --watch --interval 15m                # keep polling feeds
  newsarc crawl --seeds-file seeds.txt --allow '/20[0-9]{2}/' --deny '/tag/' --rate 0.5

Run the same command again after a crash or Ctrl-C: the crawl resumes from the state in --out
(--fresh starts over). Exit codes: 0 all fine, 1 some pages failed or could not be parsed,
2 bad flags or config, 3 fatal (archive write failed), 130 interrupted.")]
pub struct Args {
    /// Seed URLs (home pages, section fronts, articles).
    pub seeds: Vec<String>,
    /// A file with one seed URL per line (`#` comments allowed).
    #[arg(long)]
    pub seeds_file: Option<PathBuf>,
    /// A TOML crawl config listing sites, seeds, feeds, rates and budgets.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Archive folder; the crawl state lives beside the archive in it.
    #[arg(long, default_value = "archive")]
    pub out: PathBuf,
    /// Folder of site selector configs.
    #[arg(long, default_value = "selectors")]
    pub selectors: PathBuf,
    /// Maximum link depth from a seed (0 = only seeds, sitemaps and feeds).
    #[arg(long)]
    pub max_depth: Option<u32>,
    /// Stop after this many pages fetched.
    #[arg(long)]
    pub max_pages: Option<u64>,
    /// Only follow URLs matching this regex (repeatable).
    #[arg(long)]
    pub allow: Vec<String>,
    /// Never follow URLs matching this regex (repeatable).
    #[arg(long)]
    pub deny: Vec<String>,
    /// Requests per second per host (never faster than robots.txt Crawl-delay).
    #[arg(long)]
    pub rate: Option<f64>,
    /// Requests in flight across all hosts.
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Requests in flight to one host at once (default 1), still paced by --rate and
    /// Crawl-delay; raise it only for sites you own or that allow it.
    #[arg(long)]
    pub per_host_concurrency: Option<usize>,
    /// Override the User-Agent (default `newsarc/<version> (+<contact>)`).
    #[arg(long)]
    pub user_agent: Option<String>,
    /// Contact URL or e-mail put into the User-Agent (required by polite crawling).
    #[arg(long)]
    pub contact: Option<String>,
    /// Only keep sitemap/feed entries published or modified since (`2d`, `2024-05-01`).
    #[arg(long)]
    pub since: Option<String>,
    /// Keep running, re-polling feeds and news sitemaps.
    #[arg(long)]
    pub watch: bool,
    /// Interval between polls in `--watch` mode (`15m`, `1h`).
    #[arg(long, default_value = "15m")]
    pub interval: String,
    /// Start over instead of resuming the crawl state in `--out`.
    #[arg(long)]
    pub fresh: bool,
    /// No progress bar, only warnings and the summary.
    #[arg(long)]
    pub quiet: bool,
    /// Log format on stderr.
    #[arg(long, value_parser = ["text", "json"], default_value = "text")]
    pub log_format: String,
}

/// Run the crawl.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    init_logging(&args);
    let file = match &args.config {
        Some(p) => match config::load_file(p) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("newsarc: error: {e}");
                return Ok(Exit::Usage);
            }
        },
        None => None,
    };
    let mut seeds = args.seeds.clone();
    if let Some(p) = &args.seeds_file {
        match config::read_seeds_file(p) {
            Ok(s) => seeds.extend(s),
            Err(e) => {
                eprintln!("newsarc: error: {e}");
                return Ok(Exit::Usage);
            }
        }
    }
    let ov = Overrides {
        seeds,
        max_depth: args.max_depth,
        max_pages: args.max_pages,
        allow: args.allow.clone(),
        deny: args.deny.clone(),
        rate: args.rate,
        concurrency: args.concurrency,
        per_host_concurrency: args.per_host_concurrency,
        user_agent: args.user_agent.clone(),
        contact: args.contact.clone(),
    };
    let cfg = match config::build(file, ov) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("newsarc: error: {e}");
            return Ok(Exit::Usage);
        }
    };
    if cfg.contact.is_none() && args.user_agent.is_none() {
        eprintln!(
            "newsarc: WARNING: no contact information. Polite crawlers tell site owners how to \
             reach them: pass --contact you@example.org (or a URL), or set `contact = ...` in \
             the crawl config. Crawling as {:?}.",
            cfg.user_agent
        );
    }
    // Selector configs (a missing default folder means: metadata + generic extractor only).
    let quiet_missing = args.selectors == std::path::Path::new("selectors");
    let rules = match super::selectors::load_or_report(&args.selectors, quiet_missing)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    for site in &cfg.sites {
        if let Some(name) = &site.selectors {
            let stem = name.trim_end_matches(".toml");
            if !rules
                .sites()
                .iter()
                .any(|r| r.name == stem || r.name == *name)
            {
                eprintln!(
                    "newsarc: warning: site {:?} names selector config {name:?}, which is not in {}",
                    site.name,
                    args.selectors.display()
                );
            }
        }
    }
    let rules = Arc::new(rules);
    let interval_given =
        std::env::args().any(|a| a == "--interval" || a.starts_with("--interval="));
    let disc = match super::crawl_discovery::parse(&args, &cfg, interval_given) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("newsarc: error: {e}");
            return Ok(Exit::Usage);
        }
    };
    let mut opts = RunOptions::new(&args.out);
    opts.rules = rules;
    opts.fresh = args.fresh;
    let watch_cfg = cfg.watch;
    opts.rotate_daily = disc.watch.is_some() && watch_cfg.rotate_daily;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let quiet = args.quiet;
    let out = args.out.clone();
    let result = rt.block_on(async move {
        let crawler = Crawler::open(cfg, opts)
            .with_context(|| format!("cannot start the crawl in {}", out.display()))?;
        let stop = crawler.stop_handle();
        tokio::spawn(async move {
            wait_for_signal().await;
            eprintln!("newsarc: stopping: finishing in-flight writes (signal received)");
            stop.stop();
        });
        let dopts = newsarc::crawl::discovery::DiscoverOptions {
            window: disc.window,
            requested: disc.since.is_some() || disc.watch.is_some(),
        };
        let reports = crawler.discover(dopts).await?;
        super::crawl_discovery::print_reports(&reports);
        if disc.watch.is_some() && reports.is_empty() {
            eprintln!(
                "newsarc: warning: --watch: no site has discovery on (every site sets \
                 `discover = false`), so there is nothing to re-poll"
            );
        }
        if let Some(interval) = disc.watch {
            let wopts = newsarc::crawl::watcher::WatchOptions {
                interval,
                since: disc.since,
                refresh: watch_cfg.refresh,
            };
            crawler.watch(wopts, &reports)?;
            eprintln!("newsarc: watching: polling feeds and sitemaps every {interval:?} (SIGTERM or Ctrl-C stops)");
        }
        let stats = crawler.stats();
        let bar = progress_bar(quiet);
        let ticker = {
            let bar = bar.clone();
            tokio::spawn(async move {
                let mut last = (std::time::Instant::now(), 0u64);
                let mut rate = 0.0;
                loop {
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    let p = stats.progress();
                    let dt = last.0.elapsed().as_secs_f64();
                    if dt >= 1.0 {
                        rate = (p.fetched - last.1) as f64 / dt;
                        last = (std::time::Instant::now(), p.fetched);
                    }
                    bar.set_message(format!(
                        "fetched {} · queued {} · failed {} · {} · {:.1} pages/s",
                        p.fetched,
                        p.queued,
                        p.failed,
                        human_bytes(p.bytes_raw),
                        rate
                    ));
                }
            })
        };
        let r = crawler.run().await;
        ticker.abort();
        bar.finish_and_clear();
        r.map_err(anyhow::Error::from)
    });
    match result {
        Ok(summary) => {
            print_summary(&summary);
            // A page that was fetched but could not be parsed is a failure too (exit 1).
            let failures = summary.failed + summary.parse_failed;
            // In --watch mode a signal is the normal way to stop: it says nothing about the
            // pages, so the exit code is the failures' (0 or 1), not 130.
            let stopped_by_signal = summary.interrupted && disc.watch.is_none();
            Ok(if stopped_by_signal {
                Exit::Interrupted
            } else if failures > 0 {
                Exit::Partial
            } else {
                Exit::Success
            })
        }
        Err(e) => {
            eprintln!("newsarc: error: {e:#}");
            Ok(Exit::Fatal)
        }
    }
}

fn init_logging(args: &Args) {
    let default = if args.quiet {
        "warn"
    } else {
        "warn,newsarc=info"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("NEWSARC_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = if args.log_format == "json" {
        b.json().try_init()
    } else {
        b.try_init()
    };
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1024.0 && i + 1 < UNITS.len() {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[i])
    }
}

fn print_summary(s: &Summary) {
    let mut out = String::new();
    let secs = s.elapsed.as_secs_f64();
    out.push_str("crawl summary\n");
    let statuses: Vec<String> = s
        .by_status
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    let rows: Vec<(String, String)> = vec![
        ("pages fetched".into(), s.fetched.to_string()),
        ("  by status".into(), statuses.join(", ")),
        ("kinds".into(), super::kind_counts(&s.kinds)),
        ("parsed records written".into(), s.conversions.to_string()),
        ("revisits".into(), s.revisits.to_string()),
        ("retries".into(), s.retries.to_string()),
        ("blocked by robots.txt".into(), s.robots_blocked.to_string()),
        ("truncated bodies".into(), s.truncated.to_string()),
        ("trap links refused".into(), s.traps.to_string()),
        ("failed".into(), s.failed.to_string()),
        ("parse failures".into(), s.parse_failed.to_string()),
        ("still queued".into(), s.left_queued.to_string()),
        ("recovered after crash".into(), s.recovered.to_string()),
        ("bytes received".into(), human_bytes(s.bytes_raw)),
        ("bytes written (zstd)".into(), human_bytes(s.bytes_written)),
        ("records written".into(), s.records.to_string()),
        ("elapsed".into(), format!("{secs:.1} s")),
        (
            "rate".into(),
            format!("{:.1} pages/s", s.fetched as f64 / secs.max(0.001)),
        ),
    ];
    for (k, v) in rows {
        out.push_str(&format!("  {k:<24} {v}\n"));
    }
    for (reason, n) in &s.failures {
        out.push_str(&format!("  {:<24} {n}\n", format!("  failed: {reason}")));
    }
    if s.interrupted {
        out.push_str("  (interrupted: run the same command again to resume)\n");
    }
    eprint!("{out}");
}
