//! Lenient date parsing for sitemap and feed dates.
//!
//! Sitemaps use W3C Datetime (`2024-05-01`, `2024-05-01T10:00+02:00`, ...), feeds use RFC 3339
//! (Atom, JSON Feed) or RFC 2822 (RSS 2.0), and the real web mixes all of them with a few
//! home-made variants (`2024-05-01 10:00:00`, no time zone, `GMT+2`). Everything here is pure:
//! no clock, no time zone database; a date without an offset is taken as UTC.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Parses a sitemap or feed date leniently; `None` when nothing sensible can be made of it.
///
/// Accepted: RFC 3339 / W3C Datetime (year, year-month, date, date+time with or without seconds,
/// fractions and offset), RFC 2822 / RFC 1123 (with a few common deviations: missing weekday,
/// wrong weekday, `UTC`/`Z` zone names, `GMT+hh:mm`), `YYYY-MM-DD hh:mm[:ss]`, and a Unix
/// timestamp in seconds. Dates outside the years 1990..=2200 are rejected as implausible.
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 80 {
        return None;
    }
    let parsed = parse_iso_like(s)
        .or_else(|| parse_rfc2822_like(s))
        .or_else(|| parse_unix(s))?;
    let year = chrono::Datelike::year(&parsed);
    (1990..=2200).contains(&year).then_some(parsed)
}

/// RFC 3339, W3C Datetime and `YYYY-MM-DD hh:mm:ss` variants.
fn parse_iso_like(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    let bytes = s.as_bytes();
    if bytes.len() < 4 || !bytes[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    // W3C reduced precision: YYYY, YYYY-MM, YYYY-MM-DD.
    match s.len() {
        4 => return date_utc(s.parse().ok()?, 1, 1),
        7 if bytes[4] == b'-' => return date_utc(s[..4].parse().ok()?, s[5..7].parse().ok()?, 1),
        10 => {
            let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
            return Some(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?));
        }
        _ => {}
    }
    // Normalise a space separator and a `UTC`/`GMT` suffix, then try with and without offset.
    let mut norm = s.replacen(' ', "T", 1);
    for suffix in [" UTC", " GMT", "UTC", "GMT"] {
        if let Some(stripped) = norm.strip_suffix(suffix) {
            norm = format!("{}Z", stripped.trim_end());
            break;
        }
    }
    // An offset written without a colon (`+0200`) or a missing seconds field (W3C allows it).
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(&norm, fmt) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    if let Some(no_z) = norm.strip_suffix('Z') {
        return naive_utc(no_z);
    }
    naive_utc(&norm)
}

/// A date-time without offset, taken as UTC.
fn naive_utc(s: &str) -> Option<DateTime<Utc>> {
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&n));
        }
    }
    None
}

fn date_utc(year: i32, month: u32, day: u32) -> Option<DateTime<Utc>> {
    let d = NaiveDate::from_ymd_opt(year, month, day)?;
    Some(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?))
}

/// RFC 2822 and its common deviations in RSS feeds.
fn parse_rfc2822_like(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.with_timezone(&Utc));
    }
    // Drop the weekday (often wrong or localised), which chrono would reject when it mismatches.
    let rest = match s.find(',') {
        Some(i) if i <= 10 => s[i + 1..].trim(),
        _ => s,
    };
    // Zone spellings chrono does not know.
    let mut norm = rest.to_string();
    for (from, to) in [
        (" UTC", " +0000"),
        (" Z", " +0000"),
        (" CEST", " +0200"),
        (" CET", " +0100"),
    ] {
        if let Some(stripped) = norm.strip_suffix(from) {
            norm = format!("{stripped}{to}");
        }
    }
    if let Some(i) = norm.find(" GMT+").or_else(|| norm.find(" GMT-")) {
        let offset = norm[i + 4..].replace(':', "");
        norm = format!("{} {offset}", &norm[..i]);
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(&norm) {
        return Some(dt.with_timezone(&Utc));
    }
    for fmt in [
        "%d %b %Y %H:%M:%S %z",
        "%d %b %Y %H:%M %z",
        "%d %B %Y %H:%M:%S %z",
    ] {
        if let Ok(dt) = DateTime::<FixedOffset>::parse_from_str(&norm, fmt) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    for fmt in ["%d %b %Y %H:%M:%S", "%d %b %Y %H:%M", "%d %b %Y"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(&norm, fmt) {
            return Some(Utc.from_utc_datetime(&n));
        }
        if let Ok(d) = NaiveDate::parse_from_str(&norm, fmt) {
            return Some(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?));
        }
    }
    None
}

/// A Unix timestamp in seconds (some JSON feeds and CMS exports use them).
fn parse_unix(s: &str) -> Option<DateTime<Utc>> {
    if s.len() < 9 || s.len() > 11 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    DateTime::from_timestamp(s.parse().ok()?, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        parse_date(s)
            .map(|d| d.to_rfc3339())
            .unwrap_or_else(|| "NONE".into())
    }

    #[test]
    fn w3c_datetime_variants() {
        assert_eq!(iso("2024"), "2024-01-01T00:00:00+00:00");
        assert_eq!(iso("2024-05"), "2024-05-01T00:00:00+00:00");
        assert_eq!(iso("2024-05-01"), "2024-05-01T00:00:00+00:00");
        assert_eq!(iso("2024-05-01T10:20+02:00"), "2024-05-01T08:20:00+00:00");
        assert_eq!(iso("2024-05-01T10:20:30Z"), "2024-05-01T10:20:30+00:00");
        assert_eq!(
            iso("2024-05-01T10:20:30.123+01:00"),
            "2024-05-01T09:20:30.123+00:00"
        );
        assert_eq!(
            iso(" 2024-05-01T10:20:30+0200 "),
            "2024-05-01T08:20:30+00:00"
        );
        assert_eq!(iso("2024-05-01 10:20:30"), "2024-05-01T10:20:30+00:00");
        assert_eq!(iso("2024-05-01T10:20:30"), "2024-05-01T10:20:30+00:00");
        assert_eq!(iso("2024-05-01 10:20:30 UTC"), "2024-05-01T10:20:30+00:00");
    }

    #[test]
    fn rfc2822_variants() {
        assert_eq!(
            iso("Wed, 01 May 2024 10:00:00 GMT"),
            "2024-05-01T10:00:00+00:00"
        );
        assert_eq!(
            iso("Wed, 01 May 2024 10:00:00 +0200"),
            "2024-05-01T08:00:00+00:00"
        );
        // Wrong weekday, missing weekday, UTC zone name, GMT+hh:mm.
        assert_eq!(
            iso("Mon, 01 May 2024 10:00:00 +0000"),
            "2024-05-01T10:00:00+00:00"
        );
        assert_eq!(iso("01 May 2024 10:00:00 UTC"), "2024-05-01T10:00:00+00:00");
        assert_eq!(
            iso("Wed, 01 May 2024 10:00:00 GMT+02:00"),
            "2024-05-01T08:00:00+00:00"
        );
        assert_eq!(iso("1 May 2024 10:00 CEST"), "2024-05-01T08:00:00+00:00");
    }

    #[test]
    fn garbage_and_implausible_dates_are_none() {
        for bad in [
            "",
            "yesterday",
            "not a date",
            "2024-13-45",
            "0001-01-01",
            "9999-12-31T00:00:00Z",
            "32 Foo 2024",
            "2024-05-01T25:61:00Z",
            &"9".repeat(500),
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn unix_seconds() {
        assert_eq!(iso("1714557600"), "2024-05-01T10:00:00+00:00");
    }
}
