//! Date parsing for the formats real sites print: ISO 8601 with or without offset, RFC 2822,
//! Unix seconds (or milliseconds), numeric `22.06.2023` / `2023/06/22` / `06/22/2023`, and
//! textual dates with month names in English, German, French, Spanish, Italian, Portuguese and
//! Dutch. Values without an offset are taken as UTC (`+00:00`).

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use regex::Regex;

use super::literal_regex::literal;

/// Earliest and latest years accepted as a plausible publication date.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

// Static patterns: immutable, compiled once; the literals are covered by the tests below.
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    literal(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?",
    )
});
static YMD: LazyLock<Regex> =
    LazyLock::new(|| literal(r"\b(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})\b"));
static DMY: LazyLock<Regex> =
    LazyLock::new(|| literal(r"\b(\d{1,2})([./\-]| \| |\.\s)(\d{1,2})([./\-]| \| |\.\s)(\d{4})\b"));
static DMY2: LazyLock<Regex> =
    LazyLock::new(|| literal(r"(?:^|[^\d.])(\d{1,2})\.(\d{1,2})\.(\d{2})(?:$|[^\d.])"));
static TEXT_DMY: LazyLock<Regex> = LazyLock::new(|| {
    literal(
        r"\b(\d{1,2})(?:st|nd|rd|th|er|º|°)?\.?\s*(?:de\s+)?([a-z\p{Cyrillic}]{3,10})\.?,?\s+(?:de\s+)?(\d{4})\b",
    )
});
static TEXT_MDY: LazyLock<Regex> =
    LazyLock::new(|| literal(r"\b([a-z]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"));
static TIME: LazyLock<Regex> =
    LazyLock::new(|| literal(r"\b(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"));
static URL_DATE: LazyLock<Regex> =
    LazyLock::new(|| literal(r"/((?:19|20)\d{2})[/\-_]?([01]\d)[/\-_]?([0-3]\d)(?:[/\-_.]|$)"));

/// Month names and abbreviations (accents removed, lower case) → month number.
/// True when `word` names a month in one of the languages dates are read in ("March", "Mär.").
pub fn is_month_name(word: &str) -> bool {
    month(fold(word).trim_end_matches('.')).is_some()
}

fn month(word: &str) -> Option<u32> {
    let m = match word {
        "january" | "jan" | "januar" | "janvier" | "janv" | "enero" | "ene" | "gennaio" | "gen"
        | "janeiro" | "januari" | "jänner" | "janner" => 1,
        "february" | "feb" | "februar" | "fevrier" | "fev" | "fevr" | "febrero" | "febbraio"
        | "fevereiro" | "februari" | "feber" => 2,
        "march" | "mar" | "marz" | "maerz" | "mars" | "marzo" | "marco" | "maart" | "mrt" => 3,
        "april" | "apr" | "avril" | "avr" | "abril" | "abr" | "aprile" => 4,
        "may" | "mai" | "mayo" | "maggio" | "mag" | "maio" | "mei" => 5,
        "june" | "jun" | "juni" | "juin" | "junio" | "giugno" | "giu" | "junho" => 6,
        "july" | "jul" | "juli" | "juillet" | "juil" | "julio" | "luglio" | "lug" | "julho" => 7,
        "august" | "aug" | "aout" | "agosto" | "ago" | "augustus" => 8,
        "september" | "sep" | "sept" | "septembre" | "septiembre" | "setiembre" | "settembre"
        | "set" | "setembro" => 9,
        "october" | "oct" | "oktober" | "okt" | "octobre" | "octubre" | "ottobre" | "ott"
        | "outubro" | "out" => 10,
        "november" | "nov" | "novembre" | "noviembre" | "novembro" => 11,
        "december" | "dec" | "dez" | "dezember" | "decembre" | "diciembre" | "dic" | "dicembre"
        | "dezembro" => 12,
        _ => return cyrillic_month(word),
    };
    Some(m)
}

/// Russian / Ukrainian month names (nominative and genitive) → month number.
fn cyrillic_month(word: &str) -> Option<u32> {
    const STEMS: [(&str, u32); 23] = [
        ("январ", 1),
        ("феврал", 2),
        ("март", 3),
        ("апрел", 4),
        ("июн", 6),
        ("июл", 7),
        ("август", 8),
        ("сентябр", 9),
        ("октябр", 10),
        ("ноябр", 11),
        ("декабр", 12),
        ("січ", 1),
        ("лют", 2),
        ("берез", 3),
        ("квіт", 4),
        ("трав", 5),
        ("черв", 6),
        ("лип", 7),
        ("серп", 8),
        ("верес", 9),
        ("жовт", 10),
        ("листопад", 11),
        ("груд", 12),
    ];
    if word == "мая" || word == "май" {
        return Some(5);
    }
    STEMS
        .iter()
        .find(|(stem, _)| {
            word.starts_with(stem) && word.chars().count() <= stem.chars().count() + 3
        })
        .map(|(_, m)| *m)
}

/// Lower-case `s` and drop the accents of the letters month names use.
fn fold(s: &str) -> String {
    s.chars()
        .flat_map(|c| c.to_lowercase())
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'û' | 'ù' | 'ü' | 'ú' => 'u',
            'à' | 'â' | 'á' | 'ã' | 'ä' => 'a',
            'ç' => 'c',
            'ô' | 'ó' | 'ö' => 'o',
            'í' | 'î' => 'i',
            'ё' => 'е',
            c => c,
        })
        .collect()
}

fn utc() -> FixedOffset {
    chrono::Offset::fix(&chrono::Utc)
}

fn make(date: NaiveDate, time: NaiveTime, off: FixedOffset) -> Option<DateTime<FixedOffset>> {
    if !YEARS.contains(&chrono::Datelike::year(&date)) {
        return None;
    }
    off.from_local_datetime(&NaiveDateTime::new(date, time))
        .single()
}

fn parse_offset(s: &str) -> Option<FixedOffset> {
    if s == "Z" {
        return Some(utc());
    }
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let digits: String = s[1..].chars().filter(char::is_ascii_digit).collect();
    let h: i32 = digits.get(0..2)?.parse().ok()?;
    let m: i32 = digits.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn time_in(s: &str) -> NaiveTime {
    let midnight = NaiveTime::MIN;
    let Some(c) = TIME.captures(s) else {
        return midnight;
    };
    let mut h: u32 = c[1].parse().unwrap_or(0);
    let m: u32 = c[2].parse().unwrap_or(0);
    let sec: u32 = c.get(3).and_then(|x| x.as_str().parse().ok()).unwrap_or(0);
    match c.get(4).map(|x| x.as_str().starts_with('p')) {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    NaiveTime::from_hms_opt(h, m, sec).unwrap_or(midnight)
}

/// Parse a date as found in metadata or page text. `None` when nothing plausible is found.
pub fn parse_date(raw: &str) -> Option<DateTime<FixedOffset>> {
    parse_date_in(raw, SlashOrder::MonthFirst)
}

/// [`parse_date`] with the page's reading of ambiguous slash dates.
pub fn parse_date_in(raw: &str, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return YEARS.contains(&chrono::Datelike::year(&d)).then_some(d);
    }
    if let Some(c) = ISO.captures(s) {
        let date =
            NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
        let time = match (c.get(4), c.get(5)) {
            (Some(h), Some(m)) => NaiveTime::from_hms_opt(
                h.as_str().parse().ok()?,
                m.as_str().parse().ok()?,
                c.get(6).and_then(|x| x.as_str().parse().ok()).unwrap_or(0),
            )?,
            _ => NaiveTime::MIN,
        };
        let off = c
            .get(7)
            .and_then(|o| parse_offset(o.as_str()))
            .unwrap_or_else(utc);
        return make(date, time, off);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return YEARS.contains(&chrono::Datelike::year(&d)).then_some(d);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && (9..=13).contains(&s.len()) {
        let n: i64 = s.parse().ok()?;
        let secs = if s.len() >= 12 { n / 1000 } else { n };
        let d = DateTime::from_timestamp(secs, 0)?.with_timezone(&utc());
        return YEARS.contains(&chrono::Datelike::year(&d)).then_some(d);
    }
    parse_loose_in(s, order)
}

/// How to read a numeric date with slashes whose two first parts are both ≤ 12 (`03/05/2022`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlashOrder {
    /// `MM/DD/YYYY`, the US convention (the default when the page's language is unknown, plain
    /// English, or the English of the US, Canada or the Philippines).
    #[default]
    MonthFirst,
    /// `DD/MM/YYYY`, as written in most other languages and regions.
    DayFirst,
}

impl SlashOrder {
    /// The order used by pages in language `lang` (a BCP 47 tag such as `pt-BR` or `en-GB`).
    pub fn for_language(lang: Option<&str>) -> Self {
        let Some(tag) = lang.map(|l| l.trim().to_ascii_lowercase().replace('_', "-")) else {
            return SlashOrder::MonthFirst;
        };
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or_default();
        // The region follows an optional four-letter script subtag (`en-Latn-US`).
        let region = parts.find(|p| p.len() != 4);
        match (primary, region) {
            ("", _) => SlashOrder::MonthFirst,
            ("en", None | Some("us" | "ph" | "ca")) => SlashOrder::MonthFirst,
            _ => SlashOrder::DayFirst,
        }
    }
}

/// Find a date anywhere inside free text ("Published on June 22, 2023 at 10:35 am"), reading
/// `03/05/2022` month first (see [`parse_loose_in`]).
pub fn parse_loose(s: &str) -> Option<DateTime<FixedOffset>> {
    parse_loose_in(s, SlashOrder::MonthFirst)
}

/// [`parse_loose`] with the page's reading of ambiguous slash dates.
pub fn parse_loose_in(s: &str, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    // Every form needs a day or a year in ASCII digits (other digits fail to parse below):
    // most texts of a page have none and stop here, unallocated.
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let f = fold(s);
    let mut best: Option<(usize, NaiveDate, usize)> = None;
    fn consider(
        best: &mut Option<(usize, NaiveDate, usize)>,
        pos: usize,
        date: Option<NaiveDate>,
        end: usize,
    ) {
        if let Some(d) = date
            && best.as_ref().is_none_or(|b| pos < b.0)
        {
            *best = Some((pos, d, end));
        }
    }
    if let Some(c) = YMD.captures(&f) {
        let d = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        let m = c.get(0)?;
        consider(&mut best, m.start(), d, m.end());
    }
    if let Some(c) = DMY.captures(&f) {
        let a: u32 = c[1].parse().ok()?;
        let b: u32 = c[3].parse().ok()?;
        let y: i32 = c[5].parse().ok()?;
        let month_first = &c[2] == "/" && order == SlashOrder::MonthFirst;
        let (d, m) = if a > 12 || (!month_first && b <= 12) {
            (a, b)
        } else {
            (b, a)
        };
        let m0 = c.get(0)?;
        consider(
            &mut best,
            m0.start(),
            NaiveDate::from_ymd_opt(y, m, d),
            m0.end(),
        );
    }
    for c in TEXT_DMY.captures_iter(&f) {
        if let Some(mo) = month(&c[2]) {
            let m0 = c.get(0)?;
            let d = NaiveDate::from_ymd_opt(c[3].parse().ok()?, mo, c[1].parse().ok()?);
            consider(&mut best, m0.start(), d, m0.end());
            break;
        }
    }
    for c in TEXT_MDY.captures_iter(&f) {
        if let Some(mo) = month(&c[1]) {
            let m0 = c.get(0)?;
            let d = NaiveDate::from_ymd_opt(c[3].parse().ok()?, mo, c[2].parse().ok()?);
            consider(&mut best, m0.start(), d, m0.end());
            break;
        }
    }
    if best.is_none()
        && f.chars().count() <= 60
        && let Some(c) = DMY2.captures(&f)
    {
        let y = 2000 + c[3].parse::<i32>().ok()?;
        let m0 = c.get(0)?;
        consider(
            &mut best,
            m0.start(),
            NaiveDate::from_ymd_opt(y, c[2].parse().ok()?, c[1].parse().ok()?),
            m0.end(),
        );
    }
    let (_, date, end) = best?;
    let time = time_in(f.get(end..).unwrap_or(""));
    make(date, time, utc())
}

/// Re-express a UTC timestamp `t` in the page's local offset when the page itself shows the
/// local calendar day `shown` (a visible dateline or `<time>`): feeds often store
/// `2022-11-06T23:00Z` for an article the site dates 7 November. The instant is unchanged; the
/// offset is the smallest whole-hour shift (-12h..=+14h) that lands on `shown`. `None` when `t`
/// is not UTC or no such offset exists.
pub fn localize_utc(t: DateTime<FixedOffset>, shown: NaiveDate) -> Option<DateTime<FixedOffset>> {
    if t.offset().local_minus_utc() != 0 || t.date_naive() == shown {
        return None;
    }
    let mut hours: Vec<i32> = (-12..=14).collect();
    hours.sort_by_key(|h| h.abs());
    hours.into_iter().find_map(|h| {
        let off = FixedOffset::east_opt(h * 3600)?;
        let local = t.with_timezone(&off);
        (local.date_naive() == shown).then_some(local)
    })
}

/// `t` (UTC) in the offset that turns it into the wall-clock time `local`, when `local` is the
/// same instant written on a clock a whole number of quarter hours away (at most 14 h, not 0):
/// a page that prints `2017-02-23T17:18:13` for `2017-02-24T01:18:13Z` is on -08:00. `None`
/// for anything else (a date-only value, a different minute).
pub fn same_instant_offset(
    t: DateTime<FixedOffset>,
    local: NaiveDateTime,
) -> Option<DateTime<FixedOffset>> {
    let secs = (local - t.naive_utc()).num_seconds();
    if secs == 0 || secs % 900 != 0 || secs.abs() > 14 * 3600 {
        return None;
    }
    let off = FixedOffset::east_opt(i32::try_from(secs).ok()?)?;
    Some(t.with_timezone(&off))
}

/// A date in a URL path (`/2023/06/22/`, `/20230622/`, `/2023-06-22-`).
pub fn url_date(url: &str) -> Option<DateTime<FixedOffset>> {
    let c = URL_DATE.captures(url)?;
    let date = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
    make(date, NaiveTime::MIN, utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        parse_date(s).map(|d| d.to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn iso_forms() {
        assert_eq!(p("2023-06-22T10:35:12-04:00"), "2023-06-22T10:35:12-04:00");
        assert_eq!(
            p("2023-06-22T10:35:12.123+0200"),
            "2023-06-22T10:35:12+02:00"
        );
        assert_eq!(p("2023-06-22T10:35:12"), "2023-06-22T10:35:12+00:00");
        assert_eq!(p("2023-06-22 10:35"), "2023-06-22T10:35:00+00:00");
        assert_eq!(p("2023-06-22"), "2023-06-22T00:00:00+00:00");
    }

    #[test]
    fn rfc2822_and_unix() {
        assert_eq!(
            p("Thu, 22 Jun 2023 10:35:12 +0000"),
            "2023-06-22T10:35:12+00:00"
        );
        assert_eq!(p("1687430112"), "2023-06-22T10:35:12+00:00");
        assert_eq!(p("1687430112000"), "2023-06-22T10:35:12+00:00");
    }

    #[test]
    fn same_instant_on_a_local_clock() {
        let t = parse_date("2017-02-24T01:18:13Z").unwrap_or_else(|| panic!("test date"));
        let local = |s: &str| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
                .unwrap_or_else(|e| panic!("{s}: {e}"))
        };
        let got = same_instant_offset(t, local("2017-02-23T17:18:13"));
        assert_eq!(
            got.map(|d| d.to_rfc3339()).as_deref(),
            Some("2017-02-23T17:18:13-08:00")
        );
        // A date-only value (midnight) or another minute is no evidence.
        assert_eq!(same_instant_offset(t, local("2017-02-23T00:00:00")), None);
        assert_eq!(same_instant_offset(t, local("2017-02-23T17:19:13")), None);
        assert_eq!(same_instant_offset(t, local("2017-02-24T01:18:13")), None);
    }

    #[test]
    fn slash_order_follows_the_page_language() {
        let day_first = SlashOrder::for_language(Some("pt-BR"));
        assert_eq!(day_first, SlashOrder::DayFirst);
        assert_eq!(
            SlashOrder::for_language(Some("en_GB")),
            SlashOrder::DayFirst
        );
        assert_eq!(SlashOrder::for_language(Some("en")), SlashOrder::MonthFirst);
        assert_eq!(
            SlashOrder::for_language(Some("en-US")),
            SlashOrder::MonthFirst
        );
        assert_eq!(SlashOrder::for_language(None), SlashOrder::MonthFirst);
        assert_eq!(
            SlashOrder::for_language(Some("en-Latn-US")),
            SlashOrder::MonthFirst
        );
        let read = |s, o| parse_loose_in(s, o).map(|d| d.date_naive().to_string());
        assert_eq!(read("03/05/2022", day_first).as_deref(), Some("2022-05-03"));
        assert_eq!(
            read("03/05/2022", SlashOrder::MonthFirst).as_deref(),
            Some("2022-03-05")
        );
        // Unambiguous dates read the same either way; dotted dates are always day first.
        assert_eq!(read("12/25/2022", day_first).as_deref(), Some("2022-12-25"));
        assert_eq!(
            read("03.05.2022", SlashOrder::MonthFirst).as_deref(),
            Some("2022-05-03")
        );
    }

    #[test]
    fn spaced_and_thin_spaced_numeric_dates() {
        // dtb-tennis.de prints "4.&thinsp;2.&thinsp;2022".
        assert_eq!(
            parse_loose("Von Deutscher Tennis Bund 4.\u{2009}2.\u{2009}2022.")
                .map(|d| d.to_rfc3339()),
            Some("2022-02-04T00:00:00+00:00".to_string())
        );
        assert_eq!(p("4. 2. 2022"), "2022-02-04T00:00:00+00:00");
    }

    #[test]
    fn textual_and_localized() {
        assert_eq!(p("June 22, 2023"), "2023-06-22T00:00:00+00:00");
        assert_eq!(p("Jun 22nd, 2023 at 3:05 pm"), "2023-06-22T15:05:00+00:00");
        assert_eq!(p("22.06.2023"), "2023-06-22T00:00:00+00:00");
        assert_eq!(p("22. Juni 2023"), "2023-06-22T00:00:00+00:00");
        assert_eq!(p("3. März 2021, 14:20 Uhr"), "2021-03-03T14:20:00+00:00");
        assert_eq!(p("le 22 juin 2023"), "2023-06-22T00:00:00+00:00");
        assert_eq!(p("1er février 2022"), "2022-02-01T00:00:00+00:00");
        assert_eq!(p("22 de junio de 2023"), "2023-06-22T00:00:00+00:00");
        assert_eq!(p("22 giugno 2023"), "2023-06-22T00:00:00+00:00");
        assert_eq!(p("22 de junho de 2023"), "2023-06-22T00:00:00+00:00");
        assert_eq!(p("22 juni 2023"), "2023-06-22T00:00:00+00:00");
        assert_eq!(p("Published on 2023/06/22"), "2023-06-22T00:00:00+00:00");
        assert_eq!(p("06/22/2023"), "2023-06-22T00:00:00+00:00");
        assert_eq!(p(" 23.09.22 "), "2022-09-23T00:00:00+00:00");
        assert_eq!(p("version 1.2.3"), "");
    }

    #[test]
    fn rejects_nonsense() {
        assert_eq!(p(""), "");
        assert_eq!(p("hello world"), "");
        assert_eq!(p("31.02.2023"), "");
        assert_eq!(p("1066-10-14"), "");
    }

    #[test]
    fn url_dates() {
        assert!(url_date("https://x.com/2023/06/22/story").is_some());
        assert!(url_date("https://x.com/news/20230622-story").is_some());
        assert!(url_date("https://x.com/news/story-123").is_none());
    }

    #[test]
    fn pipe_separated_dmy() {
        assert_eq!(p("26 | 01 | 2022"), "2022-01-26T00:00:00+00:00");
        assert_eq!(p("Seite 3 | 4"), "");
    }

    #[test]
    fn cyrillic_months() {
        assert_eq!(p("15 августа 2016, 13:43"), "2016-08-15T13:43:00+00:00");
        assert_eq!(p("3 мая 2020"), "2020-05-03T00:00:00+00:00");
        assert_eq!(p("7 листопада 2022"), "2022-11-07T00:00:00+00:00");
    }

    #[test]
    fn utc_shown_in_local_offset() {
        let t = parse_date("2022-11-06T23:00:00Z").unwrap();
        let d = NaiveDate::from_ymd_opt(2022, 11, 7).unwrap();
        assert_eq!(
            localize_utc(t, d).unwrap().to_rfc3339(),
            "2022-11-07T00:00:00+01:00"
        );
        // Already on the shown day, or too far away, or not UTC: unchanged.
        assert!(localize_utc(t, NaiveDate::from_ymd_opt(2022, 11, 6).unwrap()).is_none());
        assert!(localize_utc(t, NaiveDate::from_ymd_opt(2022, 11, 9).unwrap()).is_none());
        let local = parse_date("2022-11-06T23:00:00+02:00").unwrap();
        assert!(localize_utc(local, d).is_none());
    }
}
