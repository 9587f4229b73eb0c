//! Applying a site's selector rules to the DOM: removal of unwanted elements, then per field
//! the first candidate selector that yields a value.

use scraper::{ElementRef, Html};

use super::text::{block_text, inline_text};
use crate::selectors::{Candidate, Field, FieldRule, Resolved};

/// Detach every element matched by the `remove` selectors (the DOM is ours to change).
pub fn remove(doc: &mut Html, rules: &Resolved<'_>) {
    let mut ids = Vec::new();
    for sel in &rules.remove {
        ids.extend(doc.select(sel).map(|e| e.id()));
    }
    for id in ids {
        if let Some(mut n) = doc.tree.get_mut(id) {
            n.detach();
        }
    }
}

/// True when one of the paywall markers matches.
pub fn paywalled(doc: &Html, rules: &Resolved<'_>) -> bool {
    rules.paywall.iter().any(|s| doc.select(s).next().is_some())
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
pub fn values(
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
