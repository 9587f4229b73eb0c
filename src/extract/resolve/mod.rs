//! Step 3 of [`extract`](super::extract): one resolver per field. Each takes the page signals
//! (and the fields it depends on), tries the field's sources in order — the site's selector
//! config, JSON-LD, meta tags, generic heuristics — and returns the value with the source that
//! gave it. [`fields`] runs them in dependency order.

mod authors;
mod body;
mod dates;
mod description;
mod language;
mod taxonomy;
mod title;
mod urls;

use chrono::{DateTime, FixedOffset};

pub(crate) use body::Body;

use super::ExtractOptions;
use super::meta;
use super::signals::PageSignals;
use crate::model::FieldSource;

/// A field's value and the source that gave it (`None`: no source did). A source may give a
/// value that cleaning then empties; the source is still recorded.
pub(crate) struct Sourced<T> {
    /// The value (empty or `None` when nothing gave one).
    pub value: T,
    /// Where it came from.
    pub source: Option<FieldSource>,
}

impl<T> Sourced<T> {
    /// `value`, given by `source`.
    fn new(value: T, source: FieldSource) -> Self {
        Sourced {
            value,
            source: Some(source),
        }
    }
}

impl<T: Default> Sourced<T> {
    /// No source gave a value.
    fn none() -> Self {
        Sourced {
            value: T::default(),
            source: None,
        }
    }
}

/// A date-valued field.
type Date = Option<DateTime<FixedOffset>>;

/// Every field of the page, resolved.
pub(crate) struct Fields {
    pub site_name: Sourced<Option<String>>,
    pub title: Sourced<Option<String>>,
    pub description: Sourced<Option<String>>,
    pub modified: Sourced<Date>,
    pub published: Sourced<Date>,
    pub authors: Sourced<Vec<String>>,
    pub section: Sourced<Option<String>>,
    pub tags: Sourced<Vec<String>>,
    pub image: Sourced<Option<String>>,
    pub canonical_url: Sourced<Option<String>>,
    pub body: Body,
    pub language: Sourced<Option<String>>,
}

/// Resolve every field: the site name first (title cleaning and author filtering use it), the
/// title before the body (the body extractor looks for it), the description and modification
/// date before the publication date, the body before the language.
pub(crate) fn fields(sig: &PageSignals<'_>, opts: &ExtractOptions) -> Fields {
    let site_name = taxonomy::site_name(sig);
    let title = title::resolve(sig, site_name.value.as_deref());
    let description = description::resolve(sig);
    let modified = dates::modified(sig);
    let published = dates::published(sig, modified.value, description.value.as_deref());
    let authors = authors::resolve(sig, site_name.value.as_deref());
    let section = taxonomy::section(sig);
    let tags = taxonomy::tags(sig);
    let image = urls::image(sig);
    let canonical_url = urls::canonical(sig);
    let body = body::resolve(sig, title.value.as_deref(), opts);
    let language = language::resolve(
        sig,
        title.value.as_deref(),
        description.value.as_deref(),
        &body.text.value,
    );
    Fields {
        site_name,
        title,
        description,
        modified,
        published,
        authors,
        section,
        tags,
        image,
        canonical_url,
        body,
        language,
    }
}

/// The fields again for a page of `kind`: its authors (see [`authors::for_kind`]) and its
/// body (see [`body::for_kind`]); true when the body changed.
pub(crate) fn for_kind(
    sig: &PageSignals<'_>,
    f: &mut Fields,
    kind: crate::model::PageKind,
    opts: &ExtractOptions,
) -> bool {
    authors::for_kind(sig, &mut f.authors, kind);
    body::for_kind(sig, f.title.value.as_deref(), &mut f.body, kind, opts)
}

/// Accept any selector value.
fn any(_: &str) -> bool {
    true
}

/// The value squashed (entities, whitespace), if anything is left.
fn nonempty(s: Option<&str>) -> Option<String> {
    s.map(meta::squash).filter(|s| !s.is_empty())
}

/// Letters and digits only, lower case: for comparing names written differently.
pub(crate) fn squeeze(x: &str) -> String {
    x.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
