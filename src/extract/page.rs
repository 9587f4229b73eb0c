//! Step 1 of [`extract`](super::extract): the page's bytes decoded (`charset`: BOM →
//! Content-Type → meta → detection) and parsed into the one DOM every later step reads, with
//! the page's URL and host.

use scraper::Html;
use url::Url;

use super::{ExtractInput, charset};

/// One decoded, parsed page.
pub(crate) struct Page<'a> {
    /// The URL the page was fetched from, as given.
    pub url: &'a str,
    /// That URL parsed (`None`: not absolute, links are not resolved).
    pub page_url: Option<Url>,
    /// The host, lower case, without `www.`.
    pub site: Option<String>,
    /// The DOM (the site's `remove` rules later take elements out of it: `SiteMatch::remove`).
    pub doc: Html,
    /// What decoding and URL parsing noticed.
    pub warnings: Vec<String>,
    /// True when the body had no bytes at all.
    pub empty: bool,
}

impl<'a> Page<'a> {
    /// Decode and parse `input`.
    pub fn load(input: &ExtractInput<'a>) -> Self {
        let decoded = charset::decode(input.body, input.content_type);
        let mut warnings = decoded.warnings;
        let page_url = Url::parse(input.url).ok();
        if page_url.is_none() {
            warnings.push(format!(
                "page URL {:?} is not absolute; links not resolved",
                input.url
            ));
        }
        let site = host_of(page_url.as_ref());
        let doc = Html::parse_document(&decoded.text);
        Page {
            url: input.url,
            page_url,
            site,
            doc,
            warnings,
            empty: input.body.is_empty(),
        }
    }
}

fn host_of(url: Option<&Url>) -> Option<String> {
    let h = url?.host_str()?.to_ascii_lowercase();
    Some(h.strip_prefix("www.").map(str::to_string).unwrap_or(h))
}
