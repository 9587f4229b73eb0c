//! The body: the site's selector, else the generic main-content extractor (`generic/`), which
//! also gives its verdict on the page kind.

use super::{Sourced, any};
use crate::extract::ExtractOptions;
use crate::extract::generic::{self, GenericContext, Shape};
use crate::extract::signals::PageSignals;
use crate::extract::word_count::word_count;
use crate::model::{FieldSource, PageKind};
use crate::selectors::Field;

/// The body text and the kind of page its extractor saw.
pub(crate) struct Body {
    /// Plain text, paragraphs separated by a blank line.
    pub text: Sourced<String>,
    /// The page kind (`None`: no extractor ran, the record's default stands).
    pub page_kind: Option<PageKind>,
}

/// The body. `title` is the resolved title (the generic extractor looks for it).
pub(super) fn resolve(sig: &PageSignals<'_>, title: Option<&str>, opts: &ExtractOptions) -> Body {
    let selected = sig.selected(Field::Body, &any);
    if !selected.is_empty() {
        Body {
            text: Sourced::new(selected.join("\n\n"), FieldSource::Selector),
            page_kind: Some(PageKind::Article),
        }
    } else if !opts.skip_generic_body {
        let ctx = GenericContext {
            title: title.map(str::to_string),
            json_ld_body: sig.article_ld.body.clone(),
        };
        let b = generic::extract_body(&sig.page.doc, &ctx);
        let source = (!b.text.is_empty()).then_some(FieldSource::Generic);
        Body {
            text: Sourced {
                value: b.text,
                source,
            },
            page_kind: Some(b.page_kind),
        }
    } else {
        Body {
            text: Sourced::none(),
            page_kind: None,
        }
    }
}

/// The body for a page of `kind` that is not an article: its items, sections or posts
/// (`generic::Shape`) instead of the single best text container. A body from the site's
/// selector stays; a thread without repeated posts keeps the best container, and so does a
/// thread whose posts come out shorter than it; a paragraph printed twice is kept once
/// (except in documentation); nothing runs when the caller skips the generic body. True when
/// the body changed.
pub(crate) fn for_kind(
    sig: &PageSignals<'_>,
    title: Option<&str>,
    body: &mut Body,
    kind: PageKind,
    opts: &ExtractOptions,
) -> bool {
    if opts.skip_generic_body || body.text.source == Some(FieldSource::Selector) {
        return false;
    }
    let shape = match kind {
        PageKind::Listing | PageKind::Documentation | PageKind::Service => Shape::Items,
        PageKind::Product => Shape::Product,
        PageKind::Forum => Shape::Thread,
        _ => return false,
    };
    let ctx = GenericContext {
        title: title.map(str::to_string),
        json_ld_body: None,
    };
    let shaped = generic::extract_shaped(&sig.page.doc, &ctx, shape);
    let Some(text) = shaped.filter(|t| shape != Shape::Thread || t.len() > body.text.value.len())
    else {
        // The thread keeps its best container, without the blocks it prints twice.
        let kept = without_repeated_blocks(&body.text.value);
        let changed = kept.len() != body.text.value.len();
        body.text.value = kept;
        return changed;
    };
    // A product page that renders its text with a script: the product data's description.
    let text = match sig.ld.product_description.as_deref() {
        Some(d) if shape == Shape::Product && word_count(d) > word_count(&text) => {
            generic::markup_paragraphs(d)
        }
        _ => text,
    };
    // Shops, services and forums print blocks twice (a mobile and a desktop copy, a quoted
    // post); documentation repeats commands on purpose.
    let text = if kind == PageKind::Documentation {
        text
    } else {
        without_repeated_blocks(&text)
    };
    let source = (!text.is_empty()).then_some(FieldSource::Generic);
    body.text = Sourced {
        value: text,
        source,
    };
    true
}

/// `text` without the paragraphs whose words (case folded, punctuation aside) an earlier
/// paragraph already had.
fn without_repeated_blocks(text: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    text.split("\n\n")
        .filter(|block| {
            let key: Vec<String> = block
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            key.is_empty() || seen.insert(key)
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::without_repeated_blocks;

    #[test]
    fn a_block_printed_twice_is_kept_once() {
        let text = "Luxe Sateen\n\nSmooth, luxurious feel.\n\nLUXE SATEEN\n\n—\n\n—\n\n\
                    Smooth luxurious feel\n\nClassic Percale";
        assert_eq!(
            without_repeated_blocks(text),
            "Luxe Sateen\n\nSmooth, luxurious feel.\n\n—\n\n—\n\nClassic Percale"
        );
    }
}
