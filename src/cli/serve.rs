//! `newsarc serve`: build or open the serve index (with a progress line), then answer HTTP
//! on the bind address until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use newsarc::serve::{AppState, Catalog, Progress, ServeOptions, router};

use super::Exit;

/// Browse, search and check archives in a web page.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc serve archive/
  newsarc serve archive/ --open
  newsarc serve archive/ old-archive/ --bind 127.0.0.1:9000
  newsarc serve archive/ --bind 0.0.0.0:8080 --auth-token \"$(openssl rand -hex 16)\"

The index (catalogue + full-text search) is kept in <first archive folder>/.newsarc-serve/
and rebuilt when an archive or CDXJ file changes. APIs: /cdx?url=example.com/*&output=json
(pywb-compatible) and /api/articles?site=example.com&limit=100 (the export's JSON rows).")]
pub struct Args {
    /// Archive files or folders.
    #[arg(required = true)]
    pub archives: Vec<PathBuf>,
    /// Address and port to listen on (port 0: any free port). Loopback by default.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Open the overview in the default browser once the server is up.
    #[arg(long)]
    pub open: bool,
    /// Require this token: `?token=…` once (sets a cookie) or `Authorization: Bearer …`.
    #[arg(long, env = "NEWSARC_AUTH_TOKEN", hide_env_values = true)]
    pub auth_token: Option<String>,
    /// Keep the index here instead of beside the archive (e.g. a read-only archive).
    #[arg(long)]
    pub index_dir: Option<PathBuf>,
    /// No progress line.
    #[arg(long, short)]
    pub quiet: bool,
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) =
        ProgressStyle::with_template("building the index: {msg} [{bar:30}] {pos}/{len} {elapsed}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Log errors (a 500's details, under the id its answer shows) to stderr; `NEWSARC_LOG`
/// overrides the level.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("NEWSARC_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Run the server.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    init_logging();
    let addr: SocketAddr = match args.bind.parse() {
        Ok(a) => a,
        Err(_) => {
            eprintln!(
                "newsarc serve: cannot read --bind {:?}; use IP:PORT, e.g. 127.0.0.1:8080",
                args.bind
            );
            return Ok(Exit::Usage);
        }
    };
    if matches!(args.auth_token.as_deref(), Some(t) if t.len() < 8 || t.contains(char::is_whitespace))
    {
        eprintln!("newsarc serve: --auth-token must be at least 8 characters without spaces");
        return Ok(Exit::Usage);
    }
    if !addr.ip().is_loopback() {
        eprintln!(
            "newsarc serve: warning: serving on {addr}, reachable from other machines{}",
            if args.auth_token.is_some() {
                " (access token required)"
            } else {
                "; anyone who can reach it can read the archive (set --auth-token)"
            }
        );
    }
    let bar = progress_bar(args.quiet);
    let started = std::time::Instant::now();
    let mut on_progress = |p: Progress| {
        bar.set_message(p.stage);
        bar.set_length(p.total);
        bar.set_position(p.done);
    };
    let catalog =
        match Catalog::open_or_build(&args.archives, args.index_dir.clone(), &mut on_progress) {
            Ok(c) => c,
            Err(newsarc::serve::ServeError::NoArchives(what)) => {
                bar.finish_and_clear();
                eprintln!("newsarc serve: no archive files (.warc.zst, .warc.gz, .warc) in {what}");
                return Ok(Exit::Usage);
            }
            Err(e) => return Err(e).context("cannot build or open the serve index"),
        };
    bar.finish_and_clear();
    match catalog.unreadable_parses() {
        Ok(0) => {}
        Ok(n) => eprintln!(
            "newsarc serve: warning: {n} conversion record(s) could not be read or hold no \
             Article JSON and are left out (newsarc verify names them)"
        ),
        Err(e) => eprintln!("newsarc serve: warning: {e}"),
    }
    eprintln!(
        "newsarc serve: index {} in {:.1}s",
        if catalog.rebuilt { "built" } else { "opened" },
        started.elapsed().as_secs_f64()
    );
    let state = AppState::new(
        Arc::new(catalog),
        &ServeOptions {
            auth_token: args.auth_token.clone(),
            bind_ip: Some(addr.ip()),
        },
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(serve(state, addr, args.open, args.auth_token.is_some()))
}

async fn serve(state: AppState, addr: SocketAddr, open: bool, token: bool) -> anyhow::Result<Exit> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (in use? try another --bind port)"))?;
    let bound = listener.local_addr().context("no local address")?;
    let url = format!("http://{bound}/");
    eprintln!(
        "newsarc serve: listening on {url}{} (Ctrl-C to stop)",
        if token { " (add ?token=… once)" } else { "" }
    );
    if open {
        open_browser(&url);
    }
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")?;
    Ok(Exit::Success)
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("newsarc serve: cannot open a browser ({cmd}: {e}); open {url} yourself");
    }
}
