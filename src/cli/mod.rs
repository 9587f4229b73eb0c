//! clap commands → library calls. The only place that prints, shows progress or picks exit
//! codes. Each subcommand lives in its own file with its `Args` and `run`.

mod archive_common;
mod crawl;
mod crawl_discovery;
mod dataset_common;
mod eval;
mod exit;
mod export;
mod extract;
mod get;
mod import;
mod index;
mod inputs;
mod ls;
mod reparse;
mod selectors;
mod serve;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use exit::Exit;

const AFTER_HELP: &str = "\
Examples:
  newsarc crawl https://www.hstoday.us/ --max-pages 200 --contact you@example.org
  newsarc extract page.html --url https://example.com/news/1 --pretty
  newsarc ls archive/
  newsarc get archive/ https://example.com/news/1 --parsed
  newsarc verify archive/
  newsarc export archive/ --format parquet --out articles.parquet
  newsarc export --anonymous s3://my-bucket/parsed/ --format jsonl --out s3://my-bucket/a.jsonl
  newsarc export --inputs files.txt --shard 3/16 --format jsonl --out part-03.jsonl
  newsarc serve archive/ --open

Exit codes: 0 success, 1 finished but some inputs failed, 2 bad usage or config (also:
access denied by a server, HTTP 401/403), 3 fatal error (I/O, archive write, a remote file
that cannot be read after retries), 130 interrupted.";

/// Archive news sites politely, extract clean articles, keep everything in WARC.
#[derive(Debug, Parser)]
#[command(name = "newsarc", version, about, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Crawl news sites into a WARC archive, parsing articles on the way.
    Crawl(crawl::Args),
    /// Extract article fields from HTML files or URLs (JSON lines to stdout).
    Extract(extract::Args),
    /// Re-parse stored pages with the current selectors and append conversion records.
    Reparse(reparse::Args),
    /// Export articles (or records) to JSONL, CSV, Parquet or .warc.gz.
    Export(export::Args),
    /// Bring WARC files written by other tools into newsarc's format and index.
    Import(import::Args),
    /// List the records of archives: offset, type, date, status, mime, URL.
    Ls(ls::Args),
    /// Print the payload (or parsed article) of a URL's newest or nearest capture.
    Get(get::Args),
    /// Check framing, headers, digests and index consistency; optionally repair.
    Verify(verify::Args),
    /// Rebuild the CDXJ index of archives.
    Index(index::Args),
    /// Check or test the site selector configs.
    Selectors(selectors::Args),
    /// Score extraction against the development set and enforce quality floors.
    Eval(eval::Args),
    /// Browse, search and check archives in a web page (replay, parses, CDX API).
    Serve(serve::Args),
}

/// Pages per kind as the summaries print them: `article 120, listing 14, error 2` (kinds in
/// declaration order, zero counts left out; `none` when empty).
pub(crate) fn kind_counts(
    counts: &std::collections::BTreeMap<newsarc::model::PageKind, u64>,
) -> String {
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

/// The error and its causes, `: `-separated, leaving out a cause whose text the message
/// already holds (an I/O error quoting the store error it carries).
fn error_text(err: &anyhow::Error) -> String {
    let mut msg = err.to_string();
    for cause in err.chain().skip(1) {
        let c = cause.to_string();
        if !msg.contains(&c) {
            msg.push_str(": ");
            msg.push_str(&c);
        }
    }
    msg
}

/// Parse the command line, run the command, map the result to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Crawl(a) => crawl::run(a),
        Command::Extract(a) => extract::run(a),
        Command::Reparse(a) => reparse::run(a),
        Command::Export(a) => export::run(a),
        Command::Import(a) => import::run(a),
        Command::Ls(a) => ls::run(a),
        Command::Get(a) => get::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Index(a) => index::run(a),
        Command::Selectors(a) => selectors::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Serve(a) => serve::run(a),
    };
    match result {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("newsarc: error: {}", error_text(&err));
            inputs::exit_for(&err).into()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use newsarc::model::PageKind;

    #[test]
    fn kind_counts_in_declaration_order() {
        let mut m = BTreeMap::new();
        assert_eq!(super::kind_counts(&m), "none");
        m.insert(PageKind::Error, 2);
        m.insert(PageKind::Article, 120);
        m.insert(PageKind::Listing, 14);
        m.insert(PageKind::Video, 0);
        assert_eq!(super::kind_counts(&m), "article 120, listing 14, error 2");
    }

    #[test]
    fn error_text_says_each_cause_once() {
        let io = std::io::Error::other("x.warc.zst: reading stopped at byte offset 7");
        let err = anyhow::Error::new(newsarc::archive::ArchiveError::io("x.warc.zst", io))
            .context("cannot list the archives");
        let text = super::error_text(&err);
        assert_eq!(text.matches("byte offset 7").count(), 1, "{text}");
        assert!(
            text.starts_with("cannot list the archives: x.warc.zst: reading stopped"),
            "{text}"
        );
    }
}
