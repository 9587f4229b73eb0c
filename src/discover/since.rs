//! The `--since` date window and `--interval`-style spans: parsing (`2d`, `12h`, `90m`,
//! `2024-05-01`, RFC 3339) and filtering + ordering discovered URLs newest first.
//!
//! Pure: the current time is passed in, never read from a clock here.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::dates::parse_date;
use super::seed::DiscoveredUrl;

/// A `--since` value as written: relative to "now", or an absolute instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// `2d`, `12h`, `30m`, `1w`: that long before the time the window is made.
    Ago(Duration),
    /// `2024-05-01` (midnight UTC) or an RFC 3339 date-time.
    At(DateTime<Utc>),
}

/// A `--since` or `--interval` value that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SinceError {
    /// Neither a span nor a date.
    #[error("{value:?} is not a span (2d, 12h, 30m, 1w) or a date (2024-05-01, RFC 3339)")]
    Invalid {
        /// The value given.
        value: String,
    },
    /// A span of zero length, or too long to represent.
    #[error("{value:?} is not a usable span: it must be more than 0 and less than 100 years")]
    OutOfRange {
        /// The value given.
        value: String,
    },
    /// The start of the window lies after "now".
    #[error("--since {value:?} is in the future")]
    InFuture {
        /// The value given.
        value: String,
    },
}

/// Parses a span: a sequence of `<number><unit>` with units `s`, `m`, `h`, `d`, `w`
/// (`15m`, `1h30m`, `2d`). A bare number is rejected (ambiguous).
pub fn parse_span(value: &str) -> Result<Duration, SinceError> {
    let s = value.trim().to_ascii_lowercase();
    let invalid = || SinceError::Invalid {
        value: value.to_string(),
    };
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit: u64 = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 7 * 86_400,
            _ => return Err(invalid()),
        };
        let n: u64 = digits.parse().map_err(|_| invalid())?;
        digits.clear();
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| SinceError::OutOfRange {
                value: value.to_string(),
            })?;
    }
    if !digits.is_empty() {
        return Err(invalid());
    }
    if total == 0 || total > 100 * 366 * 86_400 {
        return Err(SinceError::OutOfRange {
            value: value.to_string(),
        });
    }
    Ok(Duration::from_secs(total))
}

impl std::str::FromStr for Since {
    type Err = SinceError;

    /// Parses `2d` / `12h` / `2024-05-01` / `2024-05-01T10:00:00+02:00`.
    fn from_str(value: &str) -> Result<Self, SinceError> {
        let v = value.trim();
        if v.starts_with(|c: char| c.is_ascii_digit())
            && v.ends_with(|c: char| "smhdwSMHDW".contains(c))
            && let Ok(span) = parse_span(v)
        {
            return Ok(Since::Ago(span));
        }
        // A date: at least YYYY-MM-DD (a bare year or year-month is more likely a typo).
        if v.len() >= 10
            && let Some(at) = parse_date(v)
        {
            return Ok(Since::At(at));
        }
        match parse_span(v) {
            Err(e @ SinceError::OutOfRange { .. }) => Err(e),
            _ => Err(SinceError::Invalid {
                value: value.to_string(),
            }),
        }
    }
}

/// The window discovered URLs must fall into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateWindow {
    /// Entries published or modified at or after this instant are kept.
    pub start: DateTime<Utc>,
    /// Drop entries that carry no date at all (default: keep them, after the dated ones).
    pub strict: bool,
}

impl DateWindow {
    /// The window for `since` as seen at `now`.
    pub fn new(since: Since, now: DateTime<Utc>, strict: bool) -> Result<Self, SinceError> {
        let start = match since {
            Since::At(at) => at,
            Since::Ago(span) => {
                let span =
                    chrono::Duration::from_std(span).map_err(|_| SinceError::OutOfRange {
                        value: format!("{span:?}"),
                    })?;
                now.checked_sub_signed(span)
                    .ok_or_else(|| SinceError::OutOfRange {
                        value: format!("{span:?}"),
                    })?
            }
        };
        if start > now {
            return Err(SinceError::InFuture {
                value: start.to_rfc3339(),
            });
        }
        Ok(DateWindow { start, strict })
    }

    /// Whether an entry with this date (see [`DiscoveredUrl::date`]) is in the window.
    pub fn admits(&self, date: Option<DateTime<Utc>>) -> bool {
        match date {
            Some(d) => d >= self.start,
            None => !self.strict,
        }
    }
}

/// Orders discovered URLs newest first (by [`DiscoveredUrl::date`]); undated ones follow in
/// their original order. With a window, entries outside it are removed; returns how many.
pub fn filter_and_order(seeds: &mut Vec<DiscoveredUrl>, window: Option<&DateWindow>) -> u64 {
    let before = seeds.len();
    if let Some(w) = window {
        seeds.retain(|s| w.admits(s.date()));
    }
    // Stable sort: equal keys (and all undated entries) keep their order.
    seeds.sort_by_key(|s| std::cmp::Reverse(s.date()));
    (before - seeds.len()) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::seed::SeedSource;
    use url::Url;

    fn now() -> DateTime<Utc> {
        "2024-05-10T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn spans() {
        assert_eq!(parse_span("15m").unwrap(), Duration::from_secs(900));
        assert_eq!(parse_span("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_span(" 2D ").unwrap(), Duration::from_secs(172_800));
        assert_eq!(parse_span("1w").unwrap(), Duration::from_secs(604_800));
        assert_eq!(parse_span("90s").unwrap(), Duration::from_secs(90));
        for bad in ["", "15", "m", "15x", "1.5h", "-2d", "h1"] {
            assert!(
                matches!(parse_span(bad), Err(SinceError::Invalid { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            parse_span("0m"),
            Err(SinceError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_span("99999999999999999999w"),
            Err(SinceError::Invalid { .. })
        ));
        assert!(matches!(
            parse_span("999999999999w"),
            Err(SinceError::OutOfRange { .. })
        ));
    }

    #[test]
    fn since_values() {
        let w = |s: &str| {
            DateWindow::new(s.parse().unwrap(), now(), false)
                .unwrap()
                .start
                .to_rfc3339()
        };
        assert_eq!(w("2d"), "2024-05-08T12:00:00+00:00");
        assert_eq!(w("12h"), "2024-05-10T00:00:00+00:00");
        assert_eq!(w("2024-05-01"), "2024-05-01T00:00:00+00:00");
        assert_eq!(w("2024-05-01T10:00:00+02:00"), "2024-05-01T08:00:00+00:00");
        for bad in ["yesterday", "2024", "", "2d ago", "2024-02-30"] {
            let err = bad.parse::<Since>().unwrap_err();
            assert!(err.to_string().contains(bad), "{err}");
        }
        let future = "2030-01-01".parse::<Since>().unwrap();
        assert!(matches!(
            DateWindow::new(future, now(), false),
            Err(SinceError::InFuture { .. })
        ));
    }

    fn seed(path: &str, published: Option<&str>, modified: Option<&str>) -> DiscoveredUrl {
        let d = |s: Option<&str>| s.map(|s| s.parse::<DateTime<Utc>>().unwrap());
        DiscoveredUrl {
            url: Url::parse("https://example.com/")
                .unwrap()
                .join(path)
                .unwrap(),
            published: d(published),
            modified: d(modified),
            title: None,
            source: SeedSource::Feed,
            via: Url::parse("https://example.com/feed").unwrap(),
        }
    }

    fn paths(seeds: &[DiscoveredUrl]) -> Vec<&str> {
        seeds.iter().map(|s| s.url.path()).collect()
    }

    #[test]
    fn filter_and_order_newest_first() {
        let all = vec![
            seed("/undated-1", None, None),
            seed("/old", Some("2024-04-01T00:00:00Z"), None),
            seed(
                "/old-but-updated",
                Some("2024-04-01T00:00:00Z"),
                Some("2024-05-09T00:00:00Z"),
            ),
            seed("/new", Some("2024-05-10T06:00:00Z"), None),
            seed("/undated-2", None, None),
            seed("/mid", None, Some("2024-05-09T12:00:00Z")),
        ];
        let mut v = all.clone();
        assert_eq!(filter_and_order(&mut v, None), 0);
        assert_eq!(
            paths(&v),
            [
                "/new",
                "/mid",
                "/old-but-updated",
                "/old",
                "/undated-1",
                "/undated-2"
            ]
        );

        let window = DateWindow::new("2d".parse().unwrap(), now(), false).unwrap();
        let mut v = all.clone();
        assert_eq!(filter_and_order(&mut v, Some(&window)), 1);
        assert_eq!(
            paths(&v),
            [
                "/new",
                "/mid",
                "/old-but-updated",
                "/undated-1",
                "/undated-2"
            ]
        );

        let strict = DateWindow {
            strict: true,
            ..window
        };
        let mut v = all;
        assert_eq!(filter_and_order(&mut v, Some(&strict)), 3);
        assert_eq!(paths(&v), ["/new", "/mid", "/old-but-updated"]);
    }
}
