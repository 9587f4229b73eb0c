//! Step 5 of [`extract`](super::extract): the resolved fields, their sources and the page's
//! warnings put together into the [`Article`] and the [`Extraction`].

use super::Extraction;
use super::kind::Verdict;
use super::resolve::Fields;
use super::signals::PageSignals;
use crate::model::Article;

/// The extraction of the page `sig` describes, with its resolved `fields` and the
/// classifier's `verdict` on its kind (`None`: not classified, the body extractor's verdict)
/// and the body's word count.
pub(crate) fn extraction(
    sig: PageSignals<'_>,
    fields: Fields,
    verdict: Option<Verdict>,
    words: usize,
) -> Extraction {
    let mut article = Article::empty(sig.page.url);
    article.warnings = sig.warnings;
    article.site = sig.page.site;
    article.selectors = sig.site.as_ref().map(|s| s.reference());
    article.paywalled = sig.paywall_marked || sig.article_ld.paywalled;

    let mut from = |field: &str, src| {
        if let Some(src) = src {
            article.fields_from.insert(field.to_string(), src);
        }
    };
    let Fields {
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
    } = fields;
    from("site_name", site_name.source);
    from("title", title.source);
    from("description", description.source);
    from("modified", modified.source);
    from("published", published.source);
    from("authors", authors.source);
    from("section", section.source);
    from("tags", tags.source);
    from("image", image.source);
    from("canonical_url", canonical_url.source);
    from("body", body.text.source);
    from("language", language.source);
    article.site_name = site_name.value;
    article.title = title.value;
    article.description = description.value;
    article.modified = modified.value;
    article.published = published.value;
    article.authors = authors.value;
    article.section = section.value;
    article.tags = tags.value;
    article.image = image.value;
    article.canonical_url = canonical_url.value;
    article.body = body.text.value;
    article.word_count = words;
    article.language = language.value;
    match verdict {
        Some(v) => {
            article.page_kind = v.kind;
            article.page_kind_confidence = Some(v.confidence);
        }
        None => article.page_kind = body.page_kind.unwrap_or_default(),
    }
    if sig.page.empty {
        article.warnings.push("empty page".into());
    }
    Extraction {
        article,
        links: sig.links,
        kind_features: None,
    }
}
