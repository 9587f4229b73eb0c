//! `newsarc export`: archive → dataset.

use std::path::PathBuf;

use anyhow::Context;
use newsarc::export::warc_gz::export_warc_gz;
use newsarc::export::{
    DatasetFormat, DatasetOptions, RowFilter, card_path, export_dataset, parse_kinds,
};

use super::Exit;
use super::dataset_common::{count_bar, parse_instant};
use super::inputs::{JobArgs, Output, RemoteArgs, resolve_job};

/// Export articles to JSONL, CSV or Parquet (one row per article), or every record to .warc.gz.
///
/// Datasets hold every Article field plus the capture time and the WARC file and offset of the
/// raw response, so each row can be traced back to its bytes. By default the parsed page kinds
/// are exported (article, liveblog, gallery, video); --kinds picks others. A dataset card is
/// written beside the output as <out>.schema.md.
///
/// Inputs and --out may be s3:// (a prefix for inputs: every archive under it); inputs may
/// also be http(s):// URLs. With --shard I/N, N jobs each export a contiguous part of the
/// sorted inputs; their outputs concatenate to one job's (CSV: only part 0 has the header;
/// Parquet: the N files together are the dataset). Newest-version dedup is per part.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc export archive/ --format parquet --out articles.parquet
  newsarc export archive/ --format csv --out de.csv --language de --since 2024-05-01
  newsarc export archive/ --format jsonl --out all.jsonl --all-versions
  newsarc export archive/ --format csv --out live.csv --kinds liveblog,video
  newsarc export archive/ --format warc.gz --out crawl.warc.gz   # for warcio, pywb, ReplayWeb.page
  newsarc export s3://my-bucket/archive/ --format parquet --out s3://my-bucket/articles.parquet
  newsarc export --inputs files.txt --shard $TASK_ID/16 --format jsonl --out part-$TASK_ID.jsonl")]
pub struct Args {
    /// Archive files or folders, s3:// objects or prefixes, http(s):// URLs.
    #[arg(required_unless_present = "inputs")]
    pub archives: Vec<PathBuf>,
    #[command(flatten)]
    pub job: JobArgs,
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Output format.
    #[arg(long, value_parser = ["jsonl", "csv", "parquet", "warc.gz"])]
    pub format: String,
    /// Output file: a local path or s3://bucket/key (uploaded when complete).
    #[arg(long)]
    pub out: PathBuf,
    /// Every capture and parse instead of the newest per canonical URL.
    #[arg(long)]
    pub all_versions: bool,
    /// Only these page kinds, comma-separated (article, liveblog, gallery, video, listing,
    /// forum, product, documentation, service, error, other). Default: the parsed kinds
    /// (article, liveblog, gallery, video).
    #[arg(long, value_name = "KIND,...")]
    pub kinds: Option<String>,
    /// Only articles of this site (host; subdomains included).
    #[arg(long)]
    pub site: Option<String>,
    /// Only articles published (or captured) on or after this date (`2024-05-01`, `7d`).
    #[arg(long)]
    pub since: Option<String>,
    /// Only articles published (or captured) before this date.
    #[arg(long)]
    pub until: Option<String>,
    /// Only articles in this language (`en` also keeps `en-GB`).
    #[arg(long)]
    pub language: Option<String>,
    /// Only articles with at least this many words.
    #[arg(long)]
    pub min_words: Option<usize>,
    /// Apply --since/--until to the capture date instead of the publication date.
    #[arg(long)]
    pub by_capture_date: bool,
    /// No progress display.
    #[arg(long)]
    pub quiet: bool,
}

/// Run the export.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let now = chrono::Utc::now();
    let kinds = match args.kinds.as_deref().map(parse_kinds).transpose() {
        Ok(k) => k,
        Err(e) => {
            eprintln!("newsarc: error: --kinds: {e}");
            return Ok(Exit::Usage);
        }
    };
    let stores = args.remote.stores();
    let files =
        resolve_job(&stores, &args.archives, &args.job).context("cannot list the archives")?;
    if files.is_empty() && args.job.shard.is_none() {
        eprintln!("newsarc: no archive files (.warc.zst, .warc.gz, .warc) in the given paths");
        return Ok(Exit::Usage);
    }
    let out = Output::plan(&args.out, false)?;
    let started = std::time::Instant::now();
    if args.format == "warc.gz" {
        let s = export_warc_gz(&files, &out.local)?;
        out.publish(&stores, std::slice::from_ref(&out.local), false)?;
        eprintln!(
            "export: {} records to {} ({} bytes) in {:.1}s, {} damaged record(s) skipped",
            s.records,
            args.out.display(),
            s.bytes,
            started.elapsed().as_secs_f64(),
            s.damaged.len()
        );
        for d in s.damaged.iter().take(20) {
            eprintln!("  {d}");
        }
        return Ok(if s.damaged.is_empty() {
            Exit::Success
        } else {
            Exit::Partial
        });
    }
    let format = match args.format.as_str() {
        "jsonl" => DatasetFormat::Jsonl,
        "csv" => DatasetFormat::Csv,
        _ => DatasetFormat::Parquet,
    };
    let instant = |flag: &str, v: &Option<String>| -> anyhow::Result<_> {
        v.as_deref()
            .map(|v| parse_instant(flag, v, now))
            .transpose()
    };
    let filter = RowFilter {
        kinds,
        site: args.site.clone(),
        since: instant("--since", &args.since)?,
        until: instant("--until", &args.until)?,
        by_capture_date: args.by_capture_date,
        language: args.language.clone(),
        min_words: args.min_words,
    };
    let opts = DatasetOptions {
        format,
        all_versions: args.all_versions,
        csv_header: args.job.shard.is_none_or(|s| s.is_first()),
    };
    let bar = count_bar("rows written", args.quiet);
    let s = export_dataset(&files, &out.local, &opts, &filter, |n| {
        if n % 256 == 0 {
            bar.set_position(n);
        }
    })?;
    bar.finish_and_clear();
    // The card first, the data last: a dataset object never stands without its card.
    out.publish(&stores, &[card_path(&out.local), out.local.clone()], false)?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "export: {} rows to {} in {:.1}s ({:.0} rows/s)",
        s.rows,
        args.out.display(),
        secs,
        s.rows as f64 / secs.max(1e-9)
    );
    eprintln!(
        "  records read {}, parsed versions {}, left out by filters {}",
        s.records, s.conversions, s.filtered
    );
    eprintln!("  kinds {}", super::kind_counts(&s.kinds));
    eprintln!("  dataset card {}", card_path(&args.out).display());
    if !s.problems.is_empty() {
        eprintln!("  {} problem(s):", s.problems.len());
        for p in s.problems.iter().take(20) {
            eprintln!("    {p}");
        }
    }
    Ok(if s.problems.is_empty() {
        Exit::Success
    } else {
        Exit::Partial
    })
}
