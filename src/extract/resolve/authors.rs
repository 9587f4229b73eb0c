//! The authors: a selector, JSON-LD, the author metas (unless they only name the publisher),
//! the byline in the page, else the publisher credited as author; user names the page shows
//! as names are then written as shown.

use super::{Sourced, any, squeeze};
use crate::extract::authors::{self, Trust};
use crate::extract::heuristics;
use crate::extract::signals::PageSignals;
use crate::model::{FieldSource, PageKind};
use crate::selectors::Field;

/// The meta keys that name authors, the first one present wins.
const META_KEYS: [&str; 10] = [
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
    "citation_author",
    "citation_authors",
    "og:article:author",
];

/// Yoast's "Written by" `twitter:label1`, in the languages it ships.
const WRITTEN_BY: [&str; 6] = [
    "written by",
    "verfasst von",
    "geschrieben von",
    "écrit par",
    "escrito por",
    "scritto da",
];

/// The authors and their source. `site_name` is the resolved publication name.
pub(super) fn resolve(sig: &PageSignals<'_>, site_name: Option<&str>) -> Sourced<Vec<String>> {
    let publisher = Publisher::new(sig, site_name);
    let not_publisher = |names: Vec<String>| -> Vec<String> {
        names.into_iter().filter(|n| !publisher.is(n)).collect()
    };
    let sel_authors =
        authors::clean_authors_with(&sig.selected(Field::Authors, &any), Trust::Declared);
    let ld_authors = authors::clean_authors_with(&sig.article_ld.authors, Trust::Declared);
    let meta_authors = meta_authors(sig);
    // A meta author that is only the publisher's name: a byline in the page is better.
    let meta_is_publisher =
        !meta_authors.is_empty() && not_publisher(meta_authors.clone()).is_empty();
    // A JSON-LD author that is an organisation or the publisher: a byline in the page that
    // names people (a few names of two words or more, not tags or codes) is better.
    let ld_is_publisher = sig.article_ld.authors_are_organizations
        || (!ld_authors.is_empty() && ld_authors.iter().all(|n| publisher.is(n)));
    let people = |b: &Vec<String>| {
        (1..=4).contains(&b.len()) && b.iter().all(|n| n.split_whitespace().count() >= 2)
    };
    // Only then is the byline looked for (it is the costliest author search).
    let byline_instead = || {
        ld_is_publisher
            .then(|| not_publisher(sig.byline().to_vec()))
            .filter(people)
    };
    let mut found = if !sel_authors.is_empty() {
        Sourced::new(sel_authors, FieldSource::Selector)
    } else if let Some(b) = byline_instead() {
        Sourced::new(b, FieldSource::Generic)
    } else if !ld_authors.is_empty() {
        Sourced::new(ld_authors, FieldSource::JsonLd)
    } else if !meta_authors.is_empty() && !meta_is_publisher {
        Sourced::new(meta_authors, FieldSource::Meta)
    } else {
        let g = not_publisher(sig.byline().to_vec());
        if !g.is_empty() {
            Sourced::new(g, FieldSource::Generic)
        } else if !meta_authors.is_empty() {
            // The page credits its publisher as author.
            Sourced::new(meta_authors, FieldSource::Meta)
        } else {
            Sourced::none()
        }
    };

    // A user name ("edilson.la.rosa") that the page shows as a name ("Edilson La Rosa").
    if found.value.iter().any(|a| authors::is_handle(a)) {
        let shown = sig.byline();
        for a in found.value.iter_mut().filter(|a| authors::is_handle(a)) {
            if let Some(n) = shown.iter().find(|n| squeeze(n) == squeeze(a)) {
                *a = n.clone();
            }
        }
    }
    found
}

/// The authors of a page of `kind` that is not an article: a forum thread without a declared
/// or guessed author is credited to the user who started it. True when they changed.
pub(super) fn for_kind(
    sig: &PageSignals<'_>,
    found: &mut Sourced<Vec<String>>,
    kind: PageKind,
) -> bool {
    if kind != PageKind::Forum || found.value.len() == 1 {
        return false;
    }
    let guessed = found.source == Some(FieldSource::Generic);
    if !found.value.is_empty() && !guessed {
        return false;
    }
    match heuristics::thread_starter(&sig.page.doc, &sig.chrome) {
        Some(name) => {
            *found = Sourced::new(vec![name], FieldSource::Generic);
            true
        }
        None if guessed => {
            found.value.truncate(1);
            true
        }
        None => false,
    }
}

/// The author metas, cleaned (else Yoast's "Written by" twitter label).
/// True when every name of `short` is in `long` (letters and digits compared, any case).
fn holds_all(long: &[String], short: &[String]) -> bool {
    short
        .iter()
        .all(|n| long.iter().any(|m| squeeze(m) == squeeze(n)))
}

fn meta_authors(sig: &PageSignals<'_>) -> Vec<String> {
    let meta = &sig.meta;
    let lists: Vec<Vec<String>> = META_KEYS
        .iter()
        .map(|k| meta.all(k))
        .filter(|v| !v.is_empty())
        .map(|v| authors::clean_authors_with(v, Trust::Declared))
        .collect();
    // The first key's names, or a later key's longer list that holds them all (one
    // `dc.creator` and every co-author in `citation_author`).
    lists
        .first()
        .map(|first| {
            lists
                .iter()
                .filter(|l| l.len() > first.len() && holds_all(l, first))
                .max_by_key(|l| l.len())
                .unwrap_or(first)
                .clone()
        })
        .or_else(|| {
            let label = meta.first(&["twitter:label1"])?.to_lowercase();
            WRITTEN_BY
                .contains(&label.as_str())
                .then(|| authors::clean_authors_with(meta.all("twitter:data1"), Trust::Declared))
        })
        .unwrap_or_default()
}

/// The publication's own names, to tell them from people's.
struct Publisher {
    /// The site name and JSON-LD publisher, squeezed.
    keys: Vec<String>,
    /// The host, squeezed.
    host: String,
    /// The site's own name in its host: "helmholtz-klima" of helmholtz-klima.de, "bbc" of
    /// bbc.co.uk; squeezed.
    host_name: String,
}

impl Publisher {
    fn new(sig: &PageSignals<'_>, site_name: Option<&str>) -> Self {
        let site = sig.page.site.as_deref();
        let host_name = site
            .and_then(|h| {
                let mut labels: Vec<&str> = h.split('.').collect();
                labels.pop();
                if labels.len() > 1
                    && labels.last().is_some_and(|l| {
                        matches!(
                            *l,
                            "co" | "com" | "net" | "org" | "gov" | "ac" | "or" | "ne"
                        )
                    })
                {
                    labels.pop();
                }
                labels.last().map(|l| squeeze(l))
            })
            .unwrap_or_default();
        let keys = [site_name, sig.article_ld.publisher.as_deref()]
            .into_iter()
            .flatten()
            .map(squeeze)
            .filter(|k| !k.is_empty())
            .collect();
        Publisher {
            keys,
            host: site.map(squeeze).unwrap_or_default(),
            host_name,
        }
    }

    /// True for a name that is the publication's, or its domain ("stern.de", "L-MAG" on
    /// l-mag.de).
    fn is(&self, n: &str) -> bool {
        let k = squeeze(n);
        !k.is_empty()
            && (self.keys.contains(&k)
                || (k.len() >= 4 && (k == self.host || k == self.host_name))
                || n.split_whitespace().any(|w| {
                    w.contains('.')
                        && w.rsplit('.').next().is_some_and(|tld| {
                            (2..=4).contains(&tld.len())
                                && tld.chars().all(|c| c.is_ascii_alphabetic())
                        })
                }))
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::{ExtractInput, ExtractOptions, extract};
    use crate::selectors::RuleSet;

    const URL: &str = "https://example.org/health/heart";

    /// An article crediting `ld_author` (a JSON-LD value) with `byline` shown under its
    /// headline.
    fn page(ld_author: &str, byline: &str) -> String {
        format!(
            r#"<html><head><script type="application/ld+json">{{"@type":"Article",
            "headline":"Heart health","author":{ld_author}}}</script></head><body><article>
            <h1>Heart health</h1><p class=byline>{byline}</p>
            <p>Eating well keeps the heart healthy, and here is what the research says about it.</p>
            </article></body></html>"#
        )
    }

    fn authors_of(ld_author: &str, byline: &str) -> Vec<String> {
        let html = page(ld_author, byline);
        let input = ExtractInput::new(html.as_bytes(), URL);
        extract(&input, &RuleSet::default(), &ExtractOptions::default())
            .article
            .authors
    }

    /// Regression (WCXB 2020): one `DC.Creator` won over the six `citation_authors`.
    #[test]
    fn a_longer_meta_list_with_the_first_authors_wins() {
        let metas = r#"<meta name="DC.Creator" content="Jennifer Huberty">
            <meta name="citation_authors" content="Jennifer Huberty">
            <meta name="citation_authors" content="Jeni Green">
            <meta name="citation_authors" content="Chong Lee">
            <meta name="article:author" content="Someone Else">"#;
        let html = format!("<html><head>{metas}</head><body><p>Text.</p></body></html>");
        let input = ExtractInput::new(html.as_bytes(), URL);
        let got = extract(&input, &RuleSet::default(), &ExtractOptions::default())
            .article
            .authors;
        // `article:author` comes first in the key order: a list without its name is not taken.
        assert_eq!(got, ["Someone Else"]);
        let html = html.replace(r#"<meta name="article:author" content="Someone Else">"#, "");
        let input = ExtractInput::new(html.as_bytes(), URL);
        let got = extract(&input, &RuleSet::default(), &ExtractOptions::default())
            .article
            .authors;
        assert_eq!(got, ["Jennifer Huberty", "Jeni Green", "Chong Lee"]);
    }

    #[test]
    fn a_person_in_json_ld_spares_the_byline_search() {
        // Regression: the byline (the costliest author search) ran on every page once the
        // organisation rule came in, even when JSON-LD named a person.
        let html = page(r#"{"@type":"Person","name":"Jane Doe"}"#, "By Tracy Parker");
        let input = ExtractInput::new(html.as_bytes(), URL);
        let rules = RuleSet::default();
        let opts = ExtractOptions::default();
        let page = crate::extract::page::Page::load(&input);
        let sig = crate::extract::signals::PageSignals::read(page, &rules, None, &opts);
        let fields = super::super::fields(&sig, &opts);
        assert_eq!(fields.authors.value, ["Jane Doe"]);
        assert!(!sig.byline_seen(), "the byline was searched for");
    }

    #[test]
    fn an_organisation_credited_in_json_ld_yields_to_the_byline() {
        let org = r#"{"@type":"Organization","name":"British Heart Foundation"}"#;
        assert_eq!(authors_of(org, "By Tracy Parker"), ["Tracy Parker"]);
        // A person in JSON-LD stands.
        let person = r#"{"@type":"Person","name":"Jane Doe"}"#;
        assert_eq!(authors_of(person, "By Tracy Parker"), ["Jane Doe"]);
        // A byline of single words (tags, codes) is no better than the organisation.
        assert_eq!(
            authors_of(org, "By Health, Diet"),
            ["British Heart Foundation"]
        );
    }
}
