//! Turn one HTML page (bytes + URL + capture date + rules) into an [`Article`]: charset decoding,
//! site selectors, JSON-LD / OpenGraph / meta, the generic body extractor, dates, authors,
//! language and links. Pure and synchronous: no network, disk, clock or tokio.
//!
//! The page is parsed once; the DOM is shared by every step. For each field the sources are
//! tried in order — the site's selector config, JSON-LD, meta tags, generic heuristics — and
//! the one that gave the value is recorded in [`Article::fields_from`].

/// A CSS selector compiled once per call site (an immutable constant, not a cache).
macro_rules! css {
    ($s:expr) => {{
        static S: std::sync::LazyLock<Option<scraper::Selector>> =
            std::sync::LazyLock::new(|| scraper::Selector::parse($s).ok());
        S.as_ref()
    }};
}

pub mod authors;
pub mod charset;
pub mod check;
pub mod dates;
pub mod generic;
pub mod headline;
pub mod heuristics;
pub mod jsonld;
pub mod language;
pub mod links;
pub mod literal_regex;
pub mod meta;
pub mod published;
mod site;
pub mod sniff;
pub mod text;

use chrono::{DateTime, Utc};
use scraper::Html;
use url::Url;

use crate::model::{Article, FieldSource, PageKind, SelectorsRef};
use crate::selectors::{Field, Resolved, RuleSet};

/// One page to extract.
#[derive(Debug, Clone, Copy)]
pub struct ExtractInput<'a> {
    /// The body exactly as received (any charset; content-encoding already removed).
    pub body: &'a [u8],
    /// The URL the page was fetched from (after redirects); base for relative links.
    pub url: &'a str,
    /// The HTTP `Content-Type` header, if known (its `charset` wins over the page's own).
    pub content_type: Option<&'a str>,
    /// When the page was captured (selects the template of a dated selector config).
    pub captured: Option<DateTime<Utc>>,
}

impl<'a> ExtractInput<'a> {
    /// An input with only bytes and URL.
    pub fn new(body: &'a [u8], url: &'a str) -> Self {
        ExtractInput {
            body,
            url,
            content_type: None,
            captured: None,
        }
    }
}

/// Switches for one extraction run.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Ignore site selector configs: metadata + generic only.
    pub no_site_rules: bool,
    /// Skip the generic body extractor when no site rule gives the body (metadata only).
    pub skip_generic_body: bool,
}

/// The result of extracting one page.
#[derive(Debug, Clone)]
pub struct Extraction {
    /// The article fields (with `page_kind` saying whether it is an article at all).
    pub article: Article,
    /// Absolute http(s) links found in the page, in document order, for the crawler.
    pub links: Vec<String>,
}

/// Sets a field once, remembering its source.
struct Filler<'a> {
    article: &'a mut Article,
}

impl Filler<'_> {
    fn mark(&mut self, field: &str, src: FieldSource) {
        self.article.fields_from.insert(field.to_string(), src);
    }
}

fn host_of(url: Option<&Url>) -> Option<String> {
    let h = url?.host_str()?.to_ascii_lowercase();
    Some(h.strip_prefix("www.").map(str::to_string).unwrap_or(h))
}

/// Count words: whitespace-separated tokens, each CJK character one word.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .map(|t| {
            let cjk = t.chars().filter(|c| is_cjk(*c)).count();
            if cjk == 0 {
                1
            } else {
                cjk + usize::from(t.chars().any(|c| c.is_alphanumeric() && !is_cjk(c)))
            }
        })
        .sum()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

fn nonempty(s: Option<&str>) -> Option<String> {
    s.map(meta::squash).filter(|s| !s.is_empty())
}

/// Extract `input` with `rules` (possibly empty).
pub fn extract(input: &ExtractInput<'_>, rules: &RuleSet, opts: &ExtractOptions) -> Extraction {
    let decoded = charset::decode(input.body, input.content_type);
    let mut article = Article::empty(input.url);
    article.warnings = decoded.warnings;
    let page_url = Url::parse(input.url).ok();
    if page_url.is_none() {
        article.warnings.push(format!(
            "page URL {:?} is not absolute; links not resolved",
            input.url
        ));
    }
    article.site = host_of(page_url.as_ref());
    let mut doc = Html::parse_document(&decoded.text);
    drop(decoded.text);

    let meta = meta::read(&doc);
    let ld = jsonld::read(&doc, input.url);
    article.warnings.extend(ld.warnings.iter().cloned());
    let base = links::base_url(&doc, page_url.as_ref());
    let page_links = links::links(&doc, base.as_ref());
    let ja = ld.article.clone().unwrap_or_default();

    let site_rules = if opts.no_site_rules {
        None
    } else {
        article
            .site
            .as_deref()
            .and_then(|h| rules.lookup(h, input.captured))
            .filter(|s| s.is_article_url(input.url))
    };
    let resolved: Option<Resolved<'_>> = site_rules.map(|s| s.resolve(input.captured));
    if let (Some(s), Some(r)) = (site_rules, &resolved) {
        article.selectors = Some(SelectorsRef {
            name: s.name.clone(),
            hash: s.hash.clone(),
        });
        article.paywalled |= site::paywalled(&doc, r);
        site::remove(&mut doc, r);
    }
    // Page-chrome detection for every heuristic below (the document no longer changes).
    let chrome = heuristics::Chrome::new(&doc);
    // How the page writes ambiguous slash dates (`03/05/2022`), for every date read below.
    let order = heuristics::slash_order(&doc);
    let sel = |field: Field, accept: &dyn Fn(&str) -> bool| -> Vec<String> {
        resolved
            .as_ref()
            .and_then(|r| r.field(field))
            .map(|rule| site::values(&doc, rule, field, accept))
            .unwrap_or_default()
    };
    let any = |_: &str| true;
    let resolve_url = |u: &str| links::absolute(base.as_ref().or(page_url.as_ref()), u);

    // Collect every field first (the filler needs &mut article; the closures borrow doc).
    let sel_title = sel(Field::Title, &any).into_iter().next();
    let sel_desc = sel(Field::Description, &any).into_iter().next();
    let sel_authors =
        authors::clean_authors_with(&sel(Field::Authors, &any), authors::Trust::Declared);
    let sel_pub = sel(Field::Published, &|v| dates::parse_date(v).is_some())
        .first()
        .and_then(|v| dates::parse_date(v));
    let sel_mod = sel(Field::Modified, &|v| dates::parse_date(v).is_some())
        .first()
        .and_then(|v| dates::parse_date(v));
    let sel_lang = sel(Field::Language, &|v| language::normalise(v).is_some())
        .first()
        .and_then(|v| language::normalise(v));
    let sel_section = sel(Field::Section, &any).into_iter().next();
    let sel_tags = sel(Field::Tags, &any);
    let sel_image = sel(Field::Image, &|v| resolve_url(v).is_some())
        .first()
        .and_then(|v| resolve_url(v));
    let sel_canon = sel(Field::CanonicalUrl, &|v| resolve_url(v).is_some())
        .first()
        .and_then(|v| resolve_url(v));
    let sel_site_name = sel(Field::SiteName, &any).into_iter().next();
    let sel_body = sel(Field::Body, &any);

    let mut f = Filler {
        article: &mut article,
    };

    // site_name first: title cleaning and author filtering use it.
    let site_name =
        if let Some(v) = sel_site_name.or_else(|| site_rules.and_then(|s| s.site_name.clone())) {
            f.mark("site_name", FieldSource::Selector);
            Some(v)
        } else if let Some(v) = nonempty(ja.publisher.as_deref()) {
            f.mark("site_name", FieldSource::JsonLd);
            Some(v)
        } else if let Some(v) = nonempty(meta.first(&[
            "og:site_name",
            "application-name",
            "twitter:app:name:iphone",
        ])) {
            f.mark("site_name", FieldSource::Meta);
            Some(v)
        } else if let Some(v) = nonempty(ld.site_name.as_deref()) {
            f.mark("site_name", FieldSource::JsonLd);
            Some(v)
        } else {
            None
        };
    f.article.site_name = site_name.clone();

    // Letters and digits only, lower case: for comparing names written differently.
    let squeeze = |x: &str| -> String {
        x.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    // Title.
    let site_names: Vec<&str> = [site_name.as_deref(), ja.publisher.as_deref()]
        .into_iter()
        .chain(["og:site_name", "application-name"].map(|k| meta.first(&[k])))
        .chain([ld.site_name.as_deref()])
        .flatten()
        .collect();
    let clean_title = |t: &str| heuristics::strip_site_names(&meta::squash(t), &site_names);
    // The JSON-LD headline, unless only its `name` matches the page's visible and <title>
    // titles (the headline is then a description).
    let ld_title = match (
        nonempty(ja.headline.as_deref()),
        nonempty(ja.name.as_deref()),
    ) {
        (Some(h), Some(n)) => {
            let page_titles: Vec<String> = heuristics::h1s(&doc)
                .into_iter()
                .chain(meta.title_tag.clone())
                .collect();
            let matches = |t: &str| page_titles.iter().any(|p| heuristics::similar(p, t));
            Some(if !matches(&h) && matches(&n) { n } else { h })
        }
        (h, _) => h,
    };
    let meta_title = if let Some(t) = ld_title {
        Some((clean_title(&t), FieldSource::JsonLd))
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
    };
    let title = if let Some(t) = sel_title {
        f.mark("title", FieldSource::Selector);
        Some(meta::squash(&t))
    } else if let Some((t, src)) = meta_title {
        // The visible headline, when it is the metadata title written differently (no
        // kicker, no suffix), is what readers and the devset call the title.
        // Never the site's own name (a blog's <h1> is often its name).
        let site_keys: Vec<String> = site_names.iter().map(|n| squeeze(n)).collect();
        match headline::headlines(&doc, &t)
            .into_iter()
            .find(|h| heuristics::similar(h, &t) && !site_keys.contains(&squeeze(h)))
        {
            Some(h) if h != t => {
                f.mark("title", FieldSource::Generic);
                // A site name printed in the headline goes; its own dashes stay.
                Some(heuristics::strip_named_sites(&h, &site_names).unwrap_or(h))
            }
            _ => {
                f.mark("title", src);
                Some(t)
            }
        }
    } else if let Some(t) = heuristics::title(&doc, meta.title_tag.as_deref(), site_name.as_deref())
    {
        f.mark("title", FieldSource::Generic);
        Some(t)
    } else {
        None
    };
    // Soft hyphens and zero-width characters are invisible hyphenation hints, not text.
    const INVISIBLE: [char; 6] = [
        '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}',
    ];
    f.article.title = title
        .map(|t| t.replace(INVISIBLE, ""))
        .filter(|t| !t.is_empty());

    // Description.
    if let Some(d) = sel_desc {
        f.mark("description", FieldSource::Selector);
        f.article.description = Some(meta::squash(&d));
    } else if let Some(d) = nonempty(ja.description.as_deref()) {
        f.mark("description", FieldSource::JsonLd);
        f.article.description = Some(d);
    } else if let Some(d) = nonempty(meta.first(&[
        "og:description",
        "description",
        "twitter:description",
        "dc.description",
        "dcterms.description",
    ])) {
        f.mark("description", FieldSource::Meta);
        f.article.description = Some(d);
    }

    // Dates.
    let declared = published::Declared::collect(
        ja.published.as_deref(),
        ld.page_published.as_deref(),
        &meta,
        order,
    );
    // The date shown under the headline: computed once, only when a rule needs it.
    let shown = std::cell::OnceCell::new();
    let shown = || *shown.get_or_init(|| heuristics::shown_date(&doc, &chrome, order));
    if let Some(d) = sel_mod {
        f.mark("modified", FieldSource::Selector);
        f.article.modified = Some(d);
    } else if let Some(d) = ja.modified.as_deref().and_then(dates::parse_date) {
        f.mark("modified", FieldSource::JsonLd);
        f.article.modified = Some(d);
    } else if let Some(d) = published::MODIFIED_KEYS
        .iter()
        .find_map(|k| meta.all(k).iter().find_map(|v| dates::parse_date(v)))
    {
        f.mark("modified", FieldSource::Meta);
        f.article.modified = Some(d);
    } else if let Some(d) = heuristics::modified(&doc, order) {
        f.mark("modified", FieldSource::Generic);
        f.article.modified = Some(d);
    }

    if let Some(d) = sel_pub {
        f.mark("published", FieldSource::Selector);
        f.article.published = Some(d);
    } else if let Some((d, src)) = declared.choose(shown, f.article.modified) {
        f.mark("published", src);
        f.article.published = Some(d);
    } else if let Some(d) = heuristics::published(&doc, input.url, &chrome, order).or_else(|| {
        f.article
            .description
            .as_deref()
            .and_then(|d| heuristics::labelled_text_date(d, order))
    }) {
        f.mark("published", FieldSource::Generic);
        f.article.published = Some(d);
    }
    // A UTC timestamp from metadata is shown in the page's own offset when the page's visible
    // date names a neighbouring calendar day. (Not the URL date: a path day carries no offset.)
    if let Some(t) = f.article.published
        && t.offset().local_minus_utc() == 0
        && matches!(
            f.article.fields_from.get("published"),
            Some(FieldSource::JsonLd | FieldSource::Meta)
        )
    {
        // A date with its own offset says the page's zone; a shown day without one says the
        // local calendar day. A date guessed elsewhere in the page counts only with an offset,
        // or as the same instant on the local clock (`17:18:13` for `01:18:13Z`): a date-only
        // microdata value must not shift a correct instant.
        let in_offset = |shown: DateTime<chrono::FixedOffset>| {
            let local = t.with_timezone(shown.offset());
            (local.date_naive() == shown.date_naive() && local.date_naive() != t.date_naive())
                .then_some(local)
        };
        let local = match shown() {
            Some(s) if s.offset().local_minus_utc() != 0 => in_offset(s),
            Some(s) => dates::localize_utc(t, s.date_naive()),
            None => heuristics::published(&doc, "", &chrome, order).and_then(|d| {
                if d.offset().local_minus_utc() != 0 {
                    in_offset(d)
                } else {
                    dates::same_instant_offset(t, d.naive_local())
                }
            }),
        };
        if let Some(local) = local {
            f.article.published = Some(local);
        }
    }
    // Authors.
    let host_key = f.article.site.as_deref().map(squeeze).unwrap_or_default();
    // The site's own name in its host: "helmholtz-klima" of helmholtz-klima.de, "bbc" of
    // bbc.co.uk.
    let host_name_key = f
        .article
        .site
        .as_deref()
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
    let pub_keys: Vec<String> = [site_name.as_deref(), ja.publisher.as_deref()]
        .into_iter()
        .flatten()
        .map(squeeze)
        .filter(|k| !k.is_empty())
        .collect();
    // A name that is the publication's, or its domain ("stern.de", "L-MAG" on l-mag.de).
    let publisher_like = |n: &str| -> bool {
        let k = squeeze(n);
        !k.is_empty()
            && (pub_keys.contains(&k)
                || (k.len() >= 4 && (k == host_key || k == host_name_key))
                || n.split_whitespace().any(|w| {
                    w.contains('.')
                        && w.rsplit('.').next().is_some_and(|tld| {
                            (2..=4).contains(&tld.len())
                                && tld.chars().all(|c| c.is_ascii_alphabetic())
                        })
                }))
    };
    let not_publisher = |names: Vec<String>| -> Vec<String> {
        names.into_iter().filter(|n| !publisher_like(n)).collect()
    };
    let ld_authors = authors::clean_authors_with(&ja.authors, authors::Trust::Declared);
    let meta_authors: Vec<String> = [
        "author",
        "article:author",
        "dc.creator",
        "dcterms.creator",
        "parsely-author",
        "sailthru.author",
        "byl",
        "citation_author",
        "og:article:author",
    ]
    .iter()
    .map(|k| meta.all(k))
    .find(|v| !v.is_empty())
    .map(|v| authors::clean_authors_with(v, authors::Trust::Declared))
    .or_else(|| {
        // Yoast's "Written by" twitter label.
        let label = meta.first(&["twitter:label1"])?.to_lowercase();
        let by = [
            "written by",
            "verfasst von",
            "geschrieben von",
            "écrit par",
            "escrito por",
            "scritto da",
        ];
        by.contains(&label.as_str()).then(|| {
            authors::clean_authors_with(meta.all("twitter:data1"), authors::Trust::Declared)
        })
    })
    .unwrap_or_default();
    // A meta author that is only the publisher's name: a byline in the page is better.
    let meta_is_publisher =
        !meta_authors.is_empty() && not_publisher(meta_authors.clone()).is_empty();
    let byline = std::cell::OnceCell::new();
    let byline = || {
        byline
            .get_or_init(|| heuristics::byline(&doc, &chrome))
            .clone()
    };
    let generic_authors = || not_publisher(byline());
    if !sel_authors.is_empty() {
        f.mark("authors", FieldSource::Selector);
        f.article.authors = sel_authors;
    } else if !ld_authors.is_empty() {
        f.mark("authors", FieldSource::JsonLd);
        f.article.authors = ld_authors;
    } else if !meta_authors.is_empty() && !meta_is_publisher {
        f.mark("authors", FieldSource::Meta);
        f.article.authors = meta_authors;
    } else {
        let g = generic_authors();
        if !g.is_empty() {
            f.mark("authors", FieldSource::Generic);
            f.article.authors = g;
        } else if !meta_authors.is_empty() {
            // The page credits its publisher as author.
            f.mark("authors", FieldSource::Meta);
            f.article.authors = meta_authors;
        }
    }

    // A user name ("edilson.la.rosa") that the page shows as a name ("Edilson La Rosa").
    if f.article.authors.iter().any(|a| authors::is_handle(a)) {
        let shown = byline();
        for a in f
            .article
            .authors
            .iter_mut()
            .filter(|a| authors::is_handle(a))
        {
            if let Some(n) = shown.iter().find(|n| squeeze(n) == squeeze(a)) {
                *a = n.clone();
            }
        }
    }

    // Section, tags, image, canonical.
    if let Some(s) = sel_section {
        f.mark("section", FieldSource::Selector);
        f.article.section = Some(meta::squash(&s));
    } else if let Some(s) = nonempty(ja.section.as_deref()) {
        f.mark("section", FieldSource::JsonLd);
        f.article.section = Some(s);
    } else if let Some(s) = nonempty(meta.first(&[
        "article:section",
        "parsely-section",
        "section",
        "category",
        "dc.subject",
    ])) {
        f.mark("section", FieldSource::Meta);
        f.article.section = Some(s);
    }
    let dedup = |v: Vec<String>| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in v.iter().map(|t| meta::squash(t)).filter(|t| !t.is_empty()) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    };
    let meta_tags: Vec<String> = if !meta.all("article:tag").is_empty() {
        meta.all("article:tag").to_vec()
    } else {
        meta.first(&["news_keywords", "keywords", "parsely-tags"])
            .map(|k| k.split(',').map(str::to_string).collect())
            .unwrap_or_default()
    };
    if !sel_tags.is_empty() {
        f.mark("tags", FieldSource::Selector);
        f.article.tags = dedup(sel_tags);
    } else if !ja.keywords.is_empty() {
        f.mark("tags", FieldSource::JsonLd);
        f.article.tags = dedup(ja.keywords.clone());
    } else if !meta_tags.is_empty() {
        f.mark("tags", FieldSource::Meta);
        f.article.tags = dedup(meta_tags);
    } else {
        let g = dedup(heuristics::tags(&doc));
        if !g.is_empty() {
            f.mark("tags", FieldSource::Generic);
            f.article.tags = g;
        }
    }
    if let Some(i) = sel_image {
        f.mark("image", FieldSource::Selector);
        f.article.image = Some(i);
    } else if let Some(i) = ja.image.as_deref().and_then(resolve_url) {
        f.mark("image", FieldSource::JsonLd);
        f.article.image = Some(i);
    } else if let Some(i) = meta
        .first(&[
            "og:image",
            "og:image:url",
            "og:image:secure_url",
            "twitter:image",
            "twitter:image:src",
        ])
        .and_then(resolve_url)
    {
        f.mark("image", FieldSource::Meta);
        f.article.image = Some(i);
    }
    if let Some(c) = sel_canon {
        f.mark("canonical_url", FieldSource::Selector);
        f.article.canonical_url = Some(c);
    } else if let Some(c) = meta
        .canonical
        .as_deref()
        .or_else(|| meta.first(&["og:url"]))
        .and_then(resolve_url)
    {
        f.mark("canonical_url", FieldSource::Meta);
        f.article.canonical_url = Some(c);
    } else if let Some(c) = ja.url.as_deref().and_then(resolve_url) {
        f.mark("canonical_url", FieldSource::JsonLd);
        f.article.canonical_url = Some(c);
    }
    if ja.paywalled {
        f.article.paywalled = true;
    }

    // Body.
    if !sel_body.is_empty() {
        f.mark("body", FieldSource::Selector);
        f.article.body = sel_body.join("\n\n");
        f.article.page_kind = PageKind::Article;
    } else if !opts.skip_generic_body {
        let ctx = generic::GenericContext {
            title: f.article.title.clone(),
            json_ld_body: ja.body.clone(),
        };
        let b = generic::extract_body(&doc, &ctx);
        if !b.text.is_empty() {
            f.mark("body", FieldSource::Generic);
        }
        f.article.body = b.text;
        f.article.page_kind = b.page_kind;
    }
    f.article.word_count = word_count(&f.article.body);

    // Language.
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
    if let Some(l) = sel_lang {
        f.mark("language", FieldSource::Selector);
        f.article.language = Some(l);
    } else if let Some(l) = ja.language.as_deref().and_then(language::normalise) {
        f.mark("language", FieldSource::JsonLd);
        f.article.language = Some(l);
    } else if let Some(l) = meta_lang
        .iter()
        .flatten()
        .find_map(|l| language::normalise(l))
    {
        f.mark("language", FieldSource::Meta);
        f.article.language = Some(l);
    } else {
        let sample = if f.article.body.len() > 200 {
            f.article.body.clone()
        } else {
            format!(
                "{} {} {}",
                f.article.title.as_deref().unwrap_or(""),
                f.article.description.as_deref().unwrap_or(""),
                f.article.body
            )
        };
        if let Some(l) = language::detect(&sample) {
            f.mark("language", FieldSource::Generic);
            f.article.language = Some(l);
        }
    }
    if input.body.is_empty() {
        article.page_kind = PageKind::Other;
        article.warnings.push("empty page".into());
    }
    Extraction {
        article,
        links: page_links,
    }
}
