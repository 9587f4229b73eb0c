//! Relative dates ("3 hours ago", "vor 2 Tagen", "il y a 5 minutes", "hace 2 días"): an age
//! counted back from the capture time. Only ages that still name a calendar day count:
//! seconds, minutes, hours, "yesterday" and up to seven days; "2 weeks ago" or "a month ago"
//! name no day and give nothing.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use regex::Regex;

/// The longest text read as a relative date (a label may come first: "Updated 3 hours ago").
const MAX_LEN: usize = 48;

/// The oldest age that still names a day.
const MAX_DAYS: i64 = 7;

/// One pattern per language: the amount (a number or the word for one) and the unit.
static AGO: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // English: "3 hours ago", "an hour ago", "5 mins ago", "2h ago".
        // A word amount needs its space ("and ago" is not "an d ago").
        r"(?i)\b(\d{1,3}\s*|an?\s+|one\s+)(seconds?|secs?|minutes?|mins?|m|hours?|hrs?|h|days?|d)\s+ago\b",
        // German: "vor 2 Tagen", "vor einer Stunde".
        r"(?i)\bvor\s+(\d{1,3}|einer|einem|eine)\s+(sekunden?|minuten?|stunden?|tagen|tag)\b",
        // French: "il y a 5 minutes", "il y a une heure".
        r"(?i)\bil y a\s+(\d{1,3}|une?)\s+(secondes?|minutes?|heures?|jours?)\b",
        // Spanish: "hace 2 días"; Portuguese: "há 3 horas".
        r"(?i)\b(?:hace|há)\s+(\d{1,3}|una?|uma?)\s+(segundos?|minutos?|horas?|d[ií]as?)\b",
        // Italian: "3 ore fa", "un giorno fa".
        r"(?i)\b(\d{1,3}|una?|un)\s+(secondi|minut[oi]|ore|ora|giorni|giorno)\s+fa\b",
        // Dutch: "2 uur geleden", "een dag geleden".
        r"(?i)\b(\d{1,3}|een)\s+(seconden?|minuten?|uur|dagen|dag)\s+geleden\b",
    ]
    .iter()
    .filter_map(|p| Regex::new(p).ok())
    .collect()
});

/// The age a short text states ("3 hours ago" → 3 h; "yesterday" → 1 day), when it names a
/// calendar day (see the module docs).
pub fn age(text: &str) -> Option<Duration> {
    let t = text.trim();
    if t.is_empty() || t.len() > MAX_LEN {
        return None;
    }
    let low = t.to_lowercase();
    if [
        "yesterday",
        "gestern",
        "hier",
        "ayer",
        "ontem",
        "ieri",
        "gisteren",
    ]
    .iter()
    .any(|w| low == *w || low.starts_with(&format!("{w} ")) || low.starts_with(&format!("{w},")))
    {
        return Some(Duration::days(1));
    }
    let caps = AGO.iter().find_map(|re| re.captures(&low))?;
    let amount = match caps.get(1)?.as_str().trim() {
        n if n.starts_with(|c: char| c.is_ascii_digit()) => n.parse::<i64>().ok()?,
        _ => 1,
    };
    let unit = caps.get(2)?.as_str();
    let age = match unit.chars().next()? {
        // German "Stunden" are hours, not seconds.
        's' if unit.starts_with("st") => Duration::hours(amount),
        's' => Duration::seconds(amount),
        'm' => Duration::minutes(amount),
        'h' | 'u' | 'o' => Duration::hours(amount),
        'd' | 't' | 'j' | 'g' => Duration::days(amount),
        _ => return None,
    };
    (age <= Duration::days(MAX_DAYS)).then_some(age)
}

/// The time `age` before `captured`, in UTC.
pub fn before(captured: DateTime<Utc>, age: Duration) -> Option<DateTime<FixedOffset>> {
    let utc = FixedOffset::east_opt(0)?;
    captured
        .checked_sub_signed(age)
        .map(|t| t.with_timezone(&utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_in_several_languages() {
        let h = Duration::hours;
        for (text, want) in [
            ("3 hours ago", h(3)),
            ("Updated an hour ago", h(1)),
            ("5 mins ago", Duration::minutes(5)),
            ("2h ago", h(2)),
            ("vor 2 Tagen", Duration::days(2)),
            ("vor einer Stunde", h(1)),
            ("vor 3 Stunden", h(3)),
            ("il y a 5 minutes", Duration::minutes(5)),
            ("il y a une heure", h(1)),
            ("hace 2 días", Duration::days(2)),
            ("há 3 horas", h(3)),
            ("3 ore fa", h(3)),
            ("un giorno fa", Duration::days(1)),
            ("2 uur geleden", h(2)),
            ("Yesterday, 10:15", Duration::days(1)),
            ("gestern", Duration::days(1)),
        ] {
            assert_eq!(age(text), Some(want), "{text}");
        }
    }

    #[test]
    fn no_day_no_date() {
        for text in [
            "2 weeks ago",
            "a month ago",
            "9 days ago",
            "Sale ends in 3 days",
            "3 hours",
            "",
            "Yesterday's news and the week ahead: what the council decided on the bridge",
            "999 hours ago",
            "this and ago",
        ] {
            assert_eq!(age(text), None, "{text}");
        }
    }

    #[test]
    fn counted_back_from_the_capture() {
        let captured = DateTime::parse_from_rfc3339("2024-05-02T01:30:00Z")
            .map(|t| t.with_timezone(&Utc))
            .ok();
        let got = captured.and_then(|c| before(c, Duration::hours(3)));
        assert_eq!(
            got.map(|t| t.to_rfc3339()).as_deref(),
            Some("2024-05-01T22:30:00+00:00")
        );
    }
}
