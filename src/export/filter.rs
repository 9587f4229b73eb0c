//! Row filters of `newsarc export`: page kinds, site, date window, language, minimum length.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::row::DatasetRow;
use crate::model::PageKind;

/// A `--kinds` list named something that is not a page kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KindsError {
    /// A name that is not a page kind.
    #[error("unknown page kind {name:?} (valid kinds: {})", valid_kinds())]
    Unknown {
        /// The name as given.
        name: String,
    },
    /// The list names no kind at all.
    #[error("no page kind given (valid kinds: {})", valid_kinds())]
    Empty,
}

/// Every kind name, comma-separated, in declaration order.
pub fn valid_kinds() -> String {
    let names: Vec<&str> = PageKind::ALL.iter().map(|k| k.name()).collect();
    names.join(", ")
}

/// Parse a comma-separated list of page kind names (`article,liveblog`; spaces around names
/// and empty items are ignored, names are case-insensitive).
pub fn parse_kinds(list: &str) -> Result<BTreeSet<PageKind>, KindsError> {
    let mut kinds = BTreeSet::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let kind =
            PageKind::from_name(&item.to_ascii_lowercase()).ok_or_else(|| KindsError::Unknown {
                name: item.to_string(),
            })?;
        kinds.insert(kind);
    }
    if kinds.is_empty() {
        return Err(KindsError::Empty);
    }
    Ok(kinds)
}

/// Which rows to keep. Every condition that is set must hold.
#[derive(Debug, Clone, Default)]
pub struct RowFilter {
    /// Keep rows whose `page_kind` is one of these; `None`: the parsed kinds (article,
    /// liveblog, gallery, video, see [`PageKind::is_parsed`]).
    pub kinds: Option<BTreeSet<PageKind>>,
    /// Keep rows whose `site` is this host or a subdomain of it (`www.` ignored).
    pub site: Option<String>,
    /// Keep rows dated at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Keep rows dated before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Date rows by capture time instead of publication time.
    pub by_capture_date: bool,
    /// Keep rows whose language is this tag or a subtag of it (`en` keeps `en-GB`).
    pub language: Option<String>,
    /// Keep rows with at least this many words.
    pub min_words: Option<usize>,
}

impl RowFilter {
    /// True when rows of page kind `kind` are wanted (checked before a row is read).
    pub fn keeps_kind(&self, kind: PageKind) -> bool {
        match &self.kinds {
            Some(kinds) => kinds.contains(&kind),
            None => kind.is_parsed(),
        }
    }

    /// The page kinds kept, in declaration order.
    pub fn kinds(&self) -> Vec<PageKind> {
        PageKind::ALL
            .into_iter()
            .filter(|k| self.keeps_kind(*k))
            .collect()
    }

    /// True when `row` passes every condition.
    pub fn keep(&self, row: &DatasetRow) -> bool {
        let a = &row.article;
        if !self.keeps_kind(a.page_kind) {
            return false;
        }
        if let Some(site) = &self.site {
            let want = site.trim_start_matches("www.").to_ascii_lowercase();
            let have = a
                .site
                .as_deref()
                .unwrap_or("")
                .trim_start_matches("www.")
                .to_ascii_lowercase();
            if have != want && !have.ends_with(&format!(".{want}")) {
                return false;
            }
        }
        if self.since.is_some() || self.until.is_some() {
            let date = if self.by_capture_date {
                row.capture_time
            } else {
                a.published.map(|d| d.with_timezone(&Utc))
            };
            let Some(date) = date else { return false };
            if self.since.is_some_and(|s| date < s) || self.until.is_some_and(|u| date >= u) {
                return false;
            }
        }
        if let Some(lang) = &self.language {
            let have = a.language.as_deref().unwrap_or("").to_ascii_lowercase();
            let want = lang.to_ascii_lowercase();
            if have != want && !have.starts_with(&format!("{want}-")) {
                return false;
            }
        }
        if self.min_words.is_some_and(|m| a.word_count < m) {
            return false;
        }
        true
    }

    /// A one-line description for the dataset card. Always names the page kinds kept (the
    /// default, the parsed kinds, is marked as such).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let kinds: Vec<&str> = self.kinds().into_iter().map(PageKind::name).collect();
        let default = if self.kinds.is_none() {
            " (default: the parsed kinds)"
        } else {
            ""
        };
        parts.push(format!("kinds={}{default}", kinds.join(",")));
        if let Some(s) = &self.site {
            parts.push(format!("site={s}"));
        }
        let basis = if self.by_capture_date {
            "captured"
        } else {
            "published"
        };
        if let Some(s) = self.since {
            parts.push(format!("{basis} since {}", s.to_rfc3339()));
        }
        if let Some(u) = self.until {
            parts.push(format!("{basis} until {}", u.to_rfc3339()));
        }
        if let Some(l) = &self.language {
            parts.push(format!("language={l}"));
        }
        if let Some(m) = self.min_words {
            parts.push(format!("min_words={m}"));
        }
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::table::tests::sample_row;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn filters_by_site_language_words_and_dates() {
        let mut row = sample_row(1);
        row.article.site = Some("news.example.com".into());
        row.article.language = Some("en-GB".into());
        let keep = |f: RowFilter| f.keep(&row);
        assert!(keep(RowFilter::default()));
        assert!(keep(RowFilter {
            site: Some("example.com".into()),
            ..Default::default()
        }));
        assert!(!keep(RowFilter {
            site: Some("other.com".into()),
            ..Default::default()
        }));
        assert!(!keep(RowFilter {
            site: Some("ample.com".into()),
            ..Default::default()
        }));
        assert!(keep(RowFilter {
            language: Some("en".into()),
            ..Default::default()
        }));
        assert!(!keep(RowFilter {
            language: Some("de".into()),
            ..Default::default()
        }));
        assert!(keep(RowFilter {
            min_words: Some(5),
            ..Default::default()
        }));
        assert!(!keep(RowFilter {
            min_words: Some(6),
            ..Default::default()
        }));
        // published 2023-06-22T14:35:12Z
        assert!(keep(RowFilter {
            since: Some(utc("2023-06-22T00:00:00Z")),
            ..Default::default()
        }));
        assert!(!keep(RowFilter {
            since: Some(utc("2023-06-23T00:00:00Z")),
            ..Default::default()
        }));
        assert!(!keep(RowFilter {
            until: Some(utc("2023-06-22T14:35:12Z")),
            ..Default::default()
        }));
        // by capture date: the sample has none, so a date filter drops it
        assert!(!keep(RowFilter {
            since: Some(utc("2000-01-01T00:00:00Z")),
            by_capture_date: true,
            ..Default::default()
        }));
    }

    #[test]
    fn filters_by_page_kind_parsed_kinds_by_default() {
        let mut row = sample_row(1);
        let kinds = |l: &str| RowFilter {
            kinds: Some(parse_kinds(l).unwrap()),
            ..Default::default()
        };
        for k in PageKind::ALL {
            row.article.page_kind = k;
            assert_eq!(RowFilter::default().keep(&row), k.is_parsed(), "{k}");
            assert_eq!(
                kinds("listing, Error").keep(&row),
                matches!(k, PageKind::Listing | PageKind::Error),
                "{k}"
            );
        }
        assert_eq!(
            kinds("video,article").kinds(),
            [PageKind::Article, PageKind::Video]
        );
        assert_eq!(
            RowFilter::default().describe(),
            "kinds=article,liveblog,gallery,video (default: the parsed kinds)"
        );
        let f = RowFilter {
            site: Some("example.com".into()),
            ..kinds("listing,article")
        };
        assert_eq!(f.describe(), "kinds=article,listing, site=example.com");
    }

    #[test]
    fn bad_kind_lists_are_named() {
        let e = parse_kinds("article,articles").unwrap_err();
        assert_eq!(
            e,
            KindsError::Unknown {
                name: "articles".into()
            }
        );
        let msg = e.to_string();
        assert!(msg.contains("\"articles\""), "{msg}");
        assert!(
            msg.contains("article, liveblog, gallery, video, listing, forum, product, documentation, service, error, other"),
            "{msg}"
        );
        assert_eq!(parse_kinds(" , ").unwrap_err(), KindsError::Empty);
    }
}
