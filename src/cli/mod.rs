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
  newsarc serve archive/ --open

Exit codes: 0 success, 1 finished but some inputs failed, 2 bad usage or config,
3 fatal error (I/O, archive write), 130 interrupted.";

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
            eprintln!("newsarc: error: {err:#}");
            Exit::Fatal.into()
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
}
