//! `newsarc reparse`: re-run extraction over stored pages.

use std::path::PathBuf;

use anyhow::Context;
use newsarc::archive::{ArchiveWriter, UuidIds, WriterConfig, cdxj::cdxj_path};
use newsarc::extract::ExtractOptions;
use newsarc::reparse::{ReparseOptions, reparse};
use newsarc::selectors::RuleSet;

use super::Exit;
use super::dataset_common::{count_bar, parse_instant};
use super::inputs::{JobArgs, Output, RemoteArgs, resolve_job};

/// Re-parse stored pages with the current selectors and append conversion records.
///
/// Every parse is kept: new conversion records go into a new archive file (beside the input or
/// in --out); a page whose newest parse came from this extractor and selector config is skipped
/// unless --force.
///
/// Inputs may be s3:// objects or prefixes and http(s):// URLs (then --out is needed; it may
/// be an s3:// prefix, uploaded when the run is complete). With --shard I/N each job writes
/// its own files (prefix newsarc-shardIIIIofNNNN), so N jobs may share one --out folder. A run
/// that fails leaves no new file behind.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc reparse archive/
  newsarc reparse archive/ --only-site nytimes.com --since 30d
  newsarc reparse crawl.warc.gz --out reparsed/ --no-site-rules
  newsarc reparse s3://my-bucket/archive/ --out s3://my-bucket/parsed/
  newsarc reparse --inputs files.txt --shard $TASK_ID/16 --out parsed/")]
pub struct Args {
    /// Archive files or folders (.warc.zst, .warc.gz, .warc), s3:// objects or prefixes,
    /// http(s):// URLs.
    #[arg(required_unless_present = "inputs")]
    pub archives: Vec<PathBuf>,
    #[command(flatten)]
    pub job: JobArgs,
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Folder of site selector configs.
    #[arg(long, default_value = "selectors")]
    pub selectors: PathBuf,
    /// Ignore site selector configs: metadata + generic extraction only.
    #[arg(long)]
    pub no_site_rules: bool,
    /// Only pages of this host (subdomains included).
    #[arg(long)]
    pub only_site: Option<String>,
    /// Only captures on or after this date (`2024-05-01`, `7d`).
    #[arg(long)]
    pub since: Option<String>,
    /// Write the new conversion records here (a folder or an s3:// prefix) instead of beside
    /// the input.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Re-parse even when the newest conversion came from the same extractor and config.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

fn load_rules(args: &Args) -> anyhow::Result<Result<RuleSet, Exit>> {
    if args.no_site_rules {
        return Ok(Ok(RuleSet::empty()));
    }
    match super::selectors::load_dir(&args.selectors)? {
        Ok(r) => Ok(Ok(r)),
        Err(e) => {
            eprintln!(
                "newsarc: the selector configs in {} are invalid:\n{e}",
                args.selectors.display()
            );
            eprintln!("fix them (newsarc selectors check) or pass --no-site-rules");
            Ok(Err(Exit::Usage))
        }
    }
}

/// Run the re-parse.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let now = chrono::Utc::now();
    let since = match &args.since {
        Some(s) => Some(parse_instant("--since", s, now)?),
        None => None,
    };
    let stores = args.remote.stores();
    let files =
        resolve_job(&stores, &args.archives, &args.job).context("cannot list the archives")?;
    if files.is_empty() && args.job.shard.is_none() {
        eprintln!("newsarc: no archive files (.warc.zst, .warc.gz, .warc) in the given paths");
        return Ok(Exit::Usage);
    }
    let rules = match load_rules(&args)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let out_arg = match &args.out {
        Some(d) => d.clone(),
        None if files.iter().any(|f| f.is_remote()) => {
            eprintln!("newsarc: remote inputs need --out (a local folder or an s3:// prefix)");
            return Ok(Exit::Usage);
        }
        None => files
            .first()
            .and_then(|f| f.name().parent())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(".")),
    };
    let out = Output::plan(&out_arg, true)?;
    let out_dir = out.local.clone();
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let mut cfg = WriterConfig::new(&out_dir);
    if let Some(s) = args.job.shard {
        cfg.prefix = format!("newsarc-shard{:04}of{:04}", s.index, s.count);
    }
    let mut writer = ArchiveWriter::open(cfg, now)
        .with_context(|| format!("cannot open an archive writer in {}", out_dir.display()))?;
    let opts = ReparseOptions {
        only_site: args.only_site.clone(),
        since,
        force: args.force,
        extract: ExtractOptions {
            no_site_rules: args.no_site_rules,
            ..Default::default()
        },
    };
    let bar = count_bar("records read", args.quiet);
    let started = std::time::Instant::now();
    let result = reparse(&files, &rules, &opts, &mut writer, now, &mut UuidIds, |n| {
        if n % 64 == 0 {
            bar.set_position(n);
        }
    });
    bar.finish_and_clear();
    let written = writer
        .finish()
        .context("cannot finish the new archive file")?;
    let s = match result {
        Ok(s) => s,
        Err(e) => {
            // Nothing half-done stays behind: the files of this run go.
            for p in &written {
                let _ = std::fs::remove_file(p);
                let _ = std::fs::remove_file(cdxj_path(p));
            }
            return Err(anyhow::Error::new(e).context("re-parse stopped; no new file kept"));
        }
    };
    let mut to_upload = Vec::new();
    for p in &written {
        to_upload.push(p.clone());
        to_upload.push(cdxj_path(p));
    }
    let uploaded = out.publish(&stores, &to_upload, true)?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!("reparse: {} archive file(s), {:.1}s", files.len(), secs);
    eprintln!("  records read        {}", s.records);
    eprintln!(
        "  pages parsed        {} ({:.0} pages/s)",
        s.parsed,
        (s.parsed + s.not_stored) as f64 / secs.max(1e-9)
    );
    eprintln!("  kinds               {}", super::kind_counts(&s.kinds));
    eprintln!("  already up to date  {}", s.up_to_date);
    eprintln!(
        "  kind not stored     {} (listing, error, ...: no record written)",
        s.not_stored
    );
    eprintln!("  left out by filters {}", s.filtered);
    eprintln!("  first parse         {}", s.first_parse);
    eprintln!("  changed pages       {}", s.pages_changed);
    for (field, n) in &s.changed {
        eprintln!("    {field} changed on {n} page(s)");
    }
    eprintln!("  failures            {}", s.failures.len());
    for f in s.failures.iter().take(20) {
        eprintln!("    {f}");
    }
    if s.parsed > 0 && uploaded.is_empty() {
        for p in &written {
            eprintln!("  wrote {}", p.display());
        }
    }
    for u in &uploaded {
        eprintln!("  wrote {u}");
    }
    Ok(if s.failures.is_empty() {
        Exit::Success
    } else {
        Exit::Partial
    })
}
