//! `newsarc get`: print a stored payload.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, Utc};
use newsarc::archive::cdxj::{CdxjEntry, Index};

use super::Exit;
use super::archive_common::{parse_at, parse_ts14};
use super::inputs::{RemoteArgs, resolve};

/// Print the payload (or parsed article) of a URL's newest or nearest capture.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc get archive/ https://example.com/news/1 > page.html
  newsarc get archive/ https://example.com/news/1 --parsed | jq .title
  newsarc get archive/ https://example.com/news/1 --at 20240503
  newsarc get s3://my-bucket/archive/ https://example.com/news/1   # CDXJ + one range request")]
pub struct Args {
    /// Archive file or folder, s3:// object or prefix, or http(s):// URL; with its CDXJ
    /// index beside it only the index and the record's bytes are fetched.
    pub archive: PathBuf,
    /// The URL to look up.
    pub url: String,
    /// Print the parsed article JSON instead of the raw payload.
    #[arg(long)]
    pub parsed: bool,
    /// The capture nearest to this timestamp (`20240503`, `2024-05-03T10:00:00Z`).
    #[arg(long)]
    pub at: Option<String>,
    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// Newest entry, or the one nearest to `at`.
fn pick<'a>(cands: &[&'a CdxjEntry], at: Option<DateTime<Utc>>) -> Option<&'a CdxjEntry> {
    match at {
        None => cands
            .iter()
            .max_by(|a, b| a.timestamp.cmp(&b.timestamp))
            .copied(),
        Some(at) => cands
            .iter()
            .min_by_key(|e| {
                parse_ts14(&e.timestamp)
                    .map(|t| (t - at).num_seconds().unsigned_abs())
                    .unwrap_or(u64::MAX)
            })
            .copied(),
    }
}

/// Run the lookup.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let at = match &args.at {
        None => None,
        Some(s) => match parse_at(s) {
            Some(d) => Some(d),
            None => {
                eprintln!(
                    "newsarc get: cannot read --at {s:?}; use e.g. 20240503, 20240503100000 or 2024-05-03T10:00:00Z"
                );
                return Ok(Exit::Usage);
            }
        },
    };
    let stores = args.remote.stores();
    let files = resolve(&stores, std::slice::from_ref(&args.archive))
        .with_context(|| format!("cannot list {}", args.archive.display()))?;
    let index = Index::load_sources(&files).context("cannot load the index")?;
    let all = index.lookup(&args.url);
    let wanted: &[&str] = if args.parsed {
        &["conversion"]
    } else {
        &["response", "revisit", "resource"]
    };
    let cands: Vec<&CdxjEntry> = all
        .iter()
        .copied()
        .filter(|e| wanted.contains(&e.record_type.as_str()))
        .collect();
    let Some(mut entry) = pick(&cands, at) else {
        let what = if args.parsed {
            "parsed version"
        } else {
            "capture"
        };
        eprintln!(
            "newsarc get: no {what} of {} in {} ({} index entries for that URL){}",
            args.url,
            args.archive.display(),
            all.len(),
            if args.parsed {
                "; run `newsarc reparse` to create one"
            } else {
                ""
            }
        );
        return Ok(Exit::Partial);
    };
    if entry.record_type == "revisit" {
        // The payload lives in the earlier response with the same digest (or, for a 304,
        // the newest response before it).
        let same = cands.iter().copied().filter(|e| {
            e.record_type == "response" && e.digest.is_some() && e.digest == entry.digest
        });
        let before = cands
            .iter()
            .copied()
            .filter(|e| e.record_type == "response" && e.timestamp <= entry.timestamp);
        match same
            .max_by(|a, b| a.timestamp.cmp(&b.timestamp))
            .or_else(|| before.max_by(|a, b| a.timestamp.cmp(&b.timestamp)))
        {
            Some(e) => entry = e,
            None => {
                eprintln!(
                    "newsarc get: the capture of {} at {} is a revisit whose original response is not in {}",
                    args.url,
                    entry.timestamp,
                    args.archive.display()
                );
                return Ok(Exit::Partial);
            }
        }
    }
    let rec = index
        .read_record(entry)
        .with_context(|| format!("cannot read the record for {}", args.url))?;
    let bytes = if args.parsed || !rec.is_http() {
        rec.block
    } else {
        rec.http().and_then(|h| h.decoded_body()).with_context(|| {
            format!(
                "{} at offset {}: cannot decode the payload",
                entry.path.display(),
                entry.offset
            )
        })?
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(&bytes);
    if args.parsed {
        let _ = out.write_all(b"\n");
    }
    let _ = out.flush();
    eprintln!(
        "newsarc get: {} {} from {} offset {}",
        entry.record_type,
        entry.timestamp,
        entry.path.display(),
        entry.offset
    );
    Ok(Exit::Success)
}
