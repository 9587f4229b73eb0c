//! Row filters of `newsarc export`: site, date window, language, minimum length.

use chrono::{DateTime, Utc};

use super::row::DatasetRow;

/// Which rows to keep. Every condition that is set must hold.
#[derive(Debug, Clone, Default)]
pub struct RowFilter {
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
    /// True when `row` passes every condition.
    pub fn keep(&self, row: &DatasetRow) -> bool {
        let a = &row.article;
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

    /// A one-line description for the dataset card.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
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
}
