//! `newsarc extract`: HTML files or URLs → JSON lines.
//!
//! Files and `-` (stdin) are read from disk; an http(s) argument is fetched once with a plain
//! GET after checking the site's robots.txt (RFC 9309 rules of the crawler; not archived). With
//! `--input-list`, the list is streamed in chunks processed on all cores (rayon) and printed in
//! input order, so memory stays bounded however long the list is. Each page's kind (and the
//! classifier's confidence) goes to stderr, one line per page, unless `--quiet`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, Utc};
use newsarc::extract::{ExtractInput, ExtractOptions, extract};
use newsarc::fetch::{RobotsRules, agent_token, robots_url};
use newsarc::selectors::RuleSet;
use rayon::prelude::*;
use serde_json::Value;

use super::Exit;

/// Extract article fields from HTML files or URLs (JSON lines to stdout).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc extract page.html --url https://www.hstoday.us/featured/some-story/ --pretty
  newsarc extract https://www.example.com/news/1          # robots.txt checked, one GET, not archived
  curl -s https://example.com/a | newsarc extract - --url https://example.com/a
  newsarc extract --input-list pages.tsv > articles.jsonl  # PATH<TAB>URL per line, all cores
  newsarc extract page.html --no-site-rules                # metadata + generic extractor only
  newsarc extract page.html --captured 2024-05-02T09:30:00Z  # \"3 hours ago\" counts back from it")]
pub struct Args {
    /// HTML files, http(s) URLs (robots.txt checked, fetched once, not archived), or `-` for stdin.
    pub inputs: Vec<String>,
    /// The page's URL (for a single file or stdin).
    #[arg(long)]
    pub url: Option<String>,
    /// A text file with one `PATH<TAB>URL` per line (streams, uses all cores).
    #[arg(long)]
    pub input_list: Option<PathBuf>,
    /// Folder of site selector configs.
    #[arg(long, default_value = "selectors")]
    pub selectors: PathBuf,
    /// Ignore site selector configs: metadata + generic extraction only.
    #[arg(long)]
    pub no_site_rules: bool,
    /// Pretty-print the JSON (one object per input, indented).
    #[arg(long)]
    pub pretty: bool,
    /// When the page was captured (RFC 3339, or `YYYY-MM-DD` for midnight UTC): a date the page
    /// shows only as an age ("3 hours ago") counts back from it. A fetched URL defaults to the
    /// time of the fetch.
    #[arg(long, value_parser = parse_captured)]
    pub captured: Option<DateTime<Utc>>,
    /// Do not print each page's kind (`kind: listing 0.93  URL`) and the progress on stderr.
    #[arg(long)]
    pub quiet: bool,
}

/// One input to extract.
#[derive(Debug, Clone)]
struct Job {
    /// What the user named (printed as `source`).
    source: String,
    /// The page URL, if known.
    url: Option<String>,
}

/// How many list entries are read and extracted together (bounds memory).
const CHUNK: usize = 512;

/// Run the extraction.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    if args.inputs.is_empty() && args.input_list.is_none() {
        eprintln!("newsarc extract: give FILE..., a URL, `-`, or --input-list LIST");
        return Ok(Exit::Usage);
    }
    if args.url.is_some() && args.inputs.len() > 1 {
        eprintln!("newsarc extract: --url applies to a single input; use --input-list for many");
        return Ok(Exit::Usage);
    }
    let rules = if args.no_site_rules {
        RuleSet::empty()
    } else {
        let default = args.selectors == std::path::Path::new("selectors");
        match super::selectors::load_or_report(&args.selectors, default)? {
            Ok(r) => r,
            Err(code) => return Ok(code),
        }
    };
    let opts = ExtractOptions {
        no_site_rules: args.no_site_rules,
        ..Default::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut ok, mut failed) = (0usize, 0usize);
    let mut emit = |v: Value, out: &mut dyn Write| -> anyhow::Result<()> {
        if v.get("error").is_some() {
            failed += 1;
        } else {
            ok += 1;
            if !args.quiet
                && let Some(line) = kind_line(&v)
            {
                eprintln!("{line}");
            }
        }
        let s = if args.pretty {
            serde_json::to_string_pretty(&v)?
        } else {
            serde_json::to_string(&v)?
        };
        writeln!(out, "{s}").context("cannot write to stdout")?;
        Ok(())
    };
    let jobs: Vec<Job> = args
        .inputs
        .iter()
        .map(|i| Job {
            source: i.clone(),
            url: args.url.clone(),
        })
        .collect();
    let results: Vec<Value> = jobs
        .par_iter()
        .map(|j| one(j, &rules, &opts, args.captured))
        .collect();
    for v in results {
        emit(v, &mut out)?;
    }
    if let Some(list) = &args.input_list {
        let f = std::fs::File::open(list)
            .with_context(|| format!("cannot open input list {}", list.display()))?;
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_draw_target(if args.quiet {
            indicatif::ProgressDrawTarget::hidden()
        } else {
            indicatif::ProgressDrawTarget::stderr()
        });
        let mut lines = BufReader::new(f).lines();
        let mut done = false;
        let mut lineno = 0usize;
        while !done {
            let mut chunk = Vec::with_capacity(CHUNK);
            while chunk.len() < CHUNK {
                match lines.next() {
                    Some(line) => {
                        lineno += 1;
                        let line = line.with_context(|| {
                            format!("{}: line {lineno} unreadable", list.display())
                        })?;
                        let line = line.trim_end_matches('\r');
                        if line.trim().is_empty() || line.starts_with('#') {
                            continue;
                        }
                        let (path, url) = match line.split_once('\t') {
                            Some((p, u)) => (
                                p.to_string(),
                                Some(u.trim().to_string()).filter(|u| !u.is_empty()),
                            ),
                            None => (line.to_string(), None),
                        };
                        chunk.push(Job { source: path, url });
                    }
                    None => {
                        done = true;
                        break;
                    }
                }
            }
            let results: Vec<Value> = chunk
                .par_iter()
                .map(|j| one(j, &rules, &opts, args.captured))
                .collect();
            bar.inc(results.len() as u64);
            for v in results {
                emit(v, &mut out)?;
            }
        }
        bar.finish_and_clear();
    }
    out.flush().context("cannot write to stdout")?;
    drop(out);
    eprintln!("extracted {ok} page(s), {failed} failed");
    Ok(if failed == 0 {
        Exit::Success
    } else {
        Exit::Partial
    })
}

/// The stderr line naming a page's kind: `kind: listing 0.93  https://…`, or
/// `kind: article  https://…` when the classifier gave no confidence. `None` for an error.
fn kind_line(v: &Value) -> Option<String> {
    let kind = v.get("page_kind")?.as_str()?;
    let url = v.get("url").and_then(Value::as_str).unwrap_or_default();
    Some(
        match v.get("page_kind_confidence").and_then(Value::as_f64) {
            Some(c) => format!("kind: {kind} {c:.2}  {url}"),
            None => format!("kind: {kind}  {url}"),
        },
    )
}

/// `--captured`: an RFC 3339 time, or a `YYYY-MM-DD` day (midnight UTC).
fn parse_captured(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
        })
        .map_err(|_| {
            format!(
                "{s:?} is not a time: give RFC 3339 (2024-05-02T09:30:00Z) or a day (2024-05-02)"
            )
        })
}

fn error(source: &str, msg: String) -> Value {
    serde_json::json!({ "source": source, "error": msg })
}

/// Read, fetch or take stdin for one job, extract it, and build its JSON object.
fn one(
    job: &Job,
    rules: &RuleSet,
    opts: &ExtractOptions,
    captured: Option<DateTime<Utc>>,
) -> Value {
    let src = job.source.as_str();
    let mut captured = captured;
    let (body, url, content_type) = if src.starts_with("http://") || src.starts_with("https://") {
        captured = captured.or_else(|| Some(Utc::now()));
        match fetch(src) {
            Ok((b, final_url, ct)) => (b, job.url.clone().unwrap_or(final_url), ct),
            Err(e) => return error(src, format!("{e:#}")),
        }
    } else if src == "-" {
        let mut b = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut b) {
            return error(src, format!("cannot read stdin: {e}"));
        }
        (
            b,
            job.url
                .clone()
                .unwrap_or_else(|| "file:///dev/stdin".into()),
            None,
        )
    } else {
        match std::fs::read(src) {
            Ok(b) => {
                let url = job.url.clone().unwrap_or_else(|| {
                    std::fs::canonicalize(src)
                        .ok()
                        .and_then(|p| url::Url::from_file_path(p).ok())
                        .map(String::from)
                        .unwrap_or_else(|| format!("file:///{src}"))
                });
                (b, url, None)
            }
            Err(e) => return error(src, format!("cannot read {src}: {e}")),
        }
    };
    let input = ExtractInput {
        body: &body,
        url: &url,
        content_type: content_type.as_deref(),
        captured,
    };
    let article = extract(&input, rules, opts).article;
    match serde_json::to_value(&article) {
        Ok(Value::Object(mut m)) => {
            m.insert("source".into(), Value::String(src.to_string()));
            Value::Object(m)
        }
        Ok(_) => error(src, "article did not serialise to an object".into()),
        Err(e) => error(src, format!("cannot serialise article: {e}")),
    }
}

/// The User-Agent of single fetches.
const USER_AGENT: &str = concat!(
    "newsarc/",
    env!("CARGO_PKG_VERSION"),
    " (extract; single fetch)"
);

/// Fetch `url` once, if the site's robots.txt allows it: (body, final URL, Content-Type).
fn fetch(url: &str) -> anyhow::Result<(Vec<u8>, String, Option<String>)> {
    let parsed = url::Url::parse(url).with_context(|| format!("{url}: not a valid URL"))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .context("cannot build the HTTP client")?;
        let robots_url = robots_url(&parsed);
        let robots = match client.get(&robots_url).send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                let body = r.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
                RobotsRules::from_response(&agent_token(USER_AGENT), Some(status), &body)
            }
            Err(_) => RobotsRules::from_response(&agent_token(USER_AGENT), None, b""),
        };
        if !robots.allowed(url) {
            anyhow::bail!(
                "{url}: not fetched: {robots_url} does not allow it (or could not be read); \
                 save the page yourself and run `newsarc extract FILE --url {url}`"
            );
        }
        let resp = client
            .get(url)
            .send()
            .await
            .with_context(|| format!("cannot fetch {url}"))?;
        let status = resp.status();
        if !status.is_success() {
            anyhow::bail!("{url}: HTTP {status}");
        }
        let final_url = resp.url().to_string();
        let ct = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = resp
            .bytes()
            .await
            .with_context(|| format!("{url}: body cut off"))?;
        Ok((body.to_vec(), final_url, ct))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_line_with_and_without_confidence() {
        let v = serde_json::json!({"url": "https://e.com/", "page_kind": "listing",
            "page_kind_confidence": 0.93});
        assert_eq!(
            kind_line(&v).as_deref(),
            Some("kind: listing 0.93  https://e.com/")
        );
        let v = serde_json::json!({"url": "https://e.com/a", "page_kind": "article",
            "page_kind_confidence": null});
        assert_eq!(
            kind_line(&v).as_deref(),
            Some("kind: article  https://e.com/a")
        );
        assert_eq!(kind_line(&error("x", "boom".into())), None);
    }
}
