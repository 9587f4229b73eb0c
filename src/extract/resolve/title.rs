//! The headline: a selector, else the JSON-LD headline (its `name` when only that matches the
//! page's `<h1>` and `<title>`), else OpenGraph / Twitter / Dublin Core, each cut of the site
//! names the page gives (a JSON-LD headline cut at a length limit is taken whole from the
//! title metas); the visible headline wins when it is that title written differently; else the
//! `<h1>` or `<title>`.

use super::{Sourced, any, nonempty, squeeze};
use crate::extract::signals::PageSignals;
use crate::extract::{headline, heuristics, meta};
use crate::model::FieldSource;
use crate::selectors::Field;

/// Soft hyphens and zero-width characters are invisible hyphenation hints, not text.
const INVISIBLE: [char; 6] = [
    '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}',
];

/// The title and its source. `site_name` is the resolved publication name.
pub(super) fn resolve(sig: &PageSignals<'_>, site_name: Option<&str>) -> Sourced<Option<String>> {
    let (meta, doc) = (&sig.meta, &sig.page.doc);
    let site_names: Vec<&str> = [site_name, sig.article_ld.publisher.as_deref()]
        .into_iter()
        .chain(["og:site_name", "application-name"].map(|k| meta.first(&[k])))
        .chain([sig.ld.site_name.as_deref()])
        .flatten()
        .collect();
    let found = if let Some(t) = sig.selected(Field::Title, &any).into_iter().next() {
        Some((meta::squash(&t), FieldSource::Selector))
    } else if let Some((t, src)) = declared(sig, &site_names) {
        // The visible headline, when it is the metadata title written differently (no
        // kicker, no suffix), is what readers and the devset call the title.
        // Never the site's own name (a blog's <h1> is often its name).
        let site_keys: Vec<String> = site_names.iter().map(|n| squeeze(n)).collect();
        match headline::headlines(doc, &t)
            .into_iter()
            .find(|h| heuristics::similar(h, &t) && !site_keys.contains(&squeeze(h)))
        {
            // A site name printed in the headline goes; its own dashes stay.
            Some(h) if h != t => Some((
                heuristics::strip_named_sites(&h, &site_names).unwrap_or(h),
                FieldSource::Generic,
            )),
            _ => Some((t, src)),
        }
    } else {
        heuristics::title(doc, meta.title_tag.as_deref(), site_name)
            .map(|t| (t, FieldSource::Generic))
    };
    match found {
        Some((t, src)) => Sourced {
            value: Some(without_anchor_mark(&t.replace(INVISIBLE, ""))).filter(|t| !t.is_empty()),
            source: Some(src),
        },
        None => Sourced::none(),
    }
}

/// A headline without the permalink mark that documentation generators print after it
/// (Sphinx's `<a class="headerlink">¶</a>`): "Quickstart¶" is "Quickstart".
fn without_anchor_mark(t: &str) -> String {
    t.trim_end_matches(['¶', '§', ' ']).to_string()
}

/// The length from which a JSON-LD headline may have been cut short (Yoast's limit is 110).
const CUT_HEADLINE: usize = 100;

/// The metadata title without the site names: the JSON-LD headline (unless only its `name`
/// matches the page's visible and `<title>` titles: the headline is then a description), else
/// the title metas.
fn declared(sig: &PageSignals<'_>, site_names: &[&str]) -> Option<(String, FieldSource)> {
    let (meta, ja) = (&sig.meta, &sig.article_ld);
    let clean_title = |t: &str| heuristics::strip_site_names(&meta::squash(t), site_names);
    let ld_title = match (
        nonempty(ja.headline.as_deref()),
        nonempty(ja.name.as_deref()),
    ) {
        (Some(h), Some(n)) => {
            let page_titles: Vec<String> = heuristics::h1s(&sig.page.doc)
                .into_iter()
                .chain(meta.title_tag.clone())
                .collect();
            let matches = |t: &str| page_titles.iter().any(|p| heuristics::similar(p, t));
            Some(if !matches(&h) && matches(&n) { n } else { h })
        }
        (h, _) => h,
    };
    if let Some(t) = ld_title {
        let t = clean_title(&t);
        // A headline cut at a length limit (Yoast cuts at 110 characters, between words):
        // the title metas or the `<title>` carry it whole.
        let whole = (t.chars().count() >= CUT_HEADLINE)
            .then(|| {
                meta.first(&["og:title", "twitter:title"])
                    .into_iter()
                    .chain(meta.title_tag.as_deref())
                    .map(&clean_title)
                    .find(|m| {
                        m.strip_prefix(t.as_str())
                            .is_some_and(|r| r.starts_with(' '))
                    })
            })
            .flatten();
        match whole {
            Some(w) => Some((w, FieldSource::Meta)),
            None => Some((t, FieldSource::JsonLd)),
        }
    } else {
        nonempty(meta.first(&[
            "og:title",
            "twitter:title",
            "dc.title",
            "dcterms.title",
            "title",
            "headline",
        ]))
        .map(|t| (clean_title(&t), FieldSource::Meta))
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::{ExtractInput, ExtractOptions, extract};
    use crate::selectors::RuleSet;

    fn title_of(html: &str) -> Option<String> {
        let input = ExtractInput::new(html.as_bytes(), "https://docs.example.org/quickstart.html");
        extract(&input, &RuleSet::default(), &ExtractOptions::default())
            .article
            .title
    }

    #[test]
    fn a_permalink_mark_is_not_part_of_the_headline() {
        let html = r##"<html><head><title>Quickstart — Example 2.1 documentation</title></head>
            <body><div role=main><h1>Quickstart<a class="headerlink" href="#quickstart">¶</a></h1>
            <p>Install the package first, then write your first program with it.</p></div></body></html>"##;
        assert_eq!(title_of(html).as_deref(), Some("Quickstart"));
        // A section sign inside the headline stays.
        let html = "<html><body><h1>Der § 218 im Wandel</h1><p>Text.</p></body></html>";
        assert_eq!(title_of(html).as_deref(), Some("Der § 218 im Wandel"));
    }

    /// Regression (WCXB 0121): Yoast cuts the JSON-LD headline at 110 characters; the
    /// `og:title` has it whole. A short headline is never lengthened.
    #[test]
    fn a_headline_cut_at_a_length_limit_is_taken_whole() {
        let whole = "Fix It Friday: Struggling With How To Arrange Your Living Room? We Help 4 \
                     Readers Find Solutions (Including One Universal Trick That 9/10 Works)";
        let cut = &whole[..whole.find(" One").unwrap_or(0)];
        let page = |headline: &str, og: &str| {
            format!(
                r#"<html><head><meta property="og:title" content="{og} - Emily Henderson">
                <meta property="og:site_name" content="Emily Henderson">
                <script type="application/ld+json">{{"@type":"Article","headline":"{headline}"}}
                </script></head><body><p>Text.</p></body></html>"#
            )
        };
        assert_eq!(title_of(&page(cut, whole)).as_deref(), Some(whole));
        let html = page("Fix It Friday", "Fix It Friday and more");
        assert_eq!(title_of(&html).as_deref(), Some("Fix It Friday"));
    }
}
