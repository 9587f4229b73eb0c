//! `/capture?url=…[&ts=…][&a=…&b=…]`: the parsed article with the source of every field,
//! beside the capture replayed in a sandboxed iframe; this URL's captures; the capture's
//! parses and a field-by-field diff of two of them.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Html;

use crate::archive::cdxj::surt;
use crate::model::Article;
use crate::serve::app::AppState;
use crate::serve::catalog::{CaptureRow, Catalog, ParseInfo};
use crate::serve::diff::{DiffRow, diff};
use crate::serve::query::Params;
use crate::serve::records::{article, nearest, ts_display};
use crate::serve::reply::{HttpError, blocking};

struct FieldView {
    name: &'static str,
    value: String,
    source: String,
}

struct TimelineItem {
    ts: String,
    href: String,
    current: bool,
}

struct ParseView {
    n: usize,
    ts: String,
    extractor: String,
    selectors: String,
    kind: String,
    title: String,
}

#[derive(Template)]
#[template(path = "capture.html")]
struct CapturePage {
    title: String,
    heading: String,
    url: String,
    ts: String,
    ts_raw: String,
    rtype: String,
    status: String,
    mime: String,
    site: String,
    site_href: String,
    raw_href: String,
    replay_src: String,
    has_article: bool,
    parse_label: String,
    fields: Vec<FieldView>,
    body: Vec<String>,
    body_source: String,
    timeline: Vec<TimelineItem>,
    parses: Vec<ParseView>,
    diff_a: usize,
    diff_b: usize,
    diff: Vec<DiffRow>,
    changed: usize,
}

/// The capture page.
pub async fn page(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, HttpError> {
    let p = Params::parse(raw.as_deref());
    let url = p.url()?;
    let ts = p.digits_ts("ts")?;
    let (a, b) = (p.parse_no("a")?, p.parse_no("b")?);
    blocking(move || {
        let caps: Vec<CaptureRow> = s
            .catalog
            .captures_of(&surt(&url), 100_000)?
            .into_iter()
            .filter(|c| matches!(c.rtype.as_str(), "response" | "revisit" | "resource"))
            .collect();
        let cap = nearest(&caps, ts.as_deref())
            .ok_or_else(|| HttpError::not_found(format!("no capture of {url} in this archive")))?
            .clone();
        let parses = s.catalog.parses_of(cap.id)?;
        let current = parses.last().map(|p| article(&s.catalog, p)).transpose()?;
        let (diff_a, diff_b, rows) = parse_diff(&s.catalog, &parses, a, b)?;
        let view = render_view(&s, &cap, &caps, &parses, current, (diff_a, diff_b, rows));
        Ok(Html(view.render()?))
    })
    .await
}

/// The diff of parses `a` and `b` (1-based; default: none), checked against the list.
fn parse_diff(
    cat: &Catalog,
    parses: &[ParseInfo],
    a: Option<usize>,
    b: Option<usize>,
) -> Result<(usize, usize, Vec<DiffRow>), HttpError> {
    let n = parses.len();
    let (Some(a), Some(b)) = (a, b) else {
        let last = n.max(1);
        return Ok((last.saturating_sub(1).max(1), last, Vec::new()));
    };
    if a > n || b > n {
        return Err(HttpError::bad_request(format!(
            "bad parameter a={a} or b={b}: this capture has {n} parse(s)"
        )));
    }
    let (x, y) = (article(cat, &parses[a - 1])?, article(cat, &parses[b - 1])?);
    Ok((a, b, diff(&x, &y)))
}

fn source(a: &Article, field: &str) -> String {
    a.fields_from
        .get(field)
        .and_then(|s| serde_json::to_value(s).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "none".into())
}

fn fields(a: &Article) -> Vec<FieldView> {
    let date = |d: &Option<chrono::DateTime<chrono::FixedOffset>>| {
        d.map(|d| d.to_rfc3339()).unwrap_or_default()
    };
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let list: [(&'static str, String); 11] = [
        ("title", opt(&a.title)),
        ("authors", a.authors.join("; ")),
        ("published", date(&a.published)),
        ("modified", date(&a.modified)),
        ("section", opt(&a.section)),
        ("tags", a.tags.join(", ")),
        ("description", opt(&a.description)),
        ("language", opt(&a.language)),
        ("site_name", opt(&a.site_name)),
        ("canonical_url", opt(&a.canonical_url)),
        ("image", opt(&a.image)),
    ];
    list.into_iter()
        .map(|(name, value)| FieldView {
            source: if value.is_empty() {
                "none".into()
            } else {
                source(a, name)
            },
            value: if value.is_empty() {
                "—".into()
            } else {
                value
            },
            name,
        })
        .collect()
}

/// At most [`TIMELINE`] captures of the URL around the current one.
const TIMELINE: usize = 200;

fn timeline(caps: &[CaptureRow], cap: &CaptureRow) -> Vec<TimelineItem> {
    let pages: Vec<&CaptureRow> = caps.iter().filter(|c| c.rtype != "resource").collect();
    let at = pages.iter().position(|c| c.id == cap.id).unwrap_or(0);
    let start = at
        .saturating_sub(TIMELINE / 2)
        .min(pages.len().saturating_sub(TIMELINE));
    pages
        .iter()
        .skip(start)
        .take(TIMELINE)
        .map(|c| TimelineItem {
            ts: ts_display(&c.ts),
            href: super::capture_href(&c.url, &c.ts),
            current: c.id == cap.id,
        })
        .collect()
}

fn render_view(
    s: &AppState,
    cap: &CaptureRow,
    caps: &[CaptureRow],
    parses: &[ParseInfo],
    current: Option<Article>,
    (diff_a, diff_b, diff): (usize, usize, Vec<DiffRow>),
) -> CapturePage {
    let last = parses.last();
    let heading = current
        .as_ref()
        .and_then(|a| a.title.clone())
        .unwrap_or_else(|| cap.url.clone());
    CapturePage {
        title: heading.clone(),
        heading,
        url: cap.url.clone(),
        ts: ts_display(&cap.ts),
        ts_raw: cap.ts.clone(),
        rtype: cap.rtype.clone(),
        status: cap
            .status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "-".into()),
        mime: cap.mime.clone().unwrap_or_default(),
        site: cap.site.clone(),
        site_href: super::site_href(&cap.site),
        raw_href: super::href("/raw", &[("url", &cap.url), ("ts", &cap.ts)]),
        replay_src: format!("/replay/{}{}/{}", s.replay_key, cap.ts, cap.url),
        has_article: current.is_some(),
        parse_label: last
            .map(|p| {
                format!(
                    "parse {} of {}, {}, {}",
                    parses.len(),
                    parses.len(),
                    p.extractor,
                    p.selectors.as_deref().unwrap_or("no selector config")
                )
            })
            .unwrap_or_default(),
        fields: current.as_ref().map(fields).unwrap_or_default(),
        body: current
            .as_ref()
            .map(|a| a.body.split("\n\n").map(str::to_string).collect())
            .unwrap_or_default(),
        body_source: current
            .as_ref()
            .map(|a| source(a, "body"))
            .unwrap_or_default(),
        timeline: timeline(caps, cap),
        parses: parses
            .iter()
            .enumerate()
            .map(|(i, p)| ParseView {
                n: i + 1,
                ts: ts_display(&p.ts),
                extractor: p.extractor.clone(),
                selectors: p.selectors.clone().unwrap_or_else(|| "—".into()),
                kind: p.kind.clone(),
                title: p.title.clone().unwrap_or_default(),
            })
            .collect(),
        changed: diff.iter().filter(|d| d.changed).count(),
        diff_a,
        diff_b,
        diff,
    }
}
