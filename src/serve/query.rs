//! Query parameters of the pages and APIs, each read and checked here: a bad value gives a
//! [`BadParam`] naming the parameter, the value and what is expected (answered with a 400).

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::model::PageKind;
use crate::serve::catalog::KindFilter;

/// A query parameter that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad parameter {name}={value:?}: {expected}")]
pub struct BadParam {
    /// The parameter.
    pub name: String,
    /// Its value as given.
    pub value: String,
    /// What it should look like.
    pub expected: String,
}

fn bad(name: &str, value: &str, expected: impl Into<String>) -> BadParam {
    BadParam {
        name: name.to_string(),
        value: value.chars().take(200).collect(),
        expected: expected.into(),
    }
}

/// The deepest hit a search page may start at.
pub const MAX_SEARCH_OFFSET: usize = 10_000;

/// The decoded query string (the last value of a repeated name wins).
#[derive(Debug, Clone, Default)]
pub struct Params(HashMap<String, String>);

impl Params {
    /// Decode `application/x-www-form-urlencoded` text (`None`: no query).
    pub fn parse(raw: Option<&str>) -> Params {
        Params(
            url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The value of `name`, if present and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// A 1–14 digit timestamp or `YYYY-MM-DD[THH:MM:SS]` date, as the earliest 14-digit
    /// timestamp it names (`2024` → `20240101000000`).
    pub fn from_ts(&self, name: &str) -> Result<Option<String>, BadParam> {
        self.get(name).map(|v| ts_bound(name, v, false)).transpose()
    }

    /// Like [`Params::from_ts`], as the latest timestamp it names (`2024-05` →
    /// `20240531235959`-ish: the bound is inclusive).
    pub fn to_ts(&self, name: &str) -> Result<Option<String>, BadParam> {
        self.get(name).map(|v| ts_bound(name, v, true)).transpose()
    }

    /// A 1-based page number (default 1), returned 0-based.
    pub fn page(&self) -> Result<usize, BadParam> {
        match self.get("page") {
            None => Ok(0),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=1_000_000).contains(&n) => Ok(n - 1),
                _ => Err(bad("page", v, "a page number from 1 to 1000000")),
            },
        }
    }

    /// A 1-based page number (default 1) of `per_page` hits, returned 0-based, whose first
    /// hit is at most [`MAX_SEARCH_OFFSET`]: the full-text index reserves memory for every
    /// hit up to the page it returns.
    pub fn search_page(&self, per_page: usize) -> Result<usize, BadParam> {
        let page = self.page()?;
        let last = MAX_SEARCH_OFFSET / per_page.max(1) + 1;
        if page.saturating_mul(per_page) > MAX_SEARCH_OFFSET {
            let v = self.get("page").unwrap_or_default();
            return Err(bad(
                "page",
                v,
                format!(
                    "a page number from 1 to {last}: search shows the first \
                     {MAX_SEARCH_OFFSET} hits only, narrow the query (site=…) to see more"
                ),
            ));
        }
        Ok(page)
    }

    /// A count between 1 and `max` (default `default`).
    pub fn limit(&self, name: &str, default: usize, max: usize) -> Result<usize, BadParam> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(bad(name, v, format!("a whole number from 1 to {max}"))),
            },
        }
    }

    /// A page kind name or `not-parsed`.
    pub fn kind(&self) -> Result<Option<KindFilter>, BadParam> {
        let Some(v) = self.get("kind") else {
            return Ok(None);
        };
        if v == "not-parsed" {
            return Ok(Some(KindFilter::NotParsed));
        }
        PageKind::from_name(v)
            .map(|k| Some(KindFilter::Kind(k)))
            .ok_or_else(|| {
                bad(
                    "kind",
                    v,
                    format!(
                        "a page kind ({}) or not-parsed",
                        crate::export::filter::valid_kinds()
                    ),
                )
            })
    }

    /// A BCP 47 language tag (`en`, `pt-BR`).
    pub fn language(&self) -> Result<Option<String>, BadParam> {
        let Some(v) = self.get("lang") else {
            return Ok(None);
        };
        let mut parts = v.split('-');
        let primary = parts.next().unwrap_or_default();
        let ok = (2..=3).contains(&primary.len())
            && primary.bytes().all(|b| b.is_ascii_alphabetic())
            && parts.all(|p| {
                (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
            })
            && v.len() <= 35;
        if ok {
            Ok(Some(v.to_string()))
        } else {
            Err(bad("lang", v, "a language tag such as en or pt-BR"))
        }
    }

    /// A site: a host name without `www.` (letters, digits, `.`, `-`, `:` for a port).
    pub fn site(&self, name: &str) -> Result<Option<String>, BadParam> {
        self.get(name).map(|v| site(name, v)).transpose()
    }

    /// An absolute http(s) URL (required).
    pub fn url(&self) -> Result<String, BadParam> {
        let Some(v) = self.get("url") else {
            return Err(bad("url", "", "the URL of a capture (http:// or https://)"));
        };
        match url::Url::parse(v) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && v.len() <= 8192 => Ok(v.to_string()),
            _ => Err(bad("url", v, "an absolute http:// or https:// URL")),
        }
    }

    /// A 1–14 digit timestamp, as given.
    pub fn digits_ts(&self, name: &str) -> Result<Option<String>, BadParam> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if is_ts(v) => Ok(Some(v.to_string())),
            Some(v) => Err(bad(
                name,
                v,
                "a timestamp of 1 to 14 digits (yyyyMMddhhmmss)",
            )),
        }
    }

    /// A search query: 1 to 500 characters.
    pub fn search_text(&self) -> Result<String, BadParam> {
        match self.get("q").map(str::trim) {
            Some(q) if !q.is_empty() && q.chars().count() <= 500 => Ok(q.to_string()),
            Some(q) if !q.is_empty() => Err(bad("q", q, "at most 500 characters")),
            _ => Err(bad("q", "", "words to search for, e.g. q=election")),
        }
    }

    /// A parse number on the capture page (1-based), if given.
    pub fn parse_no(&self, name: &str) -> Result<Option<usize>, BadParam> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=100_000).contains(&n) => Ok(Some(n)),
                _ => Err(bad(name, v, "the number of a parse in the list, from 1")),
            },
        }
    }

    /// One of `choices` (default the first).
    pub fn choice<'a>(&self, name: &str, choices: &[&'a str]) -> Result<&'a str, BadParam> {
        match self.get(name) {
            None => Ok(choices[0]),
            Some(v) => choices
                .iter()
                .find(|c| **c == v)
                .copied()
                .ok_or_else(|| bad(name, v, format!("one of {}", choices.join(", ")))),
        }
    }
}

/// True for 1 to 14 ASCII digits.
pub fn is_ts(v: &str) -> bool {
    (1..=14).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit())
}

/// Check a site name.
pub fn site(name: &str, v: &str) -> Result<String, BadParam> {
    let v = v.trim().to_ascii_lowercase();
    let v = v.strip_prefix("www.").unwrap_or(&v).to_string();
    let ok = !v.is_empty()
        && v.len() <= 260
        && !v.contains("..")
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if ok {
        Ok(v)
    } else {
        Err(bad(name, &v, "a host name such as example.com"))
    }
}

/// The earliest (or latest, `upper`) 14-digit timestamp a date names.
fn ts_bound(name: &str, v: &str, upper: bool) -> Result<String, BadParam> {
    let expected =
        "a date such as 2024-05-03 (or 2024-05, 2024, 2024-05-03T10:00:00) or 1 to 14 digits";
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
    let seps_ok = v
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | 'T' | ' ' | 'Z'));
    if !seps_ok
        || !is_ts(&digits)
        || (digits.len() % 2 == 1 && digits.len() > 4)
        || digits.len() < 4
    {
        return Err(bad(name, v, expected));
    }
    let low = format!("{digits}{}", &"00000101000000"[digits.len()..]);
    if NaiveDateTime::parse_from_str(&low, "%Y%m%d%H%M%S").is_err() {
        return Err(bad(name, v, expected));
    }
    if upper {
        Ok(format!("{digits}{}", &"99991231235959"[digits.len()..]))
    } else {
        Ok(low)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(q: &str) -> Params {
        Params::parse(Some(q))
    }

    #[test]
    fn dates_become_bounds_and_bad_dates_are_named() {
        let q = p("from=2024-05-03&to=2024-05&x=2024-13-01&y=yesterday&z=20240230");
        assert_eq!(q.from_ts("from").unwrap().unwrap(), "20240503000000");
        assert_eq!(q.to_ts("to").unwrap().unwrap(), "20240531235959");
        let e = q.from_ts("x").unwrap_err();
        assert_eq!(e.name, "x");
        assert!(e.to_string().contains("2024-13-01"), "{e}");
        assert!(q.from_ts("y").is_err());
        assert!(q.from_ts("z").is_err(), "30 February");
        assert_eq!(q.from_ts("missing").unwrap(), None);
    }

    #[test]
    fn page_kind_language_site_url() {
        assert_eq!(p("page=3").page().unwrap(), 2);
        assert_eq!(p("page=501").search_page(20).unwrap(), 500);
        let e = p("page=502").search_page(20).unwrap_err();
        assert!(e.to_string().contains("1 to 501"), "{e}");
        assert!(p("page=1000000").search_page(20).is_err());
        assert_eq!(p("").search_page(20).unwrap(), 0);
        assert!(p("page=0").page().is_err());
        assert!(p("page=-1").page().is_err());
        assert_eq!(
            p("kind=liveblog").kind().unwrap(),
            Some(KindFilter::Kind(PageKind::Liveblog))
        );
        assert_eq!(
            p("kind=not-parsed").kind().unwrap(),
            Some(KindFilter::NotParsed)
        );
        assert!(p("kind=blog").kind().is_err());
        assert_eq!(p("lang=pt-BR").language().unwrap().unwrap(), "pt-BR");
        assert!(p("lang=en%25").language().is_err());
        assert_eq!(
            p("site=www.BBC.com").site("site").unwrap().unwrap(),
            "bbc.com"
        );
        assert!(p("site=../etc").site("site").is_err());
        assert!(p("url=file:///etc/passwd").url().is_err());
        assert!(p("").url().is_err());
        assert!(p("q=").search_text().is_err());
        assert!(p("limit=0").limit("limit", 10, 100).is_err());
        assert_eq!(
            p("output=json")
                .choice("output", &["cdxj", "json"])
                .unwrap(),
            "json"
        );
        assert!(p("output=xml").choice("output", &["cdxj", "json"]).is_err());
    }
}
