//! `newsarc import`: foreign WARC files → newsarc archive.

use std::path::PathBuf;

use anyhow::Context;
use newsarc::archive::import::import_file;
use newsarc::archive::{ArchiveWriter, WriterConfig};

use super::Exit;
use super::archive_common::{byte_bar, payload_digest_line, total_size};

/// Bring WARC files written by other tools into newsarc's format and index.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc import crawl.warc.gz                       # wget, Heritrix, Browsertrix, warcio ...
  newsarc import CC-MAIN-*.warc.gz --out archive/    # Common Crawl files
  newsarc import old/*.warc --out archive/
  newsarc import -v warcprox.warc.gz                 # which payload-digest convention it used")]
pub struct Args {
    /// `.warc`, `.warc.gz` (per-record or whole-file gzip) or `.warc.zst` files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Archive folder to write into.
    #[arg(long, default_value = "archive")]
    pub out: PathBuf,
    /// Say, per input file, which bytes its payload digests cover (a chunked body de-chunked
    /// as WARC 1.1 says, or as transferred as wget/warcprox/warcio write it; both are accepted).
    #[arg(long, short)]
    pub verbose: bool,
}

/// Run the import.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let mut cfg = WriterConfig::new(&args.out);
    cfg.warcinfo
        .push(("operation".into(), "newsarc import".into()));
    let mut writer = ArchiveWriter::open(cfg, chrono::Utc::now())
        .with_context(|| format!("cannot open the archive folder {}", args.out.display()))?;
    for r in writer.repaired() {
        if let Some((old, new)) = r.truncated {
            eprintln!(
                "newsarc: repaired crash-cut {} ({old} → {new} bytes)",
                r.path.display()
            );
        }
    }
    let bar = byte_bar(total_size(&args.files), "importing");
    let started = std::time::Instant::now();
    let (mut records, mut bytes, mut mismatches, mut skipped, mut failed) = (0u64, 0u64, 0, 0, 0);
    let mut done = 0u64;
    for f in &args.files {
        let base = done;
        match import_file(f, &mut writer, |pos| bar.set_position(base + pos)) {
            Ok(rep) => {
                for e in rep.digest_mismatches.iter().chain(&rep.errors) {
                    bar.suspend(|| eprintln!("newsarc: {e}"));
                }
                if args.verbose {
                    let line = payload_digest_line(f, &rep.payload_digests);
                    bar.suspend(|| eprintln!("newsarc: {line}"));
                }
                records += rep.records;
                bytes += rep.bytes;
                mismatches += rep.digest_mismatches.len();
                skipped += rep.errors.len();
                if rep.records == 0 {
                    failed += 1;
                }
            }
            Err(e) => {
                bar.finish_and_clear();
                return Err(e).context("writing the archive failed; import stopped");
            }
        }
        done += std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        bar.set_position(done);
    }
    bar.finish_and_clear();
    let files = writer.finish().context("cannot finish the archive")?;
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    eprintln!(
        "newsarc import: {records} records ({:.1} MB, {:.0} MB/s) from {} files into {} ({} files); {mismatches} digest mismatches (kept), {skipped} damaged records skipped, {failed} inputs failed",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs,
        args.files.len(),
        args.out.display(),
        files.len()
    );
    for f in &files {
        println!("{}", f.display());
    }
    Ok(if mismatches + skipped + failed > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}
