//! Queries on the catalogue: site summaries, the paginated capture list, one URL's captures
//! and parses, CDX lookups. Every value from a request is bound as a parameter.

use std::collections::HashMap;
use std::path::PathBuf;

use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::{ArchiveFile, Catalog};
use crate::model::PageKind;
use crate::serve::ServeError;

/// One capture (response, revisit or resource record) with its newest parse's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureRow {
    /// Catalogue id (valid for this index build only).
    pub id: i64,
    /// SURT key.
    pub surt: String,
    /// URL as captured.
    pub url: String,
    /// 14-digit UTC timestamp.
    pub ts: String,
    /// Host without `www.`.
    pub site: String,
    /// `response`, `revisit` or `resource`.
    pub rtype: String,
    /// Media type (`warc/revisit` for revisits).
    pub mime: Option<String>,
    /// HTTP status.
    pub status: Option<i64>,
    /// Payload digest.
    pub digest: Option<String>,
    /// Archive file id.
    pub file: i64,
    /// Record offset.
    pub offset: i64,
    /// Record length.
    pub length: i64,
    /// Newest parse id.
    pub parse: Option<i64>,
    /// Title of the newest parse.
    pub title: Option<String>,
    /// Page kind of the newest parse.
    pub kind: Option<String>,
    /// Language of the newest parse.
    pub language: Option<String>,
    /// Publication date of the newest parse (RFC 3339).
    pub published: Option<String>,
}

const CAPTURE_COLS: &str = "id, surt, url, ts, site, rtype, mime, status, digest, file, offset,
  length, parse, title, kind, language, published";

fn capture(r: &Row<'_>) -> rusqlite::Result<CaptureRow> {
    Ok(CaptureRow {
        id: r.get(0)?,
        surt: r.get(1)?,
        url: r.get(2)?,
        ts: r.get(3)?,
        site: r.get(4)?,
        rtype: r.get(5)?,
        mime: r.get(6)?,
        status: r.get(7)?,
        digest: r.get(8)?,
        file: r.get(9)?,
        offset: r.get(10)?,
        length: r.get(11)?,
        parse: r.get(12)?,
        title: r.get(13)?,
        kind: r.get(14)?,
        language: r.get(15)?,
        published: r.get(16)?,
    })
}

/// One parse (conversion record) of a capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseInfo {
    /// Catalogue id.
    pub id: i64,
    /// The capture it was parsed from (none when that capture is not in the archive).
    pub capture: Option<i64>,
    /// URL.
    pub url: String,
    /// When it was parsed (14 digits).
    pub ts: String,
    /// Archive file id.
    pub file: i64,
    /// Record offset.
    pub offset: i64,
    /// Record length.
    pub length: i64,
    /// Its WARC-Record-ID.
    pub record_id: Option<String>,
    /// The response's WARC-Record-ID.
    pub refers_to: Option<String>,
    /// `Newsarc-Extractor`.
    pub extractor: String,
    /// `Newsarc-Selectors` (`name@hash`).
    pub selectors: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Page kind.
    pub kind: String,
}

const PARSE_COLS: &str = "id, capture, url, ts, file, offset, length, record_id, refers_to,
  extractor, selectors, title, kind";

fn parse(r: &Row<'_>) -> rusqlite::Result<ParseInfo> {
    Ok(ParseInfo {
        id: r.get(0)?,
        capture: r.get(1)?,
        url: r.get(2)?,
        ts: r.get(3)?,
        file: r.get(4)?,
        offset: r.get(5)?,
        length: r.get(6)?,
        record_id: r.get(7)?,
        refers_to: r.get(8)?,
        extractor: r.get(9)?,
        selectors: r.get(10)?,
        title: r.get(11)?,
        kind: r.get(12)?,
    })
}

/// One site on the overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSummary {
    /// Host without `www.`.
    pub site: String,
    /// Records (pages and sub-resources).
    pub captures: i64,
    /// HTML page captures.
    pub pages: i64,
    /// Captures whose newest parse is an article, live blog, gallery or video.
    pub articles: i64,
    /// First capture (14 digits).
    pub first: String,
    /// Last capture (14 digits).
    pub last: String,
    /// Page captures per page kind (`not parsed` for pages without a parse).
    pub kinds: Vec<(String, i64)>,
    /// Article captures per UTC day (`yyyymmdd`), oldest first.
    pub days: Vec<(String, i64)>,
}

/// How `/cdx` matches its SURT key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CdxMatch {
    /// The SURT itself.
    Exact,
    /// Every SURT starting with the key.
    Prefix,
    /// The host key and its subdomains: `key)…` and `key,…`.
    Domain,
}

/// The SURT ranges `[a, b)` and `[c, d)` a CDX query covers (`a` alone for exact; an
/// empty second range unless domain), so the filter and the LIMIT both run in SQL.
fn surt_bounds(key: &str, mode: CdxMatch) -> [String; 4] {
    const TOP: char = '\u{10FFFF}';
    match mode {
        CdxMatch::Exact => [key.into(), String::new(), String::new(), String::new()],
        CdxMatch::Prefix => [
            key.into(),
            format!("{key}{TOP}"),
            String::new(),
            String::new(),
        ],
        CdxMatch::Domain => [
            format!("{key})"),
            format!("{key}){TOP}"),
            format!("{key},"),
            format!("{key},{TOP}"),
        ],
    }
}

/// The page-kind filter of the capture list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindFilter {
    /// Newest parse of this kind.
    Kind(PageKind),
    /// Pages without a parse.
    NotParsed,
}

/// The capture list of one site: filters and page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Host without `www.`.
    pub site: String,
    /// Captured at or after (14 digits).
    pub from: Option<String>,
    /// Captured at or before (14 digits, inclusive).
    pub to: Option<String>,
    /// Page kind.
    pub kind: Option<KindFilter>,
    /// Language tag or its primary subtag (`en` keeps `en-GB`); letters, digits and `-` only.
    pub language: Option<String>,
    /// Page number, from 0.
    pub page: usize,
    /// Rows per page.
    pub per_page: usize,
}

/// One page of the capture list.
#[derive(Debug, Clone, Default)]
pub struct ListPage {
    /// Captures, newest first.
    pub rows: Vec<CaptureRow>,
    /// Captures matching the filters.
    pub total: i64,
}

pub(super) fn files(conn: &Connection) -> rusqlite::Result<HashMap<i64, ArchiveFile>> {
    let mut stmt = conn.prepare("SELECT id, name, path FROM files")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            ArchiveFile {
                name: r.get(1)?,
                path: PathBuf::from(r.get::<_, String>(2)?),
            },
        ))
    })?;
    rows.collect()
}

impl Catalog {
    /// Every site, most captures first, with kinds and article days.
    pub fn sites(&self) -> Result<Vec<SiteSummary>, ServeError> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT site, captures, pages, articles, first, last FROM sites
                 ORDER BY captures DESC, site",
            )?;
            let mut sites: Vec<SiteSummary> = stmt
                .query_map([], |r| {
                    Ok(SiteSummary {
                        site: r.get(0)?,
                        captures: r.get(1)?,
                        pages: r.get(2)?,
                        articles: r.get(3)?,
                        first: r.get(4)?,
                        last: r.get(5)?,
                        kinds: Vec::new(),
                        days: Vec::new(),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let at: HashMap<String, usize> = sites
                .iter()
                .enumerate()
                .map(|(i, s)| (s.site.clone(), i))
                .collect();
            let mut k = c.prepare("SELECT site, kind, n FROM site_kinds ORDER BY n DESC")?;
            for row in k.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
                let (site, kind, n): (String, String, i64) = row?;
                if let Some(&i) = at.get(&site) {
                    sites[i].kinds.push((kind, n));
                }
            }
            let mut d = c.prepare("SELECT site, day, articles FROM site_days ORDER BY day")?;
            for row in d.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
                let (site, day, n): (String, String, i64) = row?;
                if let Some(&i) = at.get(&site) {
                    sites[i].days.push((day, n));
                }
            }
            Ok(sites)
        })
    }

    /// Conversion records the build could not read or that held no Article JSON (left out;
    /// `newsarc verify` says what is wrong with them).
    pub fn unreadable_parses(&self) -> Result<u64, ServeError> {
        self.with(|c| {
            c.query_row(
                "SELECT value FROM meta WHERE key = 'unreadable_parses'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .optional()
            .map(|v| v.unwrap_or(0).max(0) as u64)
        })
    }

    /// Does the catalogue hold captures of `site`?
    pub fn has_site(&self, site: &str) -> Result<bool, ServeError> {
        self.with(|c| {
            c.query_row("SELECT 1 FROM sites WHERE site = ?1", [site], |_| Ok(()))
                .optional()
                .map(|o| o.is_some())
        })
    }

    /// One page of a site's page captures, newest first.
    pub fn list(&self, q: &ListQuery) -> Result<ListPage, ServeError> {
        let mut clauses = vec!["site = ?".to_string(), "page = 1".to_string()];
        let mut args: Vec<Sql> = vec![Sql::Text(q.site.clone())];
        if let Some(f) = &q.from {
            clauses.push("ts >= ?".into());
            args.push(Sql::Text(f.clone()));
        }
        if let Some(t) = &q.to {
            clauses.push("ts <= ?".into());
            args.push(Sql::Text(t.clone()));
        }
        match q.kind {
            Some(KindFilter::Kind(k)) => {
                clauses.push("kind = ?".into());
                args.push(Sql::Text(k.name().into()));
            }
            Some(KindFilter::NotParsed) => clauses.push("kind IS NULL".into()),
            None => {}
        }
        if let Some(l) = &q.language {
            clauses.push("(lower(language) = ? OR lower(language) LIKE ?)".into());
            args.push(Sql::Text(l.to_ascii_lowercase()));
            args.push(Sql::Text(format!("{}-%", l.to_ascii_lowercase())));
        }
        let filter = clauses.join(" AND ");
        self.with(|c| {
            let total: i64 = c.query_row(
                &format!("SELECT count(*) FROM captures WHERE {filter}"),
                params_from_iter(args.iter()),
                |r| r.get(0),
            )?;
            let mut all = args.clone();
            all.push(Sql::Integer(q.per_page as i64));
            all.push(Sql::Integer((q.page * q.per_page) as i64));
            let mut stmt = c.prepare(&format!(
                "SELECT {CAPTURE_COLS} FROM captures WHERE {filter}
                 ORDER BY ts DESC, id DESC LIMIT ? OFFSET ?"
            ))?;
            let rows = stmt
                .query_map(params_from_iter(all.iter()), capture)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(ListPage { rows, total })
        })
    }

    /// Every capture of the URL with SURT key `surt` (any record type), oldest first, at
    /// most `limit`.
    pub fn captures_of(&self, surt: &str, limit: usize) -> Result<Vec<CaptureRow>, ServeError> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {CAPTURE_COLS} FROM captures WHERE surt = ?1 ORDER BY ts, id LIMIT ?2"
            ))?;
            stmt.query_map(params![surt, limit as i64], capture)?
                .collect()
        })
    }

    /// The capture with catalogue id `id`.
    pub fn capture(&self, id: i64) -> Result<Option<CaptureRow>, ServeError> {
        self.with(|c| {
            c.query_row(
                &format!("SELECT {CAPTURE_COLS} FROM captures WHERE id = ?1"),
                [id],
                capture,
            )
            .optional()
        })
    }

    /// The parses of capture `id`, oldest first.
    pub fn parses_of(&self, id: i64) -> Result<Vec<ParseInfo>, ServeError> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {PARSE_COLS} FROM parses WHERE capture = ?1 ORDER BY ts, id"
            ))?;
            stmt.query_map([id], parse)?.collect()
        })
    }

    /// Parses with these ids, each with its capture, in the order given.
    pub fn parses_with_captures(
        &self,
        ids: &[u64],
    ) -> Result<Vec<(ParseInfo, CaptureRow)>, ServeError> {
        self.with(|c| {
            let mut p = c.prepare(&format!("SELECT {PARSE_COLS} FROM parses WHERE id = ?1"))?;
            let mut k = c.prepare(&format!(
                "SELECT {CAPTURE_COLS} FROM captures WHERE id = ?1"
            ))?;
            let mut out = Vec::with_capacity(ids.len());
            for &id in ids {
                let Some(pi) = p.query_row([id as i64], parse).optional()? else {
                    continue;
                };
                let Some(cid) = pi.capture else { continue };
                if let Some(cap) = k.query_row([cid], capture).optional()? {
                    out.push((pi, cap));
                }
            }
            Ok(out)
        })
    }

    /// Captures whose SURT key starts with `prefix` (or equals it when `exact`), captured in
    /// `[from, to]` (14 digits, inclusive), oldest first, at most `limit`.
    pub fn cdx(
        &self,
        prefix: &str,
        mode: CdxMatch,
        from: Option<&str>,
        to: Option<&str>,
        limit: usize,
    ) -> Result<Vec<CaptureRow>, ServeError> {
        let [a, b, c, d] = surt_bounds(prefix, mode);
        let first = if mode == CdxMatch::Exact {
            "surt = ?1"
        } else {
            "(surt >= ?1 AND surt < ?2)"
        };
        self.with(|conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {CAPTURE_COLS} FROM captures
                 WHERE ({first} OR (surt >= ?6 AND surt < ?7)) AND ts >= ?3 AND ts <= ?4
                 ORDER BY surt, ts, id LIMIT ?5"
            ))?;
            stmt.query_map(
                params![
                    a,
                    b,
                    from.unwrap_or("0"),
                    to.unwrap_or("99999999999999"),
                    limit as i64,
                    c,
                    d
                ],
                capture,
            )?
            .collect()
        })
    }

    /// The record indexed at (`file`, `offset`): its length, if it is a capture or a parse.
    pub fn record_length(&self, file: i64, offset: i64) -> Result<Option<i64>, ServeError> {
        self.with(|c| {
            let cap = c
                .query_row(
                    "SELECT length FROM captures WHERE file = ?1 AND offset = ?2",
                    params![file, offset],
                    |r| r.get(0),
                )
                .optional()?;
            match cap {
                Some(l) => Ok(Some(l)),
                None => c
                    .query_row(
                        "SELECT length FROM parses WHERE file = ?1 AND offset = ?2",
                        params![file, offset],
                        |r| r.get(0),
                    )
                    .optional(),
            }
        })
    }

    /// Current parses (the newest of their capture) whose capture matches the list filters
    /// (`site` may be empty: every site), newest capture first.
    pub fn current_parses(
        &self,
        q: &ListQuery,
    ) -> Result<Vec<(ParseInfo, CaptureRow)>, ServeError> {
        let ids: Vec<u64> = {
            let mut clauses = vec!["parse IS NOT NULL".to_string()];
            let mut args: Vec<Sql> = Vec::new();
            if !q.site.is_empty() {
                clauses.push("site = ?".into());
                args.push(Sql::Text(q.site.clone()));
            }
            if let Some(f) = &q.from {
                clauses.push("ts >= ?".into());
                args.push(Sql::Text(f.clone()));
            }
            if let Some(t) = &q.to {
                clauses.push("ts <= ?".into());
                args.push(Sql::Text(t.clone()));
            }
            match q.kind {
                Some(KindFilter::Kind(k)) => {
                    clauses.push("kind = ?".into());
                    args.push(Sql::Text(k.name().into()));
                }
                // As in the site list: captures without a kind, i.e. none with a parse.
                Some(KindFilter::NotParsed) => clauses.push("kind IS NULL".into()),
                None => {}
            }
            if let Some(l) = &q.language {
                clauses.push("(lower(language) = ? OR lower(language) LIKE ?)".into());
                args.push(Sql::Text(l.to_ascii_lowercase()));
                args.push(Sql::Text(format!("{}-%", l.to_ascii_lowercase())));
            }
            args.push(Sql::Integer(q.per_page as i64));
            args.push(Sql::Integer((q.page * q.per_page) as i64));
            let sql = format!(
                "SELECT parse FROM captures WHERE {} ORDER BY ts DESC, id DESC LIMIT ? OFFSET ?",
                clauses.join(" AND ")
            );
            self.with(|c| {
                let mut stmt = c.prepare(&sql)?;
                stmt.query_map(params_from_iter(args.iter()), |r| r.get::<_, i64>(0))?
                    .map(|r| r.map(|v| v as u64))
                    .collect()
            })?
        };
        self.parses_with_captures(&ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// True when `surt` is in the ranges of [`surt_bounds`].
    fn in_bounds(surt: &str, key: &str, mode: CdxMatch) -> bool {
        let [a, b, c, d] = surt_bounds(key, mode);
        let first = if mode == CdxMatch::Exact {
            surt == a
        } else {
            surt >= a.as_str() && surt < b.as_str()
        };
        first || (surt >= c.as_str() && surt < d.as_str())
    }

    #[test]
    fn cdx_bounds_select_exactly_the_match() {
        use CdxMatch::*;
        let key = "com,example";
        for yes in ["com,example)/", "com,example)/news/1", "com,example,www)/"] {
            assert!(in_bounds(yes, key, Domain), "{yes}");
        }
        for no in [
            "com,example!)/",
            "com,example-news)/",
            "com,examplefoo)/",
            "com,exampl)/",
            "com,example",
        ] {
            assert!(!in_bounds(no, key, Domain), "{no}");
        }
        assert!(in_bounds("com,examplefoo)/", key, Prefix));
        assert!(!in_bounds("com,exampld)/", key, Prefix));
        assert!(in_bounds("com,example)/", "com,example)/", Exact));
        assert!(!in_bounds("com,example)/a", "com,example)/", Exact));
    }
}
