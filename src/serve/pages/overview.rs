//! `/`: the sites in the archive with capture counts, first/last capture, articles per day
//! and page kinds.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::serve::app::AppState;
use crate::serve::chart::day_bars;
use crate::serve::records::ts_display;
use crate::serve::reply::{HttpError, blocking};

struct SiteView {
    site: String,
    href: String,
    captures: i64,
    pages: i64,
    articles: i64,
    first: String,
    last: String,
    chart: String,
    kinds: Vec<(String, i64)>,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct Overview {
    title: String,
    sites: Vec<SiteView>,
    total_sites: usize,
    total_captures: i64,
    total_pages: i64,
    total_articles: i64,
}

/// The overview page.
pub async fn page(State(s): State<AppState>) -> Result<Html<String>, HttpError> {
    blocking(move || {
        let sites = s.catalog.sites()?;
        let view = Overview {
            title: "Archive overview".into(),
            total_sites: sites.len(),
            total_captures: sites.iter().map(|s| s.captures).sum(),
            total_pages: sites.iter().map(|s| s.pages).sum(),
            total_articles: sites.iter().map(|s| s.articles).sum(),
            sites: sites
                .into_iter()
                .map(|s| SiteView {
                    href: super::site_href(&s.site),
                    chart: day_bars(&s.days, 60),
                    first: ts_display(&s.first),
                    last: ts_display(&s.last),
                    site: s.site,
                    captures: s.captures,
                    pages: s.pages,
                    articles: s.articles,
                    kinds: s.kinds,
                })
                .collect(),
        };
        Ok(Html(view.render()?))
    })
    .await
}
