//! The site's selector config on one page: which config applies (by host, URL and capture
//! date), removal of unwanted elements and paywall markers, then per field the first candidate
//! selector that yields a value.

use chrono::{DateTime, Utc};
use ego_tree::Tree;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

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
        if ids.is_empty() {
            return;
        }
        for id in ids {
            if let Some(mut n) = doc.tree.get_mut(id) {
                n.detach();
            }
        }
        // A detached node stays in the tree's arena, where `Html::select` and every walk over
        // the arena still find it: keep only what is still attached.
        doc.tree = attached(&doc.tree);
    }

    /// The values the rule for `field` gives (none without a rule); see [`values`].
    pub fn values(&self, doc: &Html, field: Field, accept: &dyn Fn(&str) -> bool) -> Vec<String> {
        self.resolved
            .field(field)
            .map(|rule| values(doc, rule, field, accept))
            .unwrap_or_default()
    }
}

/// A copy of `tree` without its detached nodes, its arena in document order.
fn attached(tree: &Tree<Node>) -> Tree<Node> {
    let root = tree.root();
    let mut out = Tree::with_capacity(root.value().clone(), tree.values().len());
    // The copy of each open node on the walk, innermost last.
    let mut open = vec![out.root().id()];
    for edge in root.traverse() {
        match edge {
            Edge::Open(n) if n.id() != root.id() => {
                let Some(&parent) = open.last() else { break };
                // `parent` was made by this walk and nodes are never removed from the arena.
                let Some(mut p) = out.get_mut(parent) else {
                    break;
                };
                let id = p.append(n.value().clone()).id();
                open.push(id);
            }
            Edge::Close(n) if n.id() != root.id() => {
                open.pop();
            }
            _ => {}
        }
    }
    out
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
