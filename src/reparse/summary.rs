//! What a re-parse did, and which article fields changed compared with the previous parse.

use std::collections::BTreeMap;

use crate::model::{Article, PageKind};

/// Counts of a re-parse run.
#[derive(Debug, Default, Clone)]
pub struct ReparseSummary {
    /// Records read.
    pub records: u64,
    /// HTML responses skipped because their newest parse is current.
    pub up_to_date: u64,
    /// HTML responses left out by `--only-site` / `--since`.
    pub filtered: u64,
    /// Conversion records written.
    pub parsed: u64,
    /// Pages parsed in this run, per page kind (whether a record was written or not).
    pub kinds: BTreeMap<PageKind, u64>,
    /// Pages parsed for the first time whose kind is not stored ([`PageKind::is_parsed`] is
    /// false: listing, error, ...): no record written (the crawl stores only articles, live
    /// blogs, galleries and videos), so they are parsed again on every run.
    pub not_stored: u64,
    /// Responses parsed for the first time.
    pub first_parse: u64,
    /// Responses whose new parse differs from the previous one in some field.
    pub pages_changed: u64,
    /// Per field: on how many pages it changed.
    pub changed: BTreeMap<&'static str, u64>,
    /// Damaged records and pages that could not be parsed, with file and offset.
    pub failures: Vec<String>,
}

/// The names of the fields whose values differ between `old` and `new`.
pub fn changed_fields(old: &Article, new: &Article) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |name: &'static str, differs: bool| {
        if differs {
            out.push(name);
        }
    };
    check("title", old.title != new.title);
    check("body", old.body != new.body);
    check("authors", old.authors != new.authors);
    check("published", old.published != new.published);
    check("modified", old.modified != new.modified);
    check("description", old.description != new.description);
    check("language", old.language != new.language);
    check("section", old.section != new.section);
    check("tags", old.tags != new.tags);
    check("image", old.image != new.image);
    check("canonical_url", old.canonical_url != new.canonical_url);
    check("site_name", old.site_name != new.site_name);
    check("paywalled", old.paywalled != new.paywalled);
    check("page_kind", old.page_kind != new.page_kind);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_exactly_the_fields_that_differ() {
        let old = Article::empty("https://e.com/a");
        let mut new = old.clone();
        assert!(changed_fields(&old, &new).is_empty());
        new.title = Some("T".into());
        new.body = "b".into();
        new.extractor.version = "9.9.9".into();
        assert_eq!(changed_fields(&old, &new), vec!["title", "body"]);
    }
}
