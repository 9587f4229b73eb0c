//! Step 2 of [`extract`](super::extract): everything the page says, read once and shared by
//! every field resolver (and by the page-kind classifier that will plug in after them).
//!
//! Declared metadata (JSON-LD, meta tags) and links are read from the page as received; then
//! the site's selector config marks a paywall and detaches its `remove` elements; page chrome
//! and the page's way of writing slash dates are read from the cleaned DOM, which no longer
//! changes. The date shown under the headline and the byline are found when first asked for.

use std::cell::OnceCell;

use chrono::{DateTime, FixedOffset};
use url::Url;

use super::dates::SlashOrder;
use super::heuristics::{self, Chrome};
use super::jsonld::{self, JsonLd, JsonLdArticle};
use super::meta::{self, Meta};
use super::page::Page;
use super::site::SiteMatch;
use super::{ExtractOptions, links};
use crate::selectors::{Field, RuleSet};

/// What one page says, read once.
pub(crate) struct PageSignals<'a> {
    /// The page (URL, host, cleaned DOM).
    pub page: Page<'a>,
    /// Warnings so far: decoding, the URL, JSON-LD.
    pub warnings: Vec<String>,
    /// `<meta>` tags, `<link rel=canonical>`, `<html lang>`, `<title>`.
    pub meta: Meta,
    /// Every JSON-LD block of the page.
    pub ld: JsonLd,
    /// The JSON-LD article (all fields empty when the page declares none).
    pub article_ld: JsonLdArticle,
    /// The base for relative URLs (`<base href>`, else the page URL).
    pub base: Option<Url>,
    /// Absolute http(s) links, in document order.
    pub links: Vec<String>,
    /// The site's selector config, when one applies to this URL (and site rules are on).
    pub site: Option<SiteMatch<'a>>,
    /// True when a paywall marker of the site's config matched.
    pub paywall_marked: bool,
    /// Page-chrome detection on the cleaned DOM.
    pub chrome: Chrome,
    /// How the page writes ambiguous slash dates (`03/05/2022`).
    pub slash_order: SlashOrder,
    /// When the page was captured (relative dates count back from it).
    pub captured: Option<DateTime<chrono::Utc>>,
    shown_date: OnceCell<Option<DateTime<FixedOffset>>>,
    byline: OnceCell<Vec<String>>,
}

impl<'a> PageSignals<'a> {
    /// Read the signals of `page`, applying the site's rules from `rules` (unless turned off).
    pub fn read(
        mut page: Page<'a>,
        rules: &'a RuleSet,
        captured: Option<DateTime<chrono::Utc>>,
        opts: &ExtractOptions,
    ) -> Self {
        let meta = meta::read(&page.doc);
        let ld = jsonld::read(&page.doc, page.url);
        let mut warnings = std::mem::take(&mut page.warnings);
        warnings.extend(ld.warnings.iter().cloned());
        let base = links::base_url(&page.doc, page.page_url.as_ref());
        let links = links::links(&page.doc, base.as_ref());
        let article_ld = ld.article.clone().unwrap_or_default();

        let site = if opts.no_site_rules {
            None
        } else {
            SiteMatch::find(rules, page.site.as_deref(), page.url, captured)
        };
        let mut paywall_marked = false;
        if let Some(s) = &site {
            paywall_marked = s.paywalled(&page.doc);
            s.remove(&mut page.doc);
        }
        let chrome = Chrome::new(&page.doc);
        let slash_order = heuristics::slash_order(&page.doc);
        PageSignals {
            page,
            warnings,
            meta,
            ld,
            article_ld,
            base,
            links,
            site,
            paywall_marked,
            chrome,
            slash_order,
            captured,
            shown_date: OnceCell::new(),
            byline: OnceCell::new(),
        }
    }

    /// The values the site's selector rule for `field` gives (empty without a rule); `accept`
    /// filters unusable values so a fallback candidate is tried.
    pub fn selected(&self, field: Field, accept: &dyn Fn(&str) -> bool) -> Vec<String> {
        self.site
            .as_ref()
            .map(|s| s.values(&self.page.doc, field, accept))
            .unwrap_or_default()
    }

    /// `href` made absolute against the base (or the page URL).
    pub fn absolute(&self, href: &str) -> Option<String> {
        links::absolute(self.base.as_ref().or(self.page.page_url.as_ref()), href)
    }

    /// The date shown under the headline ([`heuristics::shown_date`]), computed once.
    pub fn shown_date(&self) -> Option<DateTime<FixedOffset>> {
        *self
            .shown_date
            .get_or_init(|| heuristics::shown_date(&self.page.doc, &self.chrome, self.slash_order))
    }

    /// Whether a date was shown under the headline, if a resolver has looked (false when none
    /// did: the page declared its date). Cheap: never runs the search itself.
    pub fn shown_date_seen(&self) -> bool {
        matches!(self.shown_date.get(), Some(Some(_)))
    }

    /// Whether the page has a byline, if a resolver has looked (false when none did). Cheap:
    /// never runs the search itself.
    pub fn byline_seen(&self) -> bool {
        self.byline.get().is_some_and(|b| !b.is_empty())
    }

    /// The names of the page's byline ([`heuristics::byline`]), computed once.
    pub fn byline(&self) -> &[String] {
        self.byline
            .get_or_init(|| heuristics::byline(&self.page.doc, &self.chrome))
    }
}
