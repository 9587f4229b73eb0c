//! Choosing the publication date among its declared sources. A page can state its date in many
//! places (JSON-LD, `article:published_time`, `<meta name=date>`, Dublin Core, ...) and they do
//! not always agree: a CMS stamps the generic `date` / `dc.date` with the last save, one block
//! holds the creation time and another the release. The date the page *shows* its readers under
//! the headline arbitrates: among disagreeing sources the one that names the shown day wins; a
//! generic (weak) meta date loses to any shown date, and a "published" stamp that is the last
//! save (within the hour of the modification time) to an earlier one. A shown date that is the
//! day/month swap of the declared one is a parsing ambiguity (`04/12/2020`), and a shown date on
//! the modification day may be the "Updated" line: neither overrides the declared order.

use chrono::{DateTime, Datelike, FixedOffset};

use crate::model::FieldSource;

use super::dates::{self, SlashOrder};
use super::meta::Meta;

/// `<meta>` keys that name the publication date on purpose (OpenGraph, news vendors, schema.org
/// microdata in meta form), in priority order.
const STRONG_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "published-date",
    "published_date",
    "date-published",
    "date_published",
    "publication-date",
    "published_time",
    "publication_date",
    "pubdate",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date.issued",
    "dcterms.issued",
    "article.published",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "originalpublicationdate",
    "og:article:published_time",
    "release_date",
    "citation_publication_date",
];

/// Generic date keys that many CMSs fill with the time the page was generated or last saved:
/// used when nothing better says otherwise.
const WEAK_KEYS: &[&str] = &[
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "date",
    "created",
    "citation_date",
    "displaydate",
];

/// `<meta>` keys of the modification date, in priority order.
pub const MODIFIED_KEYS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
    "dc.date.modified",
    "article.updated",
    "lastmod",
    "modified",
];

/// How much a declared date is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// Stated as the publication date (JSON-LD `datePublished`, `article:published_time`).
    Strong,
    /// A generic page date (`<meta name=date>`, `dc.date`).
    Weak,
}

/// One declared publication date.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    date: DateTime<FixedOffset>,
    source: FieldSource,
    strength: Strength,
}

/// The declared publication dates of a page, in priority order.
#[derive(Debug, Clone, Default)]
pub struct Declared {
    candidates: Vec<Candidate>,
}

impl Declared {
    /// Collect the declared dates in priority order: the JSON-LD article's `datePublished`, the
    /// strong `<meta>` keys, the weak ones, then a JSON-LD WebPage's `datePublished`.
    /// `order` reads ambiguous slash dates (`03/05/2022`) the way the page writes them.
    pub fn collect(
        article_ld: Option<&str>,
        page_ld: Option<&str>,
        meta: &Meta,
        order: SlashOrder,
    ) -> Self {
        let parse = |v: &str| dates::parse_date_in(v, order);
        let mut candidates = Vec::new();
        let mut push = |d: Option<DateTime<FixedOffset>>, source, strength| {
            if let Some(date) = d {
                candidates.push(Candidate {
                    date,
                    source,
                    strength,
                });
            }
        };
        push(
            article_ld.and_then(parse),
            FieldSource::JsonLd,
            Strength::Strong,
        );
        for (keys, strength) in [(STRONG_KEYS, Strength::Strong), (WEAK_KEYS, Strength::Weak)] {
            for k in keys {
                push(
                    meta.all(k).iter().find_map(|v| parse(v)),
                    FieldSource::Meta,
                    strength,
                );
            }
        }
        push(page_ld.and_then(parse), FieldSource::JsonLd, Strength::Weak);
        Declared { candidates }
    }

    /// The publication date and its source, given the date shown under the headline (if any)
    /// and the page's modification date. `shown` is asked for only when some source declares a
    /// date. A shown date on the modification day cannot tell "published that day" from
    /// "updated that day", so it changes nothing.
    pub fn choose(
        &self,
        shown: impl FnOnce() -> Option<DateTime<FixedOffset>>,
        modified: Option<DateTime<FixedOffset>>,
    ) -> Option<(DateTime<FixedOffset>, FieldSource)> {
        let first = self.candidates.first()?;
        let Some(shown) = shown() else {
            return Some((first.date, first.source));
        };
        let day = shown.date_naive();
        if first.date.date_naive() == day {
            return Some((first.date, first.source));
        }
        let update_line = modified.is_some_and(|m| m.date_naive() == day);
        if update_line {
            return Some((first.date, first.source));
        }
        if let Some(c) = self.candidates.iter().find(|c| c.date.date_naive() == day) {
            return Some((c.date, c.source));
        }
        if swapped(first.date, shown) {
            return Some((first.date, first.source));
        }
        // A weak date loses to the shown date; a "published" stamp that is the last save
        // (within the hour of the modification time) loses to an earlier shown date.
        let resaved = modified.is_some_and(|m| (first.date - m).num_minutes().abs() <= 60);
        if first.strength == Strength::Weak || (resaved && day < first.date.date_naive()) {
            return Some((shown, FieldSource::Generic));
        }
        Some((first.date, first.source))
    }
}

/// True when `a` and `b` name the same year with day and month exchanged (`2020-04-12` and
/// `2020-12-04`): one of them was read from an ambiguous numeric date.
fn swapped(a: DateTime<FixedOffset>, b: DateTime<FixedOffset>) -> bool {
    a.year() == b.year() && a.month() == b.day() && a.day() == b.month()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn meta(html: &str) -> Meta {
        super::super::meta::read(&Html::parse_document(html))
    }

    fn d(s: &str) -> DateTime<FixedOffset> {
        dates::parse_date(s).unwrap_or_else(|| panic!("test date {s}"))
    }

    #[test]
    fn shown_day_picks_the_agreeing_source() {
        let m = meta(r#"<meta property="article:published_time" content="2022-01-06T08:29:34">"#);
        let dec = Declared::collect(
            Some("2022-01-04T07:29:00Z"),
            None,
            &m,
            SlashOrder::MonthFirst,
        );
        let (got, src) = dec.choose(|| Some(d("2022-01-06")), None).unwrap();
        assert_eq!(got.date_naive().to_string(), "2022-01-06");
        assert_eq!(src, FieldSource::Meta);
        // Without a shown date the JSON-LD date keeps its priority.
        let (got, src) = dec.choose(|| None, None).unwrap();
        assert_eq!(got.date_naive().to_string(), "2022-01-04");
        assert_eq!(src, FieldSource::JsonLd);
    }

    /// Regression (WCXB 4512): `<meta name="published-date">` was not read.
    #[test]
    fn spelled_out_published_date_metas_are_strong() {
        for key in [
            "published-date",
            "published_date",
            "date-published",
            "publish_date",
        ] {
            let m = meta(&format!(r#"<meta name="{key}" content="2021-02-16">"#));
            let dec = Declared::collect(None, None, &m, SlashOrder::MonthFirst);
            let got = dec
                .choose(|| None, None)
                .map(|(d, _)| d.date_naive().to_string());
            assert_eq!(got.as_deref(), Some("2021-02-16"), "{key}");
        }
    }

    #[test]
    fn weak_meta_date_loses_to_the_shown_date() {
        let m = meta(r#"<meta name="date" content="2020-02-12">"#);
        let dec = Declared::collect(None, None, &m, SlashOrder::MonthFirst);
        let (got, src) = dec.choose(|| Some(d("2020-02-05")), None).unwrap();
        assert_eq!(got.date_naive().to_string(), "2020-02-05");
        assert_eq!(src, FieldSource::Generic);
    }

    #[test]
    fn strong_date_stands_against_a_lone_shown_date() {
        let m = meta(r#"<meta property="article:published_time" content="2021-03-08T11:15:28Z">"#);
        let dec = Declared::collect(None, None, &m, SlashOrder::MonthFirst);
        let (got, _) = dec.choose(|| Some(d("2021-03-14")), None).unwrap();
        assert_eq!(got.date_naive().to_string(), "2021-03-08");
    }

    #[test]
    fn shown_update_day_is_no_evidence() {
        let m = meta(
            r#"<meta property="article:published_time" content="2017-04-12T18:33:59+02:00">
               <meta itemprop="datePublished" content="2020-02-19">"#,
        );
        let dec = Declared::collect(None, None, &m, SlashOrder::MonthFirst);
        let shown = Some(d("2020-02-19"));
        let (got, _) = dec
            .choose(|| shown, Some(d("2020-02-19T15:24:33+01:00")))
            .unwrap();
        assert_eq!(got.date_naive().to_string(), "2017-04-12");
        // Without the modification date the agreeing source wins.
        let (got, _) = dec.choose(|| shown, None).unwrap();
        assert_eq!(got.date_naive().to_string(), "2020-02-19");
    }

    #[test]
    fn resaved_stamp_loses_to_an_earlier_shown_date() {
        let m =
            meta(r#"<meta property="article:published_time" content="2022-11-17T10:33:13.258Z">"#);
        let dec = Declared::collect(None, None, &m, SlashOrder::MonthFirst);
        let modified = Some(d("2022-11-17T10:32:18.099Z"));
        let (got, src) = dec.choose(|| Some(d("2022-03-09")), modified).unwrap();
        assert_eq!(got.date_naive().to_string(), "2022-03-09");
        assert_eq!(src, FieldSource::Generic);
        // A later shown date is not the original one.
        let (got, _) = dec.choose(|| Some(d("2023-01-02")), modified).unwrap();
        assert_eq!(got.date_naive().to_string(), "2022-11-17");
        // Nor does an unrelated modification time make the stamp a re-save.
        let (got, _) = dec
            .choose(|| Some(d("2022-03-09")), Some(d("2022-12-01")))
            .unwrap();
        assert_eq!(got.date_naive().to_string(), "2022-11-17");
    }

    #[test]
    fn a_source_naming_the_shown_day_beats_a_swap() {
        let m = meta(r#"<meta property="article:published_time" content="2020-12-04T10:00:00Z">"#);
        let dec = Declared::collect(Some("2020-04-12"), None, &m, SlashOrder::MonthFirst);
        let (got, src) = dec.choose(|| Some(d("2020-12-04")), None).unwrap();
        assert_eq!(got.date_naive().to_string(), "2020-12-04");
        assert_eq!(src, FieldSource::Meta);
    }

    #[test]
    fn day_first_pages_read_their_declared_slash_dates_day_first() {
        let m = meta(r#"<meta name="date" content="03/05/2022">"#);
        let dec = Declared::collect(None, None, &m, SlashOrder::DayFirst);
        let (got, _) = dec.choose(|| Some(d("2022-05-03")), None).unwrap();
        assert_eq!(got.date_naive().to_string(), "2022-05-03");
    }

    #[test]
    fn swapped_day_and_month_is_no_evidence() {
        let m = meta(r#"<meta name="date" content="2020-04-12">"#);
        let dec = Declared::collect(None, None, &m, SlashOrder::MonthFirst);
        let (got, src) = dec.choose(|| Some(d("2020-12-04")), None).unwrap();
        assert_eq!(got.date_naive().to_string(), "2020-04-12");
        assert_eq!(src, FieldSource::Meta);
    }
}
