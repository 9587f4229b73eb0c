//! Where the page belongs: the publication's name, the section and the tags.

use super::{Sourced, any, nonempty};
use crate::extract::heuristics;
use crate::extract::meta;
use crate::extract::signals::PageSignals;
use crate::model::FieldSource;
use crate::selectors::Field;

/// The publication's name: a selector (or the config's own `site_name`), the JSON-LD
/// publisher, `og:site_name` / `application-name`, a JSON-LD WebSite's name.
pub(super) fn site_name(sig: &PageSignals<'_>) -> Sourced<Option<String>> {
    let (meta, ld) = (&sig.meta, &sig.ld);
    if let Some(v) = sig
        .selected(Field::SiteName, &any)
        .into_iter()
        .next()
        .or_else(|| sig.site.as_ref().and_then(|s| s.rules.site_name.clone()))
    {
        Sourced::new(Some(v), FieldSource::Selector)
    } else if let Some(v) = nonempty(sig.article_ld.publisher.as_deref()) {
        Sourced::new(Some(v), FieldSource::JsonLd)
    } else if let Some(v) = nonempty(meta.first(&[
        "og:site_name",
        "application-name",
        "twitter:app:name:iphone",
    ])) {
        Sourced::new(Some(v), FieldSource::Meta)
    } else if let Some(v) = nonempty(ld.site_name.as_deref()) {
        Sourced::new(Some(v), FieldSource::JsonLd)
    } else {
        Sourced::none()
    }
}

/// The section or category.
pub(super) fn section(sig: &PageSignals<'_>) -> Sourced<Option<String>> {
    if let Some(s) = sig.selected(Field::Section, &any).into_iter().next() {
        Sourced::new(Some(meta::squash(&s)), FieldSource::Selector)
    } else if let Some(s) = nonempty(sig.article_ld.section.as_deref()) {
        Sourced::new(Some(s), FieldSource::JsonLd)
    } else if let Some(s) = nonempty(sig.meta.first(&[
        "article:section",
        "parsely-section",
        "section",
        "category",
        "dc.subject",
    ])) {
        Sourced::new(Some(s), FieldSource::Meta)
    } else {
        Sourced::none()
    }
}

/// The tags, squashed, in page order, without duplicates: a selector, JSON-LD keywords,
/// `article:tag` (else the keywords metas), `rel=tag` links.
pub(super) fn tags(sig: &PageSignals<'_>) -> Sourced<Vec<String>> {
    let meta = &sig.meta;
    let sel_tags = sig.selected(Field::Tags, &any);
    let meta_tags: Vec<String> = if !meta.all("article:tag").is_empty() {
        meta.all("article:tag").to_vec()
    } else {
        meta.first(&["news_keywords", "keywords", "parsely-tags"])
            .map(|k| k.split(',').map(str::to_string).collect())
            .unwrap_or_default()
    };
    if !sel_tags.is_empty() {
        Sourced::new(dedup(sel_tags), FieldSource::Selector)
    } else if !sig.article_ld.keywords.is_empty() {
        Sourced::new(dedup(sig.article_ld.keywords.clone()), FieldSource::JsonLd)
    } else if !meta_tags.is_empty() {
        Sourced::new(dedup(meta_tags), FieldSource::Meta)
    } else {
        let g = dedup(heuristics::tags(&sig.page.doc));
        if g.is_empty() {
            Sourced::none()
        } else {
            Sourced::new(g, FieldSource::Generic)
        }
    }
}

/// Squashed, non-empty, first occurrence only.
fn dedup(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in v.iter().map(|t| meta::squash(t)).filter(|t| !t.is_empty()) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}
