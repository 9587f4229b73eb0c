//! The language (BCP 47): a selector, JSON-LD `inLanguage`, `<html lang>` and the language
//! metas, else detected from the text.

use super::Sourced;
use crate::extract::language;
use crate::extract::signals::PageSignals;
use crate::model::FieldSource;
use crate::selectors::Field;

/// The language, given the resolved title, description and body (for detection).
pub(super) fn resolve(
    sig: &PageSignals<'_>,
    title: Option<&str>,
    description: Option<&str>,
    body: &str,
) -> Sourced<Option<String>> {
    let meta = &sig.meta;
    let meta_lang = [
        meta.html_lang.as_deref(),
        meta.first(&["og:locale"]),
        meta.first(&[
            "content-language",
            "dc.language",
            "language",
            "dcterms.language",
        ]),
    ];
    if let Some(l) = sig
        .selected(Field::Language, &|v| language::normalise(v).is_some())
        .first()
        .and_then(|v| language::normalise(v))
    {
        Sourced::new(Some(l), FieldSource::Selector)
    } else if let Some(l) = sig
        .article_ld
        .language
        .as_deref()
        .and_then(language::normalise)
    {
        Sourced::new(Some(l), FieldSource::JsonLd)
    } else if let Some(l) = meta_lang
        .iter()
        .flatten()
        .find_map(|l| language::normalise(l))
    {
        Sourced::new(Some(l), FieldSource::Meta)
    } else {
        let sample = if body.len() > 200 {
            body.to_string()
        } else {
            format!(
                "{} {} {}",
                title.unwrap_or(""),
                description.unwrap_or(""),
                body
            )
        };
        match language::detect(&sample) {
            Some(l) => Sourced::new(Some(l), FieldSource::Generic),
            None => Sourced::none(),
        }
    }
}
