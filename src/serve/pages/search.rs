//! `/search?q=…[&site=…][&page=…]`: full-text search over the titles and bodies of the
//! current parses, best first, with highlighted snippets.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Html;

use crate::serve::app::AppState;
use crate::serve::query::Params;
use crate::serve::records::{article, ts_display};
use crate::serve::reply::{HttpError, blocking};
use crate::serve::search::html_escape;

/// Hits per page.
pub const PER_PAGE: usize = 20;

struct HitView {
    title: String,
    snippet: String,
    href: String,
    url: String,
    site: String,
    ts: String,
    kind: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    title: String,
    q: String,
    site: String,
    hits: Vec<HitView>,
    total: usize,
    page: usize,
    pages: usize,
    prev: String,
    next: String,
}

/// The search page.
pub async fn page(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, HttpError> {
    let p = Params::parse(raw.as_deref());
    let q = p.search_text()?;
    let site = p.site("site")?;
    let page = p.search_page(PER_PAGE)?;
    blocking(move || {
        let search = s.catalog.search();
        let compiled = search
            .compile(&q, site.as_deref())
            .map_err(|e| HttpError::bad_request(e.to_string()))?;
        let hits = search
            .search(&compiled, page * PER_PAGE, PER_PAGE)
            .map_err(HttpError::internal)?;
        let snippets = search.snippets(&compiled).map_err(HttpError::internal)?;
        let rows = s.catalog.parses_with_captures(&hits.parses)?;
        let mut views = Vec::with_capacity(rows.len());
        for (parse, cap) in rows {
            let a = article(&s.catalog, &parse)?;
            let title = a.title.as_deref().unwrap_or(&cap.url);
            views.push(HitView {
                title: if a.title.is_some() {
                    snippets.title(title)
                } else {
                    html_escape(title)
                },
                snippet: snippets.body(&a.body),
                href: super::capture_href(&cap.url, &cap.ts),
                ts: ts_display(&cap.ts),
                kind: parse.kind,
                site: cap.site,
                url: cap.url,
            });
        }
        let pages = hits.total.div_ceil(PER_PAGE).max(1);
        let site_s = site.unwrap_or_default();
        let page_href = |n: usize| {
            super::href(
                "/search",
                &[("q", &q), ("site", &site_s), ("page", &n.to_string())],
            )
        };
        let view = SearchPage {
            title: format!("Search: {q}"),
            hits: views,
            total: hits.total,
            page: page + 1,
            pages,
            prev: if page > 0 {
                page_href(page)
            } else {
                String::new()
            },
            next: if page + 1 < pages {
                page_href(page + 2)
            } else {
                String::new()
            },
            q,
            site: site_s,
        };
        Ok(Html(view.render()?))
    })
    .await
}
