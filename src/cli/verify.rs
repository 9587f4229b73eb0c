//! `newsarc verify`: check archives.

use std::path::PathBuf;

use anyhow::Context;
use newsarc::archive::repair::{check_source, check_source_index, repair_file};
use newsarc::archive::{ArchiveError, Source};

use super::Exit;
use super::archive_common::{byte_bar, payload_digest_line};
use super::inputs::{RemoteArgs, is_denied, resolve};

/// Check framing, headers, digests and index consistency; optionally repair.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc verify archive/              # exit 0 only when every file and index is sound
  newsarc verify --repair archive/     # cut crash-cut tails, rebuild indexes
  newsarc verify -v foreign.warc.gz    # also: which payload-digest convention each file uses
  newsarc verify s3://my-bucket/archive/ https://example.org/crawl.warc.gz   # streamed")]
pub struct Args {
    /// Archive files or folders, s3:// objects or prefixes, http(s):// URLs.
    #[arg(required = true)]
    pub archives: Vec<PathBuf>,
    /// Truncate a crash-cut tail to the last whole record and rebuild the index.
    #[arg(long)]
    pub repair: bool,
    /// Say, per file, which bytes its payload digests cover (a chunked body de-chunked as
    /// WARC 1.1 says, or as transferred as wget/warcprox/warcio write it; both are accepted).
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// Does the file want an index (a `.warc.zst`, or any file that has one)?
fn wants_index(f: &Source) -> bool {
    f.name().to_string_lossy().ends_with(".warc.zst") || matches!(f.index_text(), Ok(Some(_)))
}

/// Run the verification.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let stores = args.remote.stores();
    let files = resolve(&stores, &args.archives).context("cannot list the archives")?;
    let total = files.iter().filter_map(|f| f.size()).sum();
    let bar = byte_bar(total, "verifying");
    let (mut records, mut problems, mut repaired, mut done_bytes) = (0u64, 0usize, 0usize, 0u64);
    let mut denied = false;
    for src in &files {
        let f = src.name();
        let base = done_bytes;
        let check = match check_source(src.as_ref(), true, |pos| bar.set_position(base + pos)) {
            Ok(c) => c,
            Err(e) => {
                denied |= is_denied(&e);
                bar.suspend(|| eprintln!("newsarc: {e}"));
                problems += 1;
                continue;
            }
        };
        done_bytes += check.size;
        if args.verbose {
            let line = payload_digest_line(f, &check.payload_digests);
            bar.suspend(|| eprintln!("newsarc: {line}"));
        }
        bar.set_position(done_bytes);
        records += check.records;
        let mut file_problems: Vec<ArchiveError> = check.problems;
        denied |= file_problems.iter().any(|p| is_denied(p));
        let unreadable = file_problems
            .iter()
            .any(|p| matches!(p, ArchiveError::NotWarc { .. }));
        if !unreadable && check.truncated_at.is_none() && wants_index(src) {
            file_problems.extend(check_source_index(src.as_ref(), &check.entries));
        }
        for p in &file_problems {
            bar.suspend(|| eprintln!("newsarc: {p}"));
        }
        let fixable = !file_problems.is_empty()
            && file_problems.iter().all(|p| {
                matches!(
                    p,
                    ArchiveError::Truncated { .. } | ArchiveError::IndexMismatch { .. }
                )
            });
        if args.repair && !file_problems.is_empty() && src.is_remote() {
            bar.suspend(|| {
                eprintln!(
                    "newsarc: {}: cannot repair a remote file; copy it to a local folder and run `newsarc verify --repair` there",
                    f.display()
                )
            });
        } else if args.repair && !file_problems.is_empty() && !unreadable {
            match repair_file(f) {
                Ok(r) => {
                    repaired += 1;
                    let what = match r.truncated {
                        Some((old, new)) => format!("cut from {old} to {new} bytes, "),
                        None => String::new(),
                    };
                    bar.suspend(|| {
                        eprintln!(
                            "newsarc: repaired {}: {what}index rebuilt with {} entries",
                            f.display(),
                            r.entries
                        )
                    });
                    if fixable {
                        continue;
                    }
                    if !r.remaining.is_empty() {
                        bar.suspend(|| {
                            eprintln!(
                                "newsarc: {}: {} damaged records in the middle of the file remain (skipped by readers)",
                                f.display(),
                                r.remaining.len()
                            )
                        });
                    }
                }
                Err(e) => bar.suspend(|| eprintln!("newsarc: repair failed: {e}")),
            }
        }
        problems += file_problems.len();
    }
    bar.finish_and_clear();
    let hint = if problems > 0 && !args.repair {
        " (`--repair` cuts crash-cut tails and rebuilds indexes)"
    } else {
        ""
    };
    eprintln!(
        "newsarc verify: {} files, {records} records, {problems} problems, {repaired} files repaired{hint}",
        files.len()
    );
    Ok(if problems == 0 {
        Exit::Success
    } else if denied {
        Exit::Usage
    } else {
        Exit::Partial
    })
}
