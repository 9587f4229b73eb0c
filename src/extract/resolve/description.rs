//! The standfirst / summary: a selector, the JSON-LD description, the description metas.

use super::{Sourced, any, nonempty};
use crate::extract::meta;
use crate::extract::signals::PageSignals;
use crate::model::FieldSource;
use crate::selectors::Field;

/// The description and its source.
pub(super) fn resolve(sig: &PageSignals<'_>) -> Sourced<Option<String>> {
    if let Some(d) = sig.selected(Field::Description, &any).into_iter().next() {
        Sourced::new(Some(meta::squash(&d)), FieldSource::Selector)
    } else if let Some(d) = nonempty(sig.article_ld.description.as_deref()) {
        Sourced::new(Some(d), FieldSource::JsonLd)
    } else if let Some(d) = nonempty(sig.meta.first(&[
        "og:description",
        "description",
        "twitter:description",
        "dc.description",
        "dcterms.description",
    ])) {
        Sourced::new(Some(d), FieldSource::Meta)
    } else {
        Sourced::none()
    }
}
