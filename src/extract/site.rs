//! The site's selector config on one page: which config applies (by host, URL and capture
//! date), removal of unwanted elements and paywall markers, then per field the first candidate
//! selector that yields a value.

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Html};

use super::text::{block_text, inline_text};
use crate::model::SelectorsRef;
use crate::selectors::{Candidate, Field, FieldRule, Resolved, RuleSet, SiteRules};

/// The selector config that applies to a page, with its template for the capture date.
pub(crate) struct SiteMatch<'r> {
    /// The site's config.
    pub rules: &'r SiteRules,
    /// Its effective template for the capture date.
    pub resolved: Resolved<'r>,
}

impl<'r> SiteMatch<'r> {
    /// The config for `host` whose article-URL patterns accept `url`, if any.
    pub fn find(
        rules: &'r RuleSet,
        host: Option<&str>,
        url: &str,
        captured: Option<DateTime<Utc>>,
    ) -> Option<Self> {
        let site = host
            .and_then(|h| rules.lookup(h, captured))
            .filter(|s| s.is_article_url(url))?;
        Some(SiteMatch {
            rules: site,
            resolved: site.resolve(captured),
        })
    }

    /// The config's name and hash, as recorded in the article.
    pub fn reference(&self) -> SelectorsRef {
        SelectorsRef {
            name: self.rules.name.clone(),
            hash: self.rules.hash.clone(),
        }
    }

    /// True when one of the paywall markers matches.
    pub fn paywalled(&self, doc: &Html) -> bool {
        self.resolved
            .paywall
            .iter()
            .any(|s| doc.select(s).next().is_some())
    }

    /// Detach every element matched by the `remove` selectors (the DOM is ours to change).
    pub fn remove(&self, doc: &mut Html) {
        let mut ids = Vec::new();
        for sel in &self.resolved.remove {
            ids.extend(doc.select(sel).map(|e| e.id()));
        }
        for id in ids {
            if let Some(mut n) = doc.tree.get_mut(id) {
                n.detach();
            }
        }
    }

    /// The values the rule for `field` gives (none without a rule); see [`values`].
    pub fn values(&self, doc: &Html, field: Field, accept: &dyn Fn(&str) -> bool) -> Vec<String> {
        self.resolved
            .field(field)
            .map(|rule| values(doc, rule, field, accept))
            .unwrap_or_default()
    }
}

fn value_of(el: ElementRef<'_>, c: &Candidate, field: Field) -> Option<String> {
    let raw = match &c.attr {
        Some(a) => el.value().attr(a)?.trim().to_string(),
        None if field == Field::Body => block_text(el),
        None => inline_text(el),
    };
    let v = match &c.regex {
        Some(re) => {
            let caps = re.captures(&raw)?;
            caps.get(1)
                .or_else(|| caps.get(0))?
                .as_str()
                .trim()
                .to_string()
        }
        None => raw,
    };
    (!v.is_empty()).then_some(v)
}

/// The values the rule gives: one for single fields, several for `many` candidates. `accept`
/// filters values (e.g. dates that parse), so a fallback is tried when a value is unusable.
fn values(
    doc: &Html,
    rule: &FieldRule,
    field: Field,
    accept: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    for c in &rule.candidates {
        let mut out = Vec::new();
        for el in doc.select(&c.css) {
            if let Some(v) = value_of(el, c, field)
                && accept(&v)
            {
                out.push(v);
                if !c.many {
                    break;
                }
            }
        }
        if !out.is_empty() {
            return out;
        }
    }
    Vec::new()
}
