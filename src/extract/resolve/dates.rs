//! The modification and publication dates (the rules are in ARCHITECTURE.md, "Extraction"):
//! a selector date wins outright; the declared dates are arbitrated by the date shown under
//! the headline (`published::Declared`); with nothing declared, the page's heuristics, then an
//! age shown with the headline ("3 hours ago") counted back from the capture time; a UTC
//! timestamp from metadata is then re-expressed in the page's own offset.

use chrono::{DateTime, FixedOffset};

use super::{Date, Sourced};
use crate::extract::signals::PageSignals;
use crate::extract::{dates, heuristics, published, relative_dates};
use crate::model::FieldSource;
use crate::selectors::Field;

/// The first selector value that parses as a date.
fn selected_date(sig: &PageSignals<'_>, field: Field) -> Date {
    sig.selected(field, &|v| dates::parse_date(v).is_some())
        .first()
        .and_then(|v| dates::parse_date(v))
}

/// The modification date: a selector, JSON-LD `dateModified`, the modification metas,
/// `[itemprop=dateModified]`.
pub(super) fn modified(sig: &PageSignals<'_>) -> Sourced<Date> {
    if let Some(d) = selected_date(sig, Field::Modified) {
        Sourced::new(Some(d), FieldSource::Selector)
    } else if let Some(d) = sig
        .article_ld
        .modified
        .as_deref()
        .and_then(dates::parse_date)
    {
        Sourced::new(Some(d), FieldSource::JsonLd)
    } else if let Some(d) = published::MODIFIED_KEYS
        .iter()
        .find_map(|k| sig.meta.all(k).iter().find_map(|v| dates::parse_date(v)))
    {
        Sourced::new(Some(d), FieldSource::Meta)
    } else if let Some(d) = heuristics::modified(&sig.page.doc, sig.slash_order) {
        Sourced::new(Some(d), FieldSource::Generic)
    } else {
        Sourced::none()
    }
}

/// The publication date, given the resolved modification date and description.
pub(super) fn published(
    sig: &PageSignals<'_>,
    modified: Date,
    description: Option<&str>,
) -> Sourced<Date> {
    let order = sig.slash_order;
    let declared = published::Declared::collect(
        sig.article_ld.published.as_deref(),
        sig.ld.page_published.as_deref(),
        &sig.meta,
        order,
    );
    let found = if let Some(d) = selected_date(sig, Field::Published) {
        Some((d, FieldSource::Selector))
    } else if let Some(found) = declared.choose(|| sig.shown_date(), modified) {
        Some(found)
    } else {
        heuristics::published(&sig.page.doc, sig.page.url, &sig.chrome, order)
            .or_else(|| description.and_then(|d| heuristics::labelled_text_date(d, order)))
            .or_else(|| relative(sig))
            .map(|d| (d, FieldSource::Generic))
    };
    match found {
        Some((d, src @ (FieldSource::JsonLd | FieldSource::Meta))) => {
            Sourced::new(Some(in_page_offset(sig, d).unwrap_or(d)), src)
        }
        Some((d, src)) => Sourced::new(Some(d), src),
        None => Sourced::none(),
    }
}

/// A date the page shows only as an age ("3 hours ago"), counted back from the capture time;
/// `None` when the capture time is unknown.
fn relative(sig: &PageSignals<'_>) -> Date {
    let captured = sig.captured?;
    let age = heuristics::shown_age(&sig.page.doc, &sig.chrome)?;
    relative_dates::before(captured, age)
}

/// A UTC timestamp from metadata, shown in the page's own offset when the page's visible
/// date names a neighbouring calendar day (not the URL date: a path day carries no offset).
/// `None`: keep `t` as it is.
fn in_page_offset(
    sig: &PageSignals<'_>,
    t: DateTime<FixedOffset>,
) -> Option<DateTime<FixedOffset>> {
    if t.offset().local_minus_utc() != 0 {
        return None;
    }
    // A date with its own offset says the page's zone; a shown day without one says the
    // local calendar day. A date guessed elsewhere in the page counts only with an offset,
    // or as the same instant on the local clock (`17:18:13` for `01:18:13Z`): a date-only
    // microdata value must not shift a correct instant.
    let in_offset = |shown: DateTime<FixedOffset>| {
        let local = t.with_timezone(shown.offset());
        (local.date_naive() == shown.date_naive() && local.date_naive() != t.date_naive())
            .then_some(local)
    };
    match sig.shown_date() {
        Some(s) if s.offset().local_minus_utc() != 0 => in_offset(s),
        Some(s) => dates::localize_utc(t, s.date_naive()),
        None => {
            heuristics::published(&sig.page.doc, "", &sig.chrome, sig.slash_order).and_then(|d| {
                if d.offset().local_minus_utc() != 0 {
                    in_offset(d)
                } else {
                    dates::same_instant_offset(t, d.naive_local())
                }
            })
        }
    }
}
