//! `/site/<site>`: one site's page captures, newest first, paginated, filtered by capture
//! date range, page kind and language.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::response::Html;

use crate::model::PageKind;
use crate::serve::app::AppState;
use crate::serve::catalog::{KindFilter, ListQuery};
use crate::serve::query::{self, Params};
use crate::serve::records::ts_display;
use crate::serve::reply::{HttpError, blocking};

/// Rows per page.
pub const PER_PAGE: usize = 50;

struct RowView {
    ts: String,
    href: String,
    url: String,
    title: String,
    kind: String,
    language: String,
    status: String,
}

#[derive(Template)]
#[template(path = "site.html")]
struct SitePage {
    title: String,
    site: String,
    self_path: String,
    from: String,
    to: String,
    lang: String,
    kinds: Vec<(String, bool)>,
    rows: Vec<RowView>,
    total: i64,
    page: usize,
    pages: usize,
    prev: String,
    next: String,
}

/// The site page.
pub async fn page(
    State(s): State<AppState>,
    Path(site): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, HttpError> {
    let p = Params::parse(raw.as_deref());
    let site = query::site("site", &site)?;
    let q = ListQuery {
        site: site.clone(),
        from: p.from_ts("from")?,
        to: p.to_ts("to")?,
        kind: p.kind()?,
        language: p.language()?,
        page: p.page()?,
        per_page: PER_PAGE,
    };
    blocking(move || {
        if !s.catalog.has_site(&site)? {
            return Err(HttpError::not_found(format!(
                "no captures of {site} in this archive"
            )));
        }
        let list = s.catalog.list(&q)?;
        let pages = (list.total as usize).div_ceil(PER_PAGE).max(1);
        let kind_value = match q.kind {
            Some(KindFilter::Kind(k)) => k.name().to_string(),
            Some(KindFilter::NotParsed) => "not-parsed".into(),
            None => String::new(),
        };
        let page_href = |n: usize| {
            let n = n.to_string();
            super::href(
                &super::site_href(&site),
                &[
                    ("from", p.get("from").unwrap_or_default()),
                    ("to", p.get("to").unwrap_or_default()),
                    ("kind", &kind_value),
                    ("lang", p.get("lang").unwrap_or_default()),
                    ("page", &n),
                ],
            )
        };
        let mut kinds: Vec<(String, bool)> = PageKind::ALL
            .iter()
            .map(|k| (k.name().to_string(), kind_value == k.name()))
            .collect();
        kinds.push(("not-parsed".into(), kind_value == "not-parsed"));
        let view = SitePage {
            title: site.clone(),
            self_path: super::site_href(&site),
            from: p.get("from").unwrap_or_default().to_string(),
            to: p.get("to").unwrap_or_default().to_string(),
            lang: p.get("lang").unwrap_or_default().to_string(),
            kinds,
            rows: list
                .rows
                .into_iter()
                .map(|r| RowView {
                    ts: ts_display(&r.ts),
                    href: super::capture_href(&r.url, &r.ts),
                    title: r.title.unwrap_or_default(),
                    kind: r.kind.unwrap_or_else(|| "not parsed".into()),
                    language: r.language.unwrap_or_default(),
                    status: r
                        .status
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "-".into()),
                    url: r.url,
                })
                .collect(),
            total: list.total,
            page: q.page + 1,
            pages,
            prev: if q.page > 0 {
                page_href(q.page)
            } else {
                String::new()
            },
            next: if q.page + 1 < pages {
                page_href(q.page + 2)
            } else {
                String::new()
            },
            site,
        };
        Ok(Html(view.render()?))
    })
    .await
}
