//! Re-run extraction over stored `response` records and append new `conversion` records.
//!
//! Nothing is rewritten: every parse is a new conversion record (in a new archive file of the
//! same set, or of `--out`), naming the extractor version and the selector config hash. A
//! response whose newest conversion already came from this extractor and config is skipped
//! unless forced. Revisit records are followed to the payload they repeat.
//!
//! The work runs in batches: records are read sequentially (bounded memory), each batch is
//! decoded, parsed and compared with the previous version on all cores (rayon), and the new
//! records are written in archive order by the one writer.

mod previous;
mod summary;

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::archive::{
    ArchiveError, ArchiveReader, ArchiveWriter, HttpMessage, IdGen, RecordType, Source, build,
    read_record_from,
};
use crate::extract::{ExtractInput, ExtractOptions, extract};
use crate::model::Article;
use crate::selectors::RuleSet;

pub use previous::{PreviousParse, previous_parses};
pub use summary::{ReparseSummary, changed_fields};

/// Records parsed together on all cores before their conversions are written.
const BATCH: usize = 64;

/// What to re-parse and how.
#[derive(Debug, Clone, Default)]
pub struct ReparseOptions {
    /// Only responses whose host is this one (or a subdomain; `www.` ignored).
    pub only_site: Option<String>,
    /// Only captures at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Parse again even when the newest conversion came from this extractor and config.
    pub force: bool,
    /// Extraction switches (e.g. no site rules).
    pub extract: ExtractOptions,
}

/// What can stop a re-parse.
#[derive(Debug, thiserror::Error)]
pub enum ReparseError {
    /// Reading an archive or writing the new records failed.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
}

/// One response to parse: where its payload is and what it is.
struct Job {
    uri: String,
    date: DateTime<Utc>,
    response_id: String,
    /// The HTTP message holding the payload (the response itself, or what a revisit repeats).
    http: HttpMessage,
    /// Where the payload was read from, for error messages.
    location: String,
}

/// The outcome of one job, computed on a worker thread.
enum Outcome {
    Parsed {
        json: Vec<u8>,
        article: Box<Article>,
        changed: Vec<&'static str>,
        first: bool,
    },
    Failed(String),
}

fn host_of(uri: &str) -> Option<String> {
    url::Url::parse(uri)
        .ok()
        .and_then(|u| u.host_str().map(|h| h.to_ascii_lowercase()))
}

fn site_matches(host: &str, site: &str) -> bool {
    let host = host.trim_start_matches("www.");
    let site = site.trim_start_matches("www.").to_ascii_lowercase();
    host == site || host.ends_with(&format!(".{site}"))
}

/// A 2xx HTML page, decided as the crawl decides it: by Content-Type, or, without one, by
/// the first bytes (`<html` / `<!doctype html`; a content-coded body is given the benefit of
/// the doubt). Also what `export::fresh` parses.
pub fn is_html_response(http: &HttpMessage) -> bool {
    (200..300).contains(&http.status)
        && crate::extract::sniff::looks_like_html(
            http.header("content-type"),
            http.header("content-encoding"),
            &http.body,
        )
}

/// The label of the selector config that applies to `uri` at `date`, if any.
fn selectors_label(
    rules: &RuleSet,
    opts: &ExtractOptions,
    uri: &str,
    date: DateTime<Utc>,
) -> Option<String> {
    if opts.no_site_rules {
        return None;
    }
    let host = host_of(uri)?;
    rules
        .lookup(&host, Some(date))
        .map(|r| r.reference().label())
}

fn run_job(
    job: &Job,
    rules: &RuleSet,
    opts: &ExtractOptions,
    prev: Option<&PreviousParse>,
) -> Outcome {
    let http = &job.http;
    // Without a content coding the payload is the body: no copy.
    let body: Cow<'_, [u8]> = if http.header("content-encoding").is_none() {
        Cow::Borrowed(&http.body)
    } else {
        match http.decoded_body() {
            Ok(b) => Cow::Owned(b),
            Err(e) => return Outcome::Failed(format!("{}: {e}", job.location)),
        }
    };
    let input = ExtractInput {
        body: &body,
        url: &job.uri,
        content_type: http.header("content-type"),
        captured: Some(job.date),
    };
    let article = extract(&input, rules, opts).article;
    let json = match serde_json::to_vec(&article) {
        Ok(j) => j,
        Err(e) => {
            return Outcome::Failed(format!("{}: cannot serialise article: {e}", job.location));
        }
    };
    let old = prev.and_then(|p| p.article().ok());
    let changed = old
        .as_ref()
        .map(|o| changed_fields(o, &article))
        .unwrap_or_default();
    Outcome::Parsed {
        json,
        article: Box::new(article),
        changed,
        first: old.is_none(),
    }
}

/// Re-parse every HTML response of `files` and write conversion records with `writer`.
///
/// `now` dates the new records; `progress` is called with the number of records read so far.
pub fn reparse(
    files: &[Source],
    rules: &RuleSet,
    opts: &ReparseOptions,
    writer: &mut ArchiveWriter,
    now: DateTime<Utc>,
    ids: &mut dyn IdGen,
    mut progress: impl FnMut(u64),
) -> Result<ReparseSummary, ReparseError> {
    let previous = previous_parses(files)?;
    let extractor = crate::model::extractor_info().label();
    let mut summary = ReparseSummary::default();
    // Payload digest → location of the response holding it, for revisits.
    let mut payloads: HashMap<String, (usize, u64, u64)> = HashMap::new();
    let mut batch: Vec<Job> = Vec::with_capacity(BATCH);
    let ctx = BatchCtx {
        rules,
        opts,
        previous: &previous,
        now,
    };
    for (file, src) in files.iter().enumerate() {
        let path = src.name();
        for item in ArchiveReader::from_source(src.as_ref())?.lenient(true) {
            let rr = match item {
                Ok(rr) => rr,
                // The file could not be read on (network, disk): stop.
                Err(e @ ArchiveError::Io { .. }) => return Err(e.into()),
                Err(e) => {
                    summary.failures.push(e.to_string());
                    continue;
                }
            };
            summary.records += 1;
            progress(summary.records);
            let rec = rr.record;
            let kind = rec.record_type();
            if !matches!(kind, RecordType::Response | RecordType::Revisit) {
                continue;
            }
            let (Some(uri), Some(date), Some(id)) = (rec.target_uri(), rec.date(), rec.id()) else {
                continue;
            };
            let (uri, id) = (uri.to_string(), id.to_string());
            let location = format!("{}@{}", path.display(), rr.offset);
            let payload = if kind == RecordType::Response {
                if let Some(d) = rec.headers.get("WARC-Payload-Digest") {
                    payloads.insert(d.to_string(), (file, rr.offset, rr.length));
                }
                rec
            } else {
                let original = rec
                    .headers
                    .get("WARC-Payload-Digest")
                    .and_then(|d| payloads.get(d));
                match original {
                    Some((f, off, len)) => match read_record_from(files[*f].as_ref(), *off, *len) {
                        Ok(r) => r,
                        Err(e) => {
                            summary
                                .failures
                                .push(format!("{location}: revisit target: {e}"));
                            continue;
                        }
                    },
                    // A 304 or a revisit of a payload outside these files: nothing to parse.
                    None => continue,
                }
            };
            // Only HTML is parsed; a record that is not HTTP at all is skipped the same way.
            let Some(http) = payload.http().ok().filter(is_html_response) else {
                continue;
            };
            let host = host_of(&uri).unwrap_or_default();
            if opts
                .only_site
                .as_deref()
                .is_some_and(|s| !site_matches(&host, s))
                || opts.since.is_some_and(|s| date < s)
            {
                summary.filtered += 1;
                continue;
            }
            let label = selectors_label(rules, &opts.extract, &uri, date);
            if !opts.force
                && previous
                    .get(&id)
                    .is_some_and(|p| p.extractor == extractor && p.selectors == label)
            {
                summary.up_to_date += 1;
                continue;
            }
            batch.push(Job {
                uri,
                date,
                response_id: id,
                http,
                location,
            });
            if batch.len() == BATCH {
                run_batch(&ctx, &mut batch, writer, ids, &mut summary)?;
            }
        }
    }
    run_batch(&ctx, &mut batch, writer, ids, &mut summary)?;
    Ok(summary)
}

/// What every batch of one run shares.
struct BatchCtx<'a> {
    rules: &'a RuleSet,
    opts: &'a ReparseOptions,
    previous: &'a HashMap<String, PreviousParse>,
    now: DateTime<Utc>,
}

/// Parse `batch` on all cores, then write its conversion records in order.
fn run_batch(
    ctx: &BatchCtx<'_>,
    batch: &mut Vec<Job>,
    writer: &mut ArchiveWriter,
    ids: &mut dyn IdGen,
    summary: &mut ReparseSummary,
) -> Result<(), ReparseError> {
    let BatchCtx {
        rules,
        opts,
        previous,
        now,
    } = *ctx;
    let outcomes: Vec<Outcome> = batch
        .par_iter()
        .map(|job| run_job(job, rules, &opts.extract, previous.get(&job.response_id)))
        .collect();
    let extractor = crate::model::extractor_info().label();
    for (job, outcome) in batch.drain(..).zip(outcomes) {
        match outcome {
            Outcome::Failed(e) => summary.failures.push(e),
            Outcome::Parsed {
                json,
                article,
                changed,
                first,
            } => {
                *summary.kinds.entry(article.page_kind).or_default() += 1;
                // Like the crawl, which stores only the parsed kinds (article, liveblog,
                // gallery, video): a page of another kind (listing, error, ...) that was never
                // parsed before gets no record (a page that was parsed before does, so an
                // article that stopped being one is superseded).
                if first && !article.page_kind.is_parsed() {
                    summary.not_stored += 1;
                    continue;
                }
                let label = article.selectors.as_ref().map(|s| s.label());
                let rec = build::conversion(
                    &job.uri,
                    now,
                    json,
                    build::ParseOf {
                        record_id: &job.response_id,
                        captured: job.date,
                    },
                    &extractor,
                    label.as_deref(),
                    ids,
                );
                writer.write(&rec)?;
                summary.parsed += 1;
                if first {
                    summary.first_parse += 1;
                } else if !changed.is_empty() {
                    summary.pages_changed += 1;
                }
                for f in changed {
                    *summary.changed.entry(f).or_default() += 1;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod html_tests {
    use super::*;

    fn msg(status: u16, headers: &[(&str, &str)], body: &[u8]) -> HttpMessage {
        HttpMessage {
            status,
            start_line: format!("HTTP/1.1 {status} X"),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.to_vec(),
        }
    }

    #[test]
    fn html_by_content_type_or_first_bytes() {
        let ct = [("Content-Type", "text/html; charset=utf-8")];
        assert!(is_html_response(&msg(200, &ct, b"")));
        assert!(!is_html_response(&msg(404, &ct, b"<html>")));
        assert!(!is_html_response(&msg(
            200,
            &[("Content-Type", "image/png")],
            b"<html>"
        )));
        assert!(is_html_response(&msg(200, &[], b"  <!DOCTYPE html><html>")));
        assert!(!is_html_response(&msg(200, &[], b"\x89PNG\r\n\x1a\n")));
        assert!(!is_html_response(&msg(
            200,
            &[],
            "é".repeat(600).as_bytes()
        )));
        assert!(is_html_response(&msg(
            200,
            &[("Content-Encoding", "gzip")],
            b"\x1f\x8b"
        )));
    }
}
