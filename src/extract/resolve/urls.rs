//! The URL-valued fields, made absolute against the page's base: the lead image and the
//! canonical address.

use super::Sourced;
use crate::extract::signals::PageSignals;
use crate::model::FieldSource;
use crate::selectors::Field;

/// The lead image: a selector, the JSON-LD image, the OpenGraph / Twitter image.
pub(super) fn image(sig: &PageSignals<'_>) -> Sourced<Option<String>> {
    if let Some(i) = selected_url(sig, Field::Image) {
        Sourced::new(Some(i), FieldSource::Selector)
    } else if let Some(i) = sig
        .article_ld
        .image
        .as_deref()
        .and_then(|u| sig.absolute(u))
    {
        Sourced::new(Some(i), FieldSource::JsonLd)
    } else if let Some(i) = sig
        .meta
        .first(&[
            "og:image",
            "og:image:url",
            "og:image:secure_url",
            "twitter:image",
            "twitter:image:src",
        ])
        .and_then(|u| sig.absolute(u))
    {
        Sourced::new(Some(i), FieldSource::Meta)
    } else {
        Sourced::none()
    }
}

/// The canonical URL: a selector, `<link rel=canonical>` (else `og:url`), the JSON-LD `url`.
pub(super) fn canonical(sig: &PageSignals<'_>) -> Sourced<Option<String>> {
    if let Some(c) = selected_url(sig, Field::CanonicalUrl) {
        Sourced::new(Some(c), FieldSource::Selector)
    } else if let Some(c) = sig
        .meta
        .canonical
        .as_deref()
        .or_else(|| sig.meta.first(&["og:url"]))
        .and_then(|u| sig.absolute(u))
    {
        Sourced::new(Some(c), FieldSource::Meta)
    } else if let Some(c) = sig.article_ld.url.as_deref().and_then(|u| sig.absolute(u)) {
        Sourced::new(Some(c), FieldSource::JsonLd)
    } else {
        Sourced::none()
    }
}

/// The first selector value that makes an absolute URL.
fn selected_url(sig: &PageSignals<'_>, field: Field) -> Option<String> {
    sig.selected(field, &|v| sig.absolute(v).is_some())
        .first()
        .and_then(|v| sig.absolute(v))
}
