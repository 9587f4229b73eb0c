//! `newsarc ls`: one line per record.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use newsarc::archive::{ArchiveReader, RecordType, head_info};

use super::Exit;
use super::inputs::{RemoteArgs, is_denied, resolve};

/// List the records of archives: offset, type, date, status, mime, URL.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc ls archive/
  newsarc ls archive/newsarc-20240503100000-00001.warc.zst | grep conversion
  newsarc ls s3://my-bucket/archive/ https://example.org/crawl.warc.gz
  newsarc ls --anonymous s3://commoncrawl/crawl-data/CC-NEWS/2024/05/CC-NEWS-20240501001023-00000.warc.gz")]
pub struct Args {
    /// Archive files or folders, s3://bucket/key objects, s3://bucket/prefix/ prefixes or
    /// http(s):// URLs (streamed, not downloaded).
    #[arg(required = true)]
    pub archives: Vec<PathBuf>,
    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// Run the listing.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let stores = args.remote.stores();
    let files = resolve(&stores, &args.archives).context("cannot list the archives")?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut records, mut problems, mut denied) = (0u64, 0u64, false);
    let multi = files.len() > 1;
    for f in &files {
        let reader = match ArchiveReader::from_source(f.as_ref()) {
            Ok(r) => r.lenient(true),
            Err(e) => {
                denied |= is_denied(&e);
                eprintln!("newsarc: {e}");
                problems += 1;
                continue;
            }
        };
        if multi && writeln!(out, "# {}", f.name().display()).is_err() {
            return Ok(Exit::Success);
        }
        for item in reader {
            let r = match item {
                Ok(r) => r,
                Err(e) => {
                    let _ = out.flush();
                    denied |= is_denied(&e);
                    eprintln!("newsarc: {e}");
                    problems += 1;
                    continue;
                }
            };
            records += 1;
            let rec = &r.record;
            let kind = rec.record_type();
            // Status and media type from the HTTP head only (no body copy).
            let head =
                if rec.is_http() && matches!(kind, RecordType::Response | RecordType::Revisit) {
                    head_info(&rec.block)
                } else {
                    None
                };
            let status = head
                .as_ref()
                .map(|h| h.0)
                .filter(|&s| s != 0)
                .map(|s| s.to_string())
                .unwrap_or_else(|| "-".into());
            let mime = head
                .and_then(|h| h.1)
                .or_else(|| rec.content_type())
                .unwrap_or_else(|| "-".into());
            let url = rec
                .target_uri()
                .or(rec.headers.get("WARC-Filename"))
                .unwrap_or("-");
            let date = rec.headers.get("WARC-Date").unwrap_or("-");
            if writeln!(
                out,
                "{:>10} {:<10} {} {:>3} {:<24} {}",
                r.offset, kind, date, status, mime, url
            )
            .is_err()
            {
                // Broken pipe (`ls | head`): stop quietly.
                return Ok(Exit::Success);
            }
        }
    }
    let _ = out.flush();
    if problems > 0 {
        eprintln!(
            "newsarc ls: {records} records in {} files, {problems} problems (run `newsarc verify` for details)",
            files.len()
        );
        return Ok(if denied { Exit::Usage } else { Exit::Partial });
    }
    eprintln!("newsarc ls: {records} records in {} files", files.len());
    Ok(Exit::Success)
}
