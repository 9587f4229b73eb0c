//! `newsarc reparse`: re-run extraction over stored pages.

use std::path::PathBuf;

use anyhow::Context;
use newsarc::archive::{ArchiveWriter, UuidIds, WriterConfig, archive_files};
use newsarc::extract::ExtractOptions;
use newsarc::reparse::{ReparseOptions, reparse};
use newsarc::selectors::RuleSet;

use super::Exit;
use super::dataset_common::{count_bar, parse_instant};

/// Re-parse stored pages with the current selectors and append conversion records.
///
/// Every parse is kept: new conversion records go into a new archive file (beside the input or
/// in --out); a page whose newest parse came from this extractor and selector config is skipped
/// unless --force.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc reparse archive/
  newsarc reparse archive/ --only-site nytimes.com --since 30d
  newsarc reparse crawl.warc.gz --out reparsed/ --no-site-rules")]
pub struct Args {
    /// Archive files or folders (.warc.zst, .warc.gz, .warc).
    #[arg(required = true)]
    pub archives: Vec<PathBuf>,
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
    /// Write the new conversion records here instead of beside the input.
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
    let files = archive_files(&args.archives).context("cannot list the archives")?;
    if files.is_empty() {
        eprintln!("newsarc: no archive files (.warc.zst, .warc.gz, .warc) in the given paths");
        return Ok(Exit::Usage);
    }
    let rules = match load_rules(&args)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let out_dir = match &args.out {
        Some(d) => d.clone(),
        None => files[0]
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(".")),
    };
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let mut writer = ArchiveWriter::open(WriterConfig::new(&out_dir), now)
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
    let s = result.context("re-parse stopped")?;
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
    if s.parsed > 0 {
        for p in &written {
            eprintln!("  wrote {}", p.display());
        }
    }
    Ok(if s.failures.is_empty() {
        Exit::Success
    } else {
        Exit::Partial
    })
}
