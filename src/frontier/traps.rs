//! Crawler-trap detection: very long URLs, deep or repeating paths, calendars running into the
//! far past or future, and (with a counter kept by the frontier) endless URL families such as
//! calendar pages that differ only in their numbers.

use url::Url;

pub use crate::config::TrapRules;

/// Why a URL was classified as a trap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrapReason {
    /// Longer than `max_url_len`.
    TooLong,
    /// More than `max_segments` path segments.
    TooDeep,
    /// A segment or run of segments repeats (`/a/b/a/b/a/b/`).
    RepeatingPath,
    /// A date far in the future or past (calendar trap).
    CalendarRange,
    /// Too many URLs with the same calendar-like pattern on one host.
    PatternBudget,
}

impl TrapReason {
    /// A short label for logs and the summary.
    pub fn label(self) -> &'static str {
        match self {
            TrapReason::TooLong => "trap: URL too long",
            TrapReason::TooDeep => "trap: path too deep",
            TrapReason::RepeatingPath => "trap: repeating path",
            TrapReason::CalendarRange => "trap: calendar date out of range",
            TrapReason::PatternBudget => "trap: calendar pattern budget",
        }
    }
}

/// Checks that need only the URL itself (and the current year, passed in: no clock here).
pub fn static_trap(url: &Url, rules: &TrapRules, current_year: i32) -> Option<TrapReason> {
    if url.as_str().len() > rules.max_url_len {
        return Some(TrapReason::TooLong);
    }
    let segs: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|x| !x.is_empty()).collect())
        .unwrap_or_default();
    if segs.len() > rules.max_segments {
        return Some(TrapReason::TooDeep);
    }
    if repeats(&segs) > rules.max_repeats {
        return Some(TrapReason::RepeatingPath);
    }
    if calendar_pattern(url).is_some() {
        for year in years_in(url) {
            if year > current_year + rules.future_years || year < rules.min_year {
                return Some(TrapReason::CalendarRange);
            }
        }
    }
    None
}

/// The largest number of consecutive repetitions of any run of 1..=3 segments, or of a single
/// segment anywhere in the path.
fn repeats(segs: &[&str]) -> usize {
    let mut best = 1;
    for s in segs {
        let n = segs.iter().filter(|x| *x == s).count();
        best = best.max(n);
    }
    for width in 2..=3 {
        let mut i = 0;
        while i + width <= segs.len() {
            let mut n = 1;
            let mut j = i + width;
            while j + width <= segs.len() && segs[j..j + width] == segs[i..i + width] {
                n += 1;
                j += width;
            }
            best = best.max(n);
            i += 1;
        }
    }
    best
}

/// Four-digit numbers 1900..=2099 standing alone in the path or query (`/2024/05/`,
/// `?month=2024-05`, `date=20240501`): the years a calendar-like URL points at.
fn years_in(url: &Url) -> Vec<i32> {
    let mut out = Vec::new();
    let text = format!("{}?{}", url.path(), url.query().unwrap_or(""));
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let run = &text[start..i];
            // A run of 4 (yyyy) or 8 (yyyymmdd) digits starting with 19 or 20.
            if (run.len() == 4 || run.len() == 8)
                && (run.starts_with("19") || run.starts_with("20"))
                && let Ok(y) = run[..4].parse::<i32>()
            {
                out.push(y);
            }
        } else {
            i += 1;
        }
    }
    out
}

const CALENDAR_WORDS: &[&str] = &[
    "calendar", "date", "day", "month", "year", "week", "event", "archive",
];

/// For calendar-like URLs (a calendar word and a number in the path or query), the URL with
/// every digit run replaced by `N`: the frontier counts URLs per (host, pattern) and refuses
/// more than `max_per_pattern`. Other URLs return `None` (article ids are not limited).
pub fn calendar_pattern(url: &Url) -> Option<String> {
    let text = format!("{}?{}", url.path(), url.query().unwrap_or("")).to_ascii_lowercase();
    if !text.bytes().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if !CALENDAR_WORDS.iter().any(|w| text.contains(w)) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut in_digits = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('N');
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Option<TrapReason> {
        let u = Url::parse(s).unwrap();
        static_trap(&u, &TrapRules::default(), 2026)
    }

    #[test]
    fn long_and_deep() {
        let long = format!("https://x.org/{}", "a".repeat(3000));
        assert_eq!(t(&long), Some(TrapReason::TooLong));
        let deep = format!(
            "https://x.org/{}",
            (0..30).map(|i| format!("s{i}/")).collect::<String>()
        );
        assert_eq!(t(&deep), Some(TrapReason::TooDeep));
        assert_eq!(t("https://x.org/news/2025/05/01/story"), None);
    }

    #[test]
    fn repeating_segments() {
        assert_eq!(
            t("https://x.org/a/a/a/a/x"),
            Some(TrapReason::RepeatingPath)
        );
        assert_eq!(
            t("https://x.org/a/b/a/b/a/b/a/b/"),
            Some(TrapReason::RepeatingPath)
        );
        assert_eq!(t("https://x.org/a/b/a/b/"), None);
    }

    #[test]
    fn calendar_range() {
        assert_eq!(
            t("https://x.org/calendar/2031/01"),
            Some(TrapReason::CalendarRange)
        );
        assert_eq!(
            t("https://x.org/cal?date=19500101"),
            Some(TrapReason::CalendarRange)
        );
        assert_eq!(t("https://x.org/calendar/2027/01"), None);
        assert_eq!(t("https://x.org/article/123456"), None);
        assert_eq!(t("https://x.org/cp1252"), None);
        assert_eq!(t("https://x.org/history/1950-election"), None);
        assert_eq!(
            t("https://x.org/events/1950/01"),
            Some(TrapReason::CalendarRange)
        );
    }

    #[test]
    fn calendar_patterns() {
        let p = |s: &str| calendar_pattern(&Url::parse(s).unwrap());
        assert_eq!(
            p("https://x.org/calendar/2024/05"),
            Some("/calendar/N/N?".to_string())
        );
        assert_eq!(
            p("https://x.org/calendar/2024/05"),
            p("https://x.org/calendar/1999/12")
        );
        assert_eq!(p("https://x.org/article/123"), None);
        assert_eq!(p("https://x.org/calendar/"), None);
    }
}
