//! JSON-LD: finds the article object (`NewsArticle`, `Article`, `BlogPosting`,
//! `ReportageNewsArticle`, any `*NewsArticle`, ...) in `<script type="application/ld+json">`
//! blocks, including `@graph` arrays and top-level lists, resolving `@id` references; on a
//! forum or Q&A page without one, the thread's opening post (`DiscussionForumPosting`, a
//! `QAPage`'s `Question`).

use std::collections::HashMap;

use scraper::Html;
use serde_json::Value;

use crate::extract::interned::local_name;

/// The article fields JSON-LD gave (raw strings; the caller parses and cleans them).
#[derive(Debug, Clone, Default)]
pub struct JsonLdArticle {
    /// `headline` (or `name`).
    pub headline: Option<String>,
    /// `name`, when the object has both it and a `headline` (Wikipedia's headline is a
    /// one-line description; its name is the title).
    pub name: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `datePublished`.
    pub published: Option<String>,
    /// `dateModified`.
    pub modified: Option<String>,
    /// Author names (`author` as string, object or list).
    pub authors: Vec<String>,
    /// Every author is typed as an organisation (`Organization`, `NewsMediaOrganization`,
    /// ...): the publisher credited, not a person.
    pub authors_are_organizations: bool,
    /// `publisher.name`.
    pub publisher: Option<String>,
    /// First `articleSection`.
    pub section: Option<String>,
    /// `keywords` (list or comma-separated).
    pub keywords: Vec<String>,
    /// `image` URL.
    pub image: Option<String>,
    /// `inLanguage`.
    pub language: Option<String>,
    /// `isAccessibleForFree` was false.
    pub paywalled: bool,
    /// `url` / `mainEntityOfPage`.
    pub url: Option<String>,
    /// `articleBody`.
    pub body: Option<String>,
}

/// What the JSON-LD blocks of a page held.
#[derive(Debug, Clone, Default)]
pub struct JsonLd {
    /// The article object, if one was found.
    pub article: Option<JsonLdArticle>,
    /// `WebSite` / `Organization` name (for `site_name` when the article names no publisher).
    pub site_name: Option<String>,
    /// `datePublished` of a `WebPage` object (a weaker fallback than the article's).
    pub page_published: Option<String>,
    /// `description` of the first `Product` (`ProductGroup`, `ProductModel`, ...): a product
    /// page's text when the page renders it with a script. Raw (may hold markup).
    pub product_description: Option<String>,
    /// Blocks that could not be parsed.
    pub warnings: Vec<String>,
    /// The `@type` of every top-level object (and of its `mainEntity`), without a vocabulary
    /// prefix, in page order: what the page says it is (`NewsArticle`, `CollectionPage`, ...).
    pub types: Vec<String>,
}

fn is_article_type(t: &str) -> bool {
    let t = t.rsplit(['/', ':']).next().unwrap_or(t);
    matches!(
        t,
        "Article"
            | "NewsArticle"
            | "BlogPosting"
            | "ReportageNewsArticle"
            | "LiveBlogPosting"
            | "Report"
            | "TechArticle"
            | "ScholarlyArticle"
            | "SocialMediaPosting"
    ) || t.ends_with("NewsArticle")
        || t.ends_with("Article")
}

fn types(v: &Value) -> Vec<&str> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// True when one of `v`'s types is `name` (with or without a vocabulary prefix).
fn has_type(v: &Value, name: &str) -> bool {
    types(v)
        .iter()
        .any(|t| t.rsplit(['/', ':']).next().unwrap_or(t) == name)
}

/// A thread's opening post, for a page with no article object: a `DiscussionForumPosting`, or
/// the `Question` that a `QAPage` is about (its `mainEntity`). The post's author, date and
/// name are the thread's, as an article's are the page's. (An `FAQPage`'s questions are not
/// posts: they have no author of their own.)
fn opening_post<'a>(objs: &[&'a Value]) -> Option<&'a Value> {
    objs.iter()
        .copied()
        .find(|o| has_type(o, "DiscussionForumPosting"))
        .or_else(|| {
            objs.iter()
                .filter(|o| has_type(o, "QAPage"))
                .filter_map(|o| match o.get("mainEntity")? {
                    Value::Array(a) => a.first(),
                    v => Some(v),
                })
                .chain(objs.iter().copied())
                .find(|q| has_type(q, "Question") && q.get("author").is_some())
        })
}

/// Flatten a JSON-LD value into its objects (top-level lists, `@graph`).
fn collect<'a>(v: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| collect(x, out, depth + 1)),
        Value::Object(o) => {
            if let Some(g) = o.get("@graph") {
                collect(g, out, depth + 1);
            }
            out.push(v);
        }
        _ => {}
    }
}

fn text(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => crate::extract::meta::unescape(s.trim()),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => return a.iter().find_map(text),
        Value::Object(o) => return o.get("@value").or_else(|| o.get("name")).and_then(text),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

struct Ctx<'a> {
    ids: HashMap<&'a str, &'a Value>,
}

impl<'a> Ctx<'a> {
    fn resolve(&self, v: &'a Value) -> &'a Value {
        if let Some(id) = v.get("@id").and_then(Value::as_str)
            && v.as_object().is_some_and(|o| o.len() <= 2)
            && let Some(full) = self.ids.get(id)
        {
            return full;
        }
        v
    }

    fn names(&self, v: &'a Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(crate::extract::meta::unescape(s.trim())),
            Value::Array(a) => a.iter().for_each(|x| self.names(x, out)),
            Value::Object(_) => {
                let r = self.resolve(v);
                if let Some(n) = r.get("name").and_then(text) {
                    out.push(n);
                } else if let (Some(g), Some(f)) = (
                    r.get("givenName").and_then(text),
                    r.get("familyName").and_then(text),
                ) {
                    out.push(format!("{g} {f}"));
                }
            }
            _ => {}
        }
    }

    /// True when `v` (an object, a reference or a list of them) holds objects only, each typed
    /// as some kind of organisation.
    fn organizations_only(&self, v: &'a Value) -> bool {
        match v {
            Value::Array(a) => !a.is_empty() && a.iter().all(|x| self.organizations_only(x)),
            Value::Object(_) => {
                let ts = types(self.resolve(v));
                !ts.is_empty()
                    && ts
                        .iter()
                        .all(|t| t.ends_with("Organization") || *t == "Corporation")
            }
            _ => false,
        }
    }

    fn url(&self, v: &'a Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Array(a) => a.iter().find_map(|x| self.url(x)),
            Value::Object(_) => {
                let r = self.resolve(v);
                r.get("url")
                    .or_else(|| r.get("contentUrl"))
                    .or_else(|| r.get("@id"))
                    .and_then(|u| self.url(u))
            }
            _ => None,
        }
    }
}

/// Parse a JSON-LD block leniently (HTML comments, CDATA, trailing commas, raw newlines).
fn parse_block(raw: &str) -> Result<Value, serde_json::Error> {
    let t = raw.trim();
    match serde_json::from_str(t) {
        Ok(v) => Ok(v),
        Err(e) => {
            // Comment and CDATA wrappers, with or without the `//` of script-era markup.
            let t = t.trim_start_matches("<!--").trim_end_matches("-->").trim();
            let t = t.strip_prefix("//").unwrap_or(t).trim_start();
            let t = t.strip_prefix("<![CDATA[").unwrap_or(t).trim_end();
            let t = t.strip_suffix("]]>").unwrap_or(t).trim_end();
            let t = t.strip_suffix("//").unwrap_or(t);
            let cleaned = t.replace(['\n', '\r', '\t'], " ");
            let cleaned = cleaned.trim().trim_end_matches(';');
            let mut fixed = String::with_capacity(cleaned.len());
            let mut in_str = false;
            let mut esc = false;
            let chars: Vec<char> = cleaned.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                if in_str {
                    if esc {
                        esc = false;
                    } else if c == '\\' {
                        esc = true;
                    } else if c == '"' {
                        in_str = false;
                    }
                } else if c == '"' {
                    in_str = true;
                } else if c == ',' {
                    let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                    if matches!(next, Some('}') | Some(']')) {
                        continue;
                    }
                }
                fixed.push(c);
            }
            serde_json::from_str(&fixed).map_err(|_| e)
        }
    }
}

/// Read every JSON-LD block of `doc`.
pub fn read(doc: &Html, page_url: &str) -> JsonLd {
    let mut out = JsonLd::default();
    let Some(sel) = css!(r#"script[type="application/ld+json" i]"#) else {
        return out;
    };
    let mut values = Vec::new();
    let scripts = crate::extract::interned::select_named(doc, [local_name!("script")], sel);
    for (i, s) in scripts.enumerate() {
        let raw: String = s.text().collect();
        match parse_block(&raw) {
            Ok(v) => values.push(v),
            Err(e) => out
                .warnings
                .push(format!("JSON-LD block {} unparsable: {e}", i + 1)),
        }
    }
    let mut objs = Vec::new();
    for v in &values {
        collect(v, &mut objs, 0);
    }
    for o in &objs {
        let main = o.get("mainEntity").into_iter().flat_map(|m| match m {
            Value::Array(a) => a.iter().collect::<Vec<_>>(),
            v => vec![v],
        });
        for t in types(o).into_iter().chain(main.flat_map(types)) {
            let t = t.rsplit(['/', ':']).next().unwrap_or(t);
            out.types.push(t.to_string());
        }
    }
    let mut ids = HashMap::new();
    for o in &objs {
        if let Some(id) = o.get("@id").and_then(Value::as_str)
            && o.as_object().is_some_and(|m| m.len() > 2)
        {
            ids.insert(id, *o);
        }
    }
    let ctx = Ctx { ids };
    let articles: Vec<&Value> = objs
        .iter()
        .copied()
        .filter(|o| types(o).iter().any(|t| is_article_type(t)))
        .collect();
    // Prefer the article whose url is this page, then one with a headline.
    let same_page = |o: &&&Value| {
        o.get("url")
            .or_else(|| o.get("mainEntityOfPage"))
            .and_then(|u| ctx.url(u))
            .is_some_and(|u| u.trim_end_matches('/') == page_url.trim_end_matches('/'))
    };
    let chosen = articles
        .iter()
        .find(same_page)
        .or_else(|| articles.iter().find(|o| o.get("headline").is_some()))
        .or_else(|| articles.first())
        .copied()
        .or_else(|| opening_post(&objs))
        .or_else(|| {
            // No article object: a WebPage that names its author (Yoast puts it there).
            objs.iter()
                .copied()
                .find(|o| types(o).iter().any(|t| t.ends_with("Page")) && o.get("author").is_some())
        });
    out.product_description = objs
        .iter()
        .filter(|o| {
            types(o).iter().any(|t| {
                t.rsplit(['/', ':'])
                    .next()
                    .unwrap_or(t)
                    .starts_with("Product")
            })
        })
        .find_map(|o| o.get("description").and_then(text));
    out.page_published = objs
        .iter()
        .find(|o| types(o).iter().any(|t| t.ends_with("Page")))
        .and_then(|o| o.get("datePublished"))
        .and_then(text);
    for o in &objs {
        let t = types(o);
        if t.iter()
            .any(|t| *t == "WebSite" || *t == "Organization" || *t == "NewsMediaOrganization")
            && let Some(n) = o.get("name").and_then(text)
            && (out.site_name.is_none() || t.contains(&"WebSite"))
        {
            out.site_name = Some(n);
        }
    }
    if let Some(o) = chosen {
        let mut a = JsonLdArticle {
            headline: o.get("headline").or_else(|| o.get("name")).and_then(text),
            name: o
                .get("name")
                .filter(|_| o.get("headline").is_some())
                .and_then(text),
            description: o.get("description").and_then(text),
            published: o
                .get("datePublished")
                .or_else(|| o.get("dateCreated"))
                .and_then(text),
            modified: o.get("dateModified").and_then(text),
            section: o.get("articleSection").and_then(text),
            image: o
                .get("image")
                .or_else(|| o.get("thumbnailUrl"))
                .and_then(|i| ctx.url(i)),
            language: o.get("inLanguage").and_then(text),
            url: o.get("url").and_then(|u| ctx.url(u)),
            body: o.get("articleBody").and_then(text),
            ..Default::default()
        };
        if let Some(au) = o.get("author").or_else(|| o.get("creator")) {
            ctx.names(au, &mut a.authors);
            a.authors_are_organizations = ctx.organizations_only(au);
        }
        if let Some(p) = o.get("publisher") {
            let mut n = Vec::new();
            ctx.names(p, &mut n);
            a.publisher = n.into_iter().next();
        }
        match o.get("keywords") {
            Some(Value::String(s)) => {
                a.keywords = s
                    .split(',')
                    .map(|k| k.trim().to_string())
                    .filter(|k| !k.is_empty())
                    .collect();
            }
            Some(Value::Array(v)) => a.keywords = v.iter().filter_map(text).collect(),
            _ => {}
        }
        a.paywalled = match o.get("isAccessibleForFree") {
            Some(Value::Bool(b)) => !b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("false"),
            _ => false,
        };
        out.article = Some(a);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_and_references() {
        let html = r##"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"Person","@id":"#p1","name":"Jane Doe"},
            {"@type":["NewsArticle"],"headline":"H","author":{"@id":"#p1"},
             "datePublished":"2023-06-22","keywords":"a, b","isAccessibleForFree":"False"}]}</script>"##;
        let j = read(&Html::parse_document(html), "https://x/");
        let a = j.article.unwrap();
        assert_eq!(a.headline.as_deref(), Some("H"));
        assert_eq!(a.authors, ["Jane Doe"]);
        assert_eq!(a.keywords, ["a", "b"]);
        assert!(a.paywalled);
    }

    /// A forum thread or Q&A page has no article object: its opening post (a
    /// `DiscussionForumPosting`, a `QAPage`'s `Question`) gives the author and the date, as
    /// an article would; an `FAQPage`'s questions never do.
    #[test]
    fn opening_post_of_a_thread() {
        let qa = r#"<script type="application/ld+json">{"@context":"https://schema.org",
            "@type":"QAPage","name":"Resolver","mainEntity":{"@type":"Question","name":"Why?",
            "datePublished":"2024-11-08T19:33:12Z","author":{"@type":"Person","name":"amondale"},
            "suggestedAnswer":[{"@type":"Answer","author":{"@type":"Person","name":"rimelek"}}]}}
            </script>"#;
        let a = read(&Html::parse_document(qa), "https://x/t/1")
            .article
            .unwrap_or_default();
        assert_eq!(a.authors, ["amondale"]);
        assert_eq!(a.published.as_deref(), Some("2024-11-08T19:33:12Z"));
        assert_eq!(a.headline.as_deref(), Some("Why?"));
        let post = r#"<script type="application/ld+json">[{"@type":"WebPage","name":"Forum"},
            {"@type":"DiscussionForumPosting","headline":"Squad","datePublished":"2024-06-14",
            "author":{"@type":"Person","name":"ColdJ"}}]</script>"#;
        let a = read(&Html::parse_document(post), "https://x/t/2")
            .article
            .unwrap_or_default();
        assert_eq!(a.authors, ["ColdJ"]);
        let faq = r#"<script type="application/ld+json">{"@type":"FAQPage","mainEntity":[
            {"@type":"Question","name":"How much?","acceptedAnswer":{"@type":"Answer",
            "text":"Less."}}]}</script>"#;
        assert!(
            read(&Html::parse_document(faq), "https://x/faq")
                .article
                .is_none()
        );
    }

    #[test]
    fn malformed_blocks_warn_and_trailing_commas_are_forgiven() {
        let html = r#"<script type="application/ld+json">{"@type":"Article","headline":"T",}</script>
            <script type="application/ld+json">{not json</script>"#;
        let j = read(&Html::parse_document(html), "https://x/");
        assert_eq!(j.article.unwrap().headline.as_deref(), Some("T"));
        assert_eq!(j.warnings.len(), 1);
    }

    /// Regression (readability/spiceworks): a bare `<![CDATA[ ... ]]>` wrapper hid the
    /// article's `datePublished`.
    #[test]
    fn cdata_and_comment_wrappers() {
        for wrapped in [
            "<![CDATA[ [{\"@type\":\"NewsArticle\",\"datePublished\":\"2020-07-10\"}] ]]>",
            "//<![CDATA[\n{\"@type\":\"NewsArticle\",\"datePublished\":\"2020-07-10\"}\n//]]>",
            "<!-- {\"@type\":\"NewsArticle\",\"datePublished\":\"2020-07-10\"} -->",
        ] {
            let html = format!(r#"<script type="application/ld+json">{wrapped}</script>"#);
            let j = read(&Html::parse_document(&html), "https://x/");
            assert!(j.warnings.is_empty(), "{wrapped}: {:?}", j.warnings);
            let a = j.article.unwrap_or_default();
            assert_eq!(a.published.as_deref(), Some("2020-07-10"), "{wrapped}");
        }
    }
}
