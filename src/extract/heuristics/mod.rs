//! Generic guesses for pages whose selectors and metadata say nothing (or disagree): the
//! headline, the publication date, the byline and tags, each read outside page chrome.

mod byline;
mod chrome;
mod page_dates;
mod title;

pub use byline::{byline, thread_starter};
pub use chrome::{Chrome, in_chrome};
pub use page_dates::{labelled_text_date, modified, published, shown_age, shown_date, slash_order};
pub use title::{h1s, similar, strip_named_sites, strip_site_names, strip_site_suffix, title};

use scraper::Html;

use super::text::inline_text;

/// Tags from `a[rel=tag]` links.
pub fn tags(doc: &Html) -> Vec<String> {
    let Some(s) = css!("a[rel~=tag]") else {
        return Vec::new();
    };
    doc.select(s)
        .map(inline_text)
        .filter(|t| !t.is_empty())
        .collect()
}
